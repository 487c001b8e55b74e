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
    attempt: str | None
    attempt_started: bool


class Amendment(TypedDict):
    """An amendment of the schedule, anchored to ``at_epoch``."""

    amendment_id: str
    at_epoch: int
    status: str  # pending, applied, undone or failed
    request: dict[str, Any]
    scheduler: dict[str, Any] | None  # the normalised spec in force from at_epoch, once applied
    lrs: list[float] | None  # each group's lr in force at at_epoch, once applied
    detail: str | None  # why the engine refused it (failed)
    created_at: str
    applied_at: str | None
    undone_at: str | None


class AmendedScheduler(SchedulerResource):
    """``GET /schedulers/{id}`` and amendments: the resource plus the spec in force and the amendments."""

    scheduler_in_force: dict[str, Any]
    amendments: list[Amendment]


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
    attempt: str | None  # the training attempt that took the step


class History(TypedDict):
    items: list[HistoryItem]
    next_from_epoch: float | None


class Attempt(TypedDict):
    """A training attempt a scheduler adopted (``GET .../attempts``)."""

    attempt: str
    current: bool
    adopted_at: str
    started_by: str | None  # "step" (no checkpoint), "resume" or "state" (from a checkpoint)
    start_epoch: float | None
    started_at: str | None
    restored_epoch: int | None
    superseded_at: str | None


class Attempts(TypedDict):
    items: list[Attempt]


class PreviewState(TypedDict):
    last_epoch: int
    param_groups: list[ParamGroupState]


class Preview(TypedDict):
    states: list[PreviewState]
