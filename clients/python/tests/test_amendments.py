"""Amendments through the client against the live service: extend, decay_now and a new spec, on
the client and on RemoteLRScheduler, idempotent by amendment id, problems raised as StepwiseError."""

from __future__ import annotations

import math
from typing import Callable

import pytest
import torch

from stepwise_client import RemoteLRScheduler, StepwiseClient, StepwiseError

GROUPS = [{"lr": 0.1}]


def test_extend_lets_a_finished_one_cycle_continue(client: StepwiseClient, new_id: Callable[[str], str]) -> None:
    sid = new_id("extend")
    client.register(GROUPS, {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 10}, id=sid)
    for epoch in range(1, 11):
        client.step(sid, epoch=epoch)
    with pytest.raises(StepwiseError) as refused:
        client.step(sid, epoch=11)
    assert refused.value.status == 409
    before = client.get_lr(sid)["param_groups"][0]["lr"]
    amended = client.extend(sid, "longer", total_steps=20)
    assert amended["scheduler_in_force"]["total_steps"] == 20
    assert amended["amendments"][0]["status"] == "applied"
    assert amended["param_groups"][0]["lr"] == pytest.approx(before, rel=1e-15)
    # every rank may post it: applied once
    assert client.extend(sid, "longer", total_steps=20)["amendments"] == amended["amendments"]
    lrs = [client.step(sid, epoch=epoch)["param_groups"][0]["lr"] for epoch in range(11, 20)]
    assert all(a > b for a, b in zip([before, *lrs], lrs))
    client.step(sid, epoch=20)  # as torch, the step to total_steps itself is taken
    with pytest.raises(StepwiseError) as conflict:
        client.extend(sid, "longer", total_steps=30)
    assert conflict.value.status == 409


def test_decay_now_at_a_later_epoch_on_a_remote_scheduler(client: StepwiseClient, new_id: Callable[[str], str]) -> None:
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    spec = {"type": "warmup_stable_decay", "num_warmup_steps": 2, "num_decay_steps": 10, "num_training_steps": 100}
    scheduler = RemoteLRScheduler(optimizer, client, new_id("wsd"), spec)
    for _ in range(3):
        optimizer.step()
        scheduler.step()
    pending = scheduler.decay_now("decay-at-5", 4, decay_type="linear", min_lr_ratio=0.5, at_epoch=5)
    assert pending["amendments"][0]["status"] == "pending"
    lrs = []
    for _ in range(6):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    # epochs 4..9: peak until 5, then x (r + (1 - r)(1 - s/n)), then x r
    expected = [0.1, 0.1] + [0.1 * (0.5 + 0.5 * (1 - s / 4)) for s in (1, 2, 3, 4)]
    assert lrs == pytest.approx(expected, rel=1e-15)
    with pytest.raises(StepwiseError) as passed:
        scheduler.decay_now("late", 4, at_epoch=8)
    assert passed.value.status == 409
    assert passed.value.body["errors"][0]["field"] == "at_epoch"


def test_a_new_spec_written_into_the_optimizer_at_once(client: StepwiseClient, new_id: Callable[[str], str]) -> None:
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = RemoteLRScheduler(optimizer, client, new_id("spec"), {"type": "StepLR", "step_size": 2, "gamma": 0.5})
    for _ in range(4):
        optimizer.step()
        scheduler.step()
    # not continuous: the new schedule starts from the registered lr
    scheduler.amend("restart", scheduler={"type": "ExponentialLR", "gamma": 0.9}, continuous=False)
    assert optimizer.param_groups[0]["lr"] == 0.1
    optimizer.step()
    scheduler.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.09, rel=1e-15)
    with pytest.raises(StepwiseError) as bad:
        client.decay_now(scheduler.scheduler_id, "decay", 5)
    assert bad.value.status == 422
    assert bad.value.body["errors"][0]["field"] == "decay_now"
    assert math.isfinite(client.get_lr(scheduler.scheduler_id)["param_groups"][0]["lr"])
