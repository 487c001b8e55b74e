"""A real training loop gets the same lrs (and momenta) through RemoteLRScheduler as through the
local torch scheduler, and the scheduler object says what torch's says (last_epoch, _step_count,
get_last_lr, base_lrs, the classes frameworks check)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import GroupValues, assert_traces_close, group_values, torch_scheduler
from stepwise_client import RemoteLRScheduler

LRScheduler = getattr(torch.optim.lr_scheduler, "LRScheduler", None) or torch.optim.lr_scheduler._LRScheduler
LRSCHEDULER_IS_PLATEAU_BASE = issubclass(torch.optim.lr_scheduler.ReduceLROnPlateau, LRScheduler)

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
    "ReduceLROnPlateau-max-cooldown": (
        {"type": "ReduceLROnPlateau", "mode": "max", "factor": 0.3, "patience": 0, "cooldown": 2, "min_lr": 0.004},
        "adam",
    ),
    "ConstantLR": ({"type": "ConstantLR", "factor": 0.25, "total_iters": 5}, "sgd"),
    "LinearLR": ({"type": "LinearLR", "start_factor": 0.2, "end_factor": 0.9, "total_iters": 7}, "adam"),
    "PolynomialLR": ({"type": "PolynomialLR", "total_iters": 12, "power": 2.0}, "sgd"),
    "MultiplicativeLR": ({"type": "MultiplicativeLR", "lr_lambda": "0.95 if epoch % 2 else 0.8"}, "sgd"),
    "CosineAnnealingWarmRestarts-Tmult1": (
        {"type": "CosineAnnealingWarmRestarts", "T_0": 4, "eta_min": 0.002},
        "adam",
    ),
    "CyclicLR-exp_range": (
        {
            "type": "CyclicLR",
            "base_lr": [0.01, 0.002],
            "max_lr": 0.1,
            "step_size_up": 2,
            "step_size_down": 5,
            "mode": "exp_range",
            "gamma": 0.97,
        },
        "sgd",
    ),
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
) -> tuple[list[GroupValues], list[dict[str, Any]]]:
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
    attributes = [observe(scheduler)]
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        # The metric depends on the lrs so far: a wrong lr shows up in later plateau decisions.
        scheduler.step(loss.item()) if needs_metric else scheduler.step()
        trace.append(group_values(optimizer))
        attributes.append(observe(scheduler))
    return trace, attributes


def observe(scheduler: Any) -> dict[str, Any]:
    """What user and framework code reads off a scheduler between steps."""
    seen = {
        # torch 1.13's ReduceLROnPlateau has no get_last_lr(); the remote one has.
        "get_last_lr": [float(lr) for lr in scheduler.get_last_lr()] if hasattr(scheduler, "get_last_lr") else None,
        "is_LRScheduler": isinstance(scheduler, LRScheduler),
        "is_ReduceLROnPlateau": isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau),
    }
    for name in ("last_epoch", "_step_count", "base_lrs", "total_steps"):
        seen[name] = getattr(scheduler, name, "absent")
    return seen


def assert_attributes_match(got: list[dict[str, Any]], want: list[dict[str, Any]], plateau: bool) -> None:
    for epoch, (g, w) in enumerate(zip(got, want)):
        # torch's SequentialLR and ChainedScheduler keep no _step_count or base_lrs of their own (their
        # children do), ChainedScheduler no last_epoch; the remote one has them, as every other LRScheduler.
        g = {
            k: ("absent" if w[k] == "absent" and k in ("last_epoch", "_step_count", "base_lrs") else v)
            for k, v in g.items()
        }
        if plateau and not LRSCHEDULER_IS_PLATEAU_BASE:
            # torch 1.13's ReduceLROnPlateau is no _LRScheduler; the remote one is both (documented).
            g = dict(g, is_LRScheduler=w["is_LRScheduler"])
        if w["get_last_lr"] is not None:
            assert g["get_last_lr"] == pytest.approx(w["get_last_lr"], rel=1e-9, abs=1e-12), f"epoch {epoch}"
        assert {k: v for k, v in g.items() if k != "get_last_lr"} == {
            k: v for k, v in w.items() if k != "get_last_lr"
        }, f"after {epoch} steps"


@pytest.mark.parametrize("name", CASES)
def test_training_loop_gets_torchs_lrs(name: str, client, new_id) -> None:
    spec, optimizer_kind = CASES[name]
    needs_metric = spec["type"] == "ReduceLROnPlateau"
    local, local_attributes = train(optimizer_kind, lambda opt: torch_scheduler(opt, spec), needs_metric)
    sid = new_id(name)
    remote_schedulers: list[RemoteLRScheduler] = []

    def remote(opt: torch.optim.Optimizer) -> RemoteLRScheduler:
        remote_schedulers.append(RemoteLRScheduler(opt, client, sid, spec))
        return remote_schedulers[-1]

    trace, attributes = train(optimizer_kind, remote, needs_metric)
    assert_traces_close(trace, local)
    assert_attributes_match(attributes, local_attributes, needs_metric)
    scheduler = remote_schedulers[0]
    assert scheduler.last_epoch == STEPS
    assert scheduler.get_last_lr() == [lr for lr, _ in group_values(scheduler.optimizer)]
    assert client.get_lr(sid)["last_epoch"] == STEPS
    # Construction registered (epoch 0) and posted nothing: one record per step, none doubled.
    assert [item["epoch"] for item in client.history(sid)["items"]] == list(range(STEPS + 1))
