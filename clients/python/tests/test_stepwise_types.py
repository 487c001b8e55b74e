"""Stepwise's own types through RemoteLRScheduler against the live service: stepwise.PerGroup (one
spec per param group) against one local torch optimizer and scheduler per group, which is what
people do today, and stepwise.WarmupPlateau (a warmup, then ReduceLROnPlateau) against torch's
LinearLR stepped through the warmup, then a ReduceLROnPlateau built on the same optimizer."""

from __future__ import annotations

import pytest
import torch

from helpers import close, torch_scheduler
from stepwise_client import RemoteLRScheduler, RemoteReduceLROnPlateau, StepwiseError


def group(lr: float) -> dict:
    return {"params": [torch.zeros(2, requires_grad=True)], "lr": lr, "momentum": 0.9}


def lrs(optimizer: torch.optim.Optimizer) -> list[float]:
    return [g["lr"] for g in optimizer.param_groups]


def test_per_group_steps_each_group_as_its_own_optimizer_and_scheduler(client, new_id) -> None:
    children = [{"type": "StepLR", "step_size": 2, "gamma": 0.5}, {"type": "CosineAnnealingLR", "T_max": 6}]
    spec = {"type": "stepwise.PerGroup", "schedulers": children}
    remote_opt = torch.optim.SGD([group(0.1), group(0.02)], lr=0.1, momentum=0.9)
    remote = RemoteLRScheduler(remote_opt, client, new_id(), spec)
    local_opts = [torch.optim.SGD([group(lr)], lr=lr, momentum=0.9) for lr in (0.1, 0.02)]
    local = [torch_scheduler(opt, child) for opt, child in zip(local_opts, children)]
    assert type(remote) is RemoteLRScheduler
    for _ in range(8):
        remote_opt.step()
        remote.step()
        for opt, sched in zip(local_opts, local):
            opt.step()
            sched.step()
        expected = [lr for opt in local_opts for lr in lrs(opt)]
        assert all(close(a, b) for a, b in zip(lrs(remote_opt), expected)), (lrs(remote_opt), expected)
    assert [len(child["base_lrs"]) for child in client.get_state(remote.scheduler_id)["_schedulers"]] == [1, 1]


def test_per_group_with_a_plateau_child_is_a_reduce_lr_on_plateau(client, new_id) -> None:
    spec = {
        "type": "stepwise.PerGroup",
        "schedulers": [{"type": "ExponentialLR", "gamma": 0.9}, {"type": "ReduceLROnPlateau", "patience": 0}],
    }
    optimizer = torch.optim.SGD([group(0.1), group(0.1)], lr=0.1, momentum=0.9)
    remote = RemoteLRScheduler(optimizer, client, new_id(), spec)
    assert type(remote) is RemoteReduceLROnPlateau
    remote.step(1.0)
    remote.step(1.0)  # no improvement: the plateau child reduces its group only
    assert all(close(a, b) for a, b in zip(lrs(optimizer), [0.1 * 0.9 * 0.9, 0.1 * 0.1]))


def test_warmup_plateau_takes_no_metric_during_the_warmup(client, new_id) -> None:
    spec = {"type": "stepwise.WarmupPlateau", "warmup_steps": 3, "warmup_start_factor": 0.1, "patience": 0}
    remote_opt = torch.optim.SGD([group(0.1)], lr=0.1, momentum=0.9)
    local_opt = torch.optim.SGD([group(0.1)], lr=0.1, momentum=0.9)
    remote = RemoteLRScheduler(remote_opt, client, new_id(), spec)
    warmup = torch.optim.lr_scheduler.LinearLR(local_opt, start_factor=0.1, end_factor=1.0, total_iters=3)
    assert type(remote) is RemoteReduceLROnPlateau
    for _ in range(3):
        remote.step(None)
        warmup.step()
        assert close(lrs(remote_opt)[0], lrs(local_opt)[0])
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(local_opt, patience=0)
    with pytest.raises(StepwiseError) as refused:
        remote.step(None)
    assert refused.value.status == 400
    for metric in (2.0, 2.0, 1.0, 1.5):
        remote.step(metric)
        plateau.step(metric)
        assert close(lrs(remote_opt)[0], lrs(local_opt)[0])
