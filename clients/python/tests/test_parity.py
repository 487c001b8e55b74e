"""A real training loop gets the same lrs (and momenta) through RemoteLRScheduler as through the
local torch scheduler."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import GroupValues, assert_traces_close, group_values, torch_scheduler
from stepwise_client import RemoteLRScheduler

STEPS = 20

# name: (spec, optimizer). Two param groups with different lrs in every case.
CASES: dict[str, tuple[dict[str, Any], str]] = {
    "StepLR": ({"type": "StepLR", "step_size": 4, "gamma": 0.5}, "sgd"),
    "MultiStepLR": ({"type": "MultiStepLR", "milestones": [3, 7, 7], "gamma": 0.3}, "sgd"),
    "ExponentialLR": ({"type": "ExponentialLR", "gamma": 0.9}, "adam"),
    "CosineAnnealingLR": ({"type": "CosineAnnealingLR", "T_max": 8, "eta_min": 0.001}, "sgd"),
    "CosineAnnealingWarmRestarts": ({"type": "CosineAnnealingWarmRestarts", "T_0": 3, "T_mult": 2}, "sgd"),
    "LambdaLR": ({"type": "LambdaLR", "lr_lambda": "(epoch + 1) / 4 if epoch < 3 else 0.9 ** (epoch - 3)"}, "sgd"),
    "CyclicLR": (
        {"type": "CyclicLR", "base_lr": 0.01, "max_lr": [0.1, 0.05], "step_size_up": 3, "mode": "triangular2"},
        "sgd",
    ),
    "OneCycleLR": ({"type": "OneCycleLR", "max_lr": [0.2, 0.05], "total_steps": STEPS}, "sgd"),
    "OneCycleLR-Adam": (
        {"type": "OneCycleLR", "max_lr": 0.01, "total_steps": STEPS, "anneal_strategy": "linear", "three_phase": True},
        "adam",
    ),
    "ReduceLROnPlateau": ({"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1, "threshold": 0.05}, "sgd"),
    "SequentialLR-warmup-cosine": (
        {
            "type": "SequentialLR",
            "milestones": [4],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.1, "total_iters": 4},
                {"type": "CosineAnnealingLR", "T_max": STEPS - 4},
            ],
        },
        "sgd",
    ),
    "ChainedScheduler": (
        {
            "type": "ChainedScheduler",
            "schedulers": [
                {"type": "ConstantLR", "factor": 0.5, "total_iters": 3},
                {"type": "ExponentialLR", "gamma": 0.9},
            ],
        },
        "adam",
    ),
}


def train(
    optimizer_kind: str, make_scheduler: Callable[[torch.optim.Optimizer], Any], needs_metric: bool
) -> list[GroupValues]:
    """A small regression run; the param groups' values after construction and every step."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
    groups = [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.02}]
    optimizer = (
        torch.optim.Adam(groups, lr=0.01) if optimizer_kind == "adam" else torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    )
    scheduler = make_scheduler(optimizer)
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(64, 8, generator=gen)
    y = torch.sin(x.sum(dim=1, keepdim=True))
    trace = [group_values(optimizer)]
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        # The metric depends on the lrs so far: a wrong lr shows up in later plateau decisions.
        scheduler.step(loss.item()) if needs_metric else scheduler.step()
        trace.append(group_values(optimizer))
    return trace


@pytest.mark.parametrize("name", CASES)
def test_training_loop_gets_torchs_lrs(name: str, client, new_id) -> None:
    spec, optimizer_kind = CASES[name]
    needs_metric = spec["type"] == "ReduceLROnPlateau"
    local = train(optimizer_kind, lambda opt: torch_scheduler(opt, spec), needs_metric)
    sid = new_id(name)
    remote_schedulers: list[RemoteLRScheduler] = []

    def remote(opt: torch.optim.Optimizer) -> RemoteLRScheduler:
        remote_schedulers.append(RemoteLRScheduler(opt, client, sid, spec))
        return remote_schedulers[-1]

    assert_traces_close(train(optimizer_kind, remote, needs_metric), local)
    scheduler = remote_schedulers[0]
    assert scheduler.last_epoch == STEPS
    assert scheduler.get_last_lr() == [lr for lr, _ in group_values(scheduler.optimizer)]
    assert client.get_lr(sid)["last_epoch"] == STEPS
