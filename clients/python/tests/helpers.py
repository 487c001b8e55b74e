"""Shared by the tests: the local torch scheduler for a service spec, and value comparison."""

from __future__ import annotations

import json
import math
import socket
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Callable, Optional

import torch

EXPRESSION_NAMES = {
    "min": min,
    "max": max,
    "abs": abs,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "floor": math.floor,
    "ceil": math.ceil,
    "pi": math.pi,
    "e": math.e,
}

GroupValues = list[tuple[float, Optional[float]]]


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expression(text: str, variable: str) -> Callable[[float], float]:
    """The lambda a service expression stands for (test inputs only: trusted text)."""
    code = compile(text, "<expression>", "eval")
    return lambda value: eval(code, {"__builtins__": {}}, dict(EXPRESSION_NAMES, **{variable: value}))


def torch_scheduler(optimizer: torch.optim.Optimizer, spec: Mapping[str, Any]) -> Any:
    """The torch.optim.lr_scheduler object a service spec describes."""
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [torch_scheduler(optimizer, child) for child in kwargs["schedulers"]]
    if isinstance(kwargs.get("lr_lambda"), str):
        kwargs["lr_lambda"] = expression(kwargs["lr_lambda"], "epoch")
    cls = getattr(torch.optim.lr_scheduler, spec["type"])
    if spec["type"] == "ChainedScheduler":  # the only one not given the optimizer
        return cls(**kwargs)
    return cls(optimizer, **kwargs)


def group_values(optimizer: torch.optim.Optimizer) -> GroupValues:
    """(lr, momentum or beta1) of every param group."""
    out: GroupValues = []
    for group in optimizer.param_groups:
        momentum = group["momentum"] if "momentum" in group else group.get("betas", (None,))[0]
        out.append((group["lr"], momentum))
    return out


def close(a: float | None, b: float | None) -> bool:
    """API.md's tolerance: |a-b| <= 1e-12 + 1e-9*|b|."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12 + 1e-9 * abs(b)


def assert_traces_close(got: Sequence[GroupValues], want: Sequence[GroupValues]) -> None:
    assert len(got) == len(want)
    for epoch, (g, w) in enumerate(zip(got, want)):
        assert len(g) == len(w)
        for i, ((lr, mom), (want_lr, want_mom)) in enumerate(zip(g, w)):
            assert close(lr, want_lr), f"epoch {epoch} group {i}: lr {lr!r} != torch's {want_lr!r}"
            assert close(mom, want_mom), f"epoch {epoch} group {i}: momentum {mom!r} != torch's {want_mom!r}"


def torch_lrs(
    spec: Mapping[str, Any], lrs: Sequence[float], steps: int, metrics: Sequence[float] | None = None
) -> list[list[float]]:
    """torch's lrs after construction and after each of `steps` steps, on a bare SGD."""
    params = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    optimizer = torch.optim.SGD(params, lr=lrs[0], momentum=0.9)
    scheduler = torch_scheduler(optimizer, spec)
    out = [[g["lr"] for g in optimizer.param_groups]]
    for i in range(steps):
        optimizer.step()  # no gradients, so a no-op; keeps torch from warning about the order
        scheduler.step(*([metrics[i]] if metrics is not None else []))
        out.append([g["lr"] for g in optimizer.param_groups])
    return out


def rank_log(logdir: Path, rank: int) -> list[dict[str, Any]]:
    """A rank's per-step records (`rank{N}.jsonl` of examples/train_ddp.py); a line cut short by
    SIGKILL is dropped."""
    path = logdir / f"rank{rank}.jsonl"
    records = []
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    return records
