"""A drop-in for torch.optim.lr_scheduler classes whose schedule lives in the Stepwise service.

Deliberately free of torch imports: it only reads and writes `optimizer.param_groups`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .client import JSON, StepwiseClient


def _momentum(group: Mapping[str, Any]) -> float | None:
    """The group's momentum, or beta1 for optimizers with `betas` (Adam & co.)."""
    if "momentum" in group:
        return group["momentum"]
    if "betas" in group:
        return group["betas"][0]
    return None


class RemoteLRScheduler:
    """Steps an optimizer's learning rates (and momentum / beta1) as the service computes them.

    `scheduler` is the service's schedule spec, e.g. ``{"type": "CosineAnnealingLR", "T_max": 100}``.
    Construction registers `scheduler_id` (idempotently: every DDP rank may do it) and writes
    the service's state into `optimizer.param_groups`, as a torch scheduler's constructor does.
    """

    def __init__(self, optimizer: Any, client: StepwiseClient, scheduler_id: str, scheduler: Mapping[str, Any]) -> None:
        self.optimizer = optimizer
        self.client = client
        self.scheduler_id = scheduler_id
        self.scheduler: dict[str, Any] = copy.deepcopy(dict(scheduler))
        self.last_epoch = 0
        self._last_lr: list[float] = []
        groups = []
        for group in optimizer.param_groups:
            # Like torch, remember the starting values in the group itself, so that registering
            # again after the schedule moved them (or after optimizer.load_state_dict) sends the
            # identical body and is answered 200, not 409.
            group.setdefault("initial_lr", group["lr"])
            momentum = group.setdefault("initial_momentum", _momentum(group))
            entry: JSON = {"lr": group["initial_lr"]}
            if momentum is not None:
                entry["momentum"] = momentum
            groups.append(entry)
        self._apply(client.register(groups, self.scheduler, id=scheduler_id))

    def step(self, metric: float | None = None) -> None:
        """Advance one epoch. `metric` (a float or 1-element tensor) is required by plateau
        schedules and recorded for all. The epoch is sent explicitly, so a retried request or
        another rank's identical request is answered from the service's record, not re-applied."""
        self._apply(
            self.client.step(
                self.scheduler_id, epoch=self.last_epoch + 1, metric=None if metric is None else float(metric)
            )
        )

    def get_last_lr(self) -> list[float]:
        """The lrs the last registration, step or resume wrote into the optimizer."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """What a checkpoint needs to resume the schedule (picklable, JSON-friendly)."""
        return {
            "scheduler_id": self.scheduler_id,
            "last_epoch": self.last_epoch,
            "scheduler": copy.deepcopy(self.scheduler),
        }

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Return the service to the checkpoint's epoch (discarding later history) and write
        that epoch's values into the optimizer. In DDP, every rank must do this before any rank
        steps again (e.g. load on all ranks, then a barrier)."""
        if state_dict["scheduler_id"] != self.scheduler_id:
            raise ValueError(f"checkpoint is for scheduler {state_dict['scheduler_id']!r}, not {self.scheduler_id!r}")
        self._apply(self.client.resume(self.scheduler_id, state_dict["last_epoch"]))

    def _apply(self, state: Mapping[str, Any]) -> None:
        remote = state["param_groups"]
        groups = self.optimizer.param_groups
        if len(remote) != len(groups):
            raise RuntimeError(
                f"service has {len(remote)} param groups for {self.scheduler_id!r}, the optimizer {len(groups)}"
            )
        for group, values in zip(groups, remote):
            group["lr"] = values["lr"]
            momentum = values.get("momentum")
            if momentum is not None:
                if "momentum" in group:
                    group["momentum"] = momentum
                elif "betas" in group:
                    group["betas"] = (momentum, *group["betas"][1:])
        self.last_epoch = state["last_epoch"]
        self._last_lr = [values["lr"] for values in remote]
