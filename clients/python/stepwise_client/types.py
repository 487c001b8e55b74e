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


class _Consumed(TypedDict, total=False):
    """Only for a schedule in tokens or samples: the total the steps consumed so far."""

    consumed: int


class State(_Consumed):
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


class PreviewState(_Consumed):
    last_epoch: int
    param_groups: list[ParamGroupState]


class Preview(TypedDict):
    states: list[PreviewState]


class LrFinderCurve(TypedDict):
    """One point per step: the lr its batch trained with and the smoothed loss (NaN: no metric)."""

    lr: list[float]
    loss: list[float | str]  # non-finite losses are the strings "NaN", "Infinity", "-Infinity"


class LrSuggestion(TypedDict):
    """One rule's suggestion; ``lr`` is None (and ``reason`` says why) when the rule has too few points."""

    lr: float | None
    index: int | None
    loss: float | None
    skip_begin: int
    skip_end: int
    reason: str | None


class LrSuggestions(TypedDict):
    steepest: LrSuggestion  # Lightning's _LRFinder.suggestion(skip_begin, skip_end)
    valley: LrSuggestion  # fastai's valley, as Learner.lr_find applies it


class LrFinder(TypedDict):
    """``GET .../lr-finder``: the smoothed loss against the lr, and the suggestions of both rules."""

    id: str
    type: str
    beta: float
    points: int
    truncated: bool  # the history holds more steps than were analysed
    finished: bool | None  # stepwise.LRRangeTest only: the loss diverged or num_steps were taken
    finished_at: int | None
    curve: LrFinderCurve
    suggestions: LrSuggestions
