"""A stand-in for StepwiseClient that answers like the service (no torch, no network)."""

from __future__ import annotations

from typing import Any


class FakeClient:
    """Answers like the service for a schedule lr = initial_lr * 0.5**epoch, momentum - 0.1*epoch."""

    def __init__(self, registered_epoch: int = 0) -> None:
        self.calls: list[tuple] = []
        self.groups: list[dict[str, Any]] = []
        self.epoch = registered_epoch
        self.attempts: list[str | None] = []  # the attempt of every mutating call

    def state(self) -> dict[str, Any]:
        return {
            "id": "run",
            "last_epoch": self.epoch,
            "param_groups": [
                {
                    "lr": g["lr"] * 0.5**self.epoch,
                    "momentum": None if g.get("momentum") is None else g["momentum"] - 0.1 * self.epoch,
                }
                for g in self.groups
            ],
        }

    def register(self, param_groups, scheduler, id=None, last_epoch=None, attempt=None):
        self.calls.append(("register", param_groups, scheduler, id))
        self.attempts.append(attempt)
        self.groups = self.groups or param_groups  # the first registration stays
        return self.state()

    def step(self, scheduler_id, epoch=None, metric=None, attempt=None, count=None, consumed=None):
        self.calls.append(("step", scheduler_id, epoch, metric))
        self.attempts.append(attempt)
        self.epoch = epoch
        return self.state()

    def get_state(self, scheduler_id):
        self.calls.append(("get_state", scheduler_id))
        return {"type": "ExponentialLR", "last_epoch": self.epoch, "gamma": 0.5}

    def resume(self, scheduler_id, last_epoch, attempt=None):
        self.calls.append(("resume", scheduler_id, last_epoch))
        self.attempts.append(attempt)
        self.epoch = last_epoch
        return self.state()
