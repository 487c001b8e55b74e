"""Typed shapes of the service's answers (API.md, openapi/openapi.yaml).

They are plain dicts at run time (``json.loads`` output); the TypedDicts only tell a type checker
which keys to expect. State documents (``GET .../state``) vary by schedule type and stay
``dict[str, Any]``.
"""

from __future__ import annotations

from typing import Any, TypedDict

# A state document: PyTorch's state_dict() keys for the schedule's type, plus param_groups.
StateDocument = dict[str, Any]


class ParamGroupState(TypedDict):
    lr: float
    momentum: float | None


class State(TypedDict):
    """Where a scheduler stands: what every rank writes into its optimizer."""

    id: str
    last_epoch: int
    param_groups: list[ParamGroupState]


class StepResult(State):
    """A step's answer; ``replayed`` is true when the epoch was recorded before (a retry, another rank)."""

    replayed: bool


class SchedulerResource(State):
    """``GET /schedulers/{id}`` and registration: the state plus the normalised spec."""

    scheduler: dict[str, Any]
    initial_param_groups: list[ParamGroupState]
    created_at: str
    updated_at: str


class SchedulerList(TypedDict):
    items: list[SchedulerResource]
    page: int
    size: int
    total_items: int
    total_pages: int


class HistoryItem(TypedDict):
    epoch: float  # fractional for CosineAnnealingWarmRestarts' step(epoch + i / iters)
    param_groups: list[ParamGroupState]
    metric: float | None
    recorded_at: str


class History(TypedDict):
    items: list[HistoryItem]
    next_from_epoch: float | None


class PreviewState(TypedDict):
    last_epoch: int
    param_groups: list[ParamGroupState]


class Preview(TypedDict):
    states: list[PreviewState]
