"""`RemoteLRScheduler`: a `torch.optim.lr_scheduler` scheduler whose schedule lives in the Stepwise service.

With torch importable, `RemoteLRScheduler` is a `torch.optim.lr_scheduler.LRScheduler` (`_LRScheduler`
before torch 2.0) and a plateau spec (`ReduceLROnPlateau`, `reduce_lr_on_plateau`) makes a
`RemoteReduceLROnPlateau`, which is also a `torch.optim.lr_scheduler.ReduceLROnPlateau`: the
isinstance checks of HF Trainer, Lightning and Accelerate treat them as the torch classes they stand
for. Without torch, the same classes work on anything with `param_groups` (duck typing).

This module imports torch; `import stepwise_client` does not import this module until
`stepwise_client.RemoteLRScheduler` is first used.
"""

from __future__ import annotations

import copy
import logging
import math
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Union, cast

from ._version import __version__
from .attempts import resolve_attempt
from .client import StaleAttemptError, StepwiseClient, StepwiseError
from .types import State, StateDocument

log = logging.getLogger("stepwise_client")

PLATEAU_TYPES = frozenset({"ReduceLROnPlateau", "reduce_lr_on_plateau", "stepwise.WarmupPlateau"})
# Stepwise's own type holding one spec per param group: a plateau when a child is one.
PER_GROUP_TYPE = "stepwise.PerGroup"


def steps_on_a_metric(spec: Any) -> bool:
    """Whether a spec's steps take a metric: a plateau type, or a stepwise.PerGroup with one as a child."""
    if not isinstance(spec, Mapping):
        return False
    if spec.get("type") == PER_GROUP_TYPE:
        return any(steps_on_a_metric(child) for child in spec.get("schedulers") or [])
    return spec.get("type") in PLATEAU_TYPES


# Types whose torch class has its own step(epoch) (a closed form for fractional epochs) that neither
# counts _step_count nor warns about the call order.
FRACTIONAL_TYPES = frozenset({"CosineAnnealingWarmRestarts"})
CHECKPOINT_FORMAT = 2
_OWN_BASE_LRS = frozenset({"CyclicLR", "OneCycleLR"})

# torch's texts (both 1.13 and 2.x), so that warning filters written for torch apply to ours.
GET_LR_WARNING = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."
EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. "
    "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from "
    "None, the closed form is used instead of the new chainable form, where available. Please open an issue "
    "if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose."
)

ClientLike = Union[StepwiseClient, str]


def _momentum(group: Mapping[str, Any]) -> float | None:
    """The group's momentum, or beta1 for optimizers with `betas` (Adam & co.)."""
    if "momentum" in group:
        return cast(Optional[float], group["momentum"])
    if "betas" in group:
        return cast(float, group["betas"][0])
    return None


def _set_lr(group: dict[str, Any], value: float) -> None:
    current = group["lr"]
    if hasattr(current, "fill_"):  # a Tensor lr (torch >= 2.2 allows them): update it in place, as torch does
        current.fill_(value)
    else:
        group["lr"] = value


def _epoch_json(epoch: float) -> float:
    """An epoch as the API reads it: an integer when integral, else the float."""
    value = float(epoch)
    if math.isfinite(value) and value.is_integer():
        return int(value)
    return value


class _Remote:
    """What every remote scheduler does, torch or not: register, post steps, write the answers
    into the optimizer, checkpoint and restore. The concrete classes add torch's bookkeeping."""

    optimizer: Any
    last_epoch: int
    _last_lr: list[Any]
    _step_count: int

    # -- set-up --------------------------------------------------------------------------------

    def _init_remote(self, client: ClientLike, scheduler_id: str, spec: Mapping[str, Any], attempt: str | None) -> None:
        self.client = StepwiseClient(client) if isinstance(client, str) else client
        self.scheduler_id = scheduler_id
        self.spec: dict[str, Any] = copy.deepcopy(dict(spec))
        # The training attempt: explicit, or torchrun's TORCHELASTIC_RUN_ID/TORCHELASTIC_RESTART_COUNT.
        self.attempt: str | None = resolve_attempt(attempt)
        kind = self.spec.get("type")
        plateau = steps_on_a_metric(self.spec)
        self._kind = "plateau" if plateau else "fractional" if kind in FRACTIONAL_TYPES else "base"
        self._position: float = 0.0  # the epoch last stepped to: last_epoch, or more after fractional steps
        self._answer_lrs: list[float] = []
        self._service_base_lrs: list[float] | None = None
        self._registration: dict[str, Any] = {}
        self.normalized_spec: dict[str, Any] = {}
        # a schedule in tokens or samples: the total its steps consumed, as the service answers it
        self.consumed: int | None = None

    def _registration_groups(self) -> list[dict[str, Any]]:
        groups = []
        for group in self.optimizer.param_groups:
            # Like torch, remember the starting values in the group itself, so that registering
            # again after the schedule moved them (or after optimizer.load_state_dict) sends the
            # identical body and is answered 200, not 409.
            group.setdefault("initial_lr", group["lr"])
            momentum = group.setdefault("initial_momentum", _momentum(group))
            entry: dict[str, Any] = {"lr": float(group["initial_lr"])}
            if momentum is not None:
                entry["momentum"] = float(momentum)
            groups.append(entry)
        return groups

    def _register(self) -> State:
        groups = self._registration_groups()
        resource = self.client.register(groups, self.spec, id=self.scheduler_id, attempt=self.attempt)
        self._registration = {"param_groups": groups, "scheduler": copy.deepcopy(self.spec)}
        self.normalized_spec = dict(resource.get("scheduler") or {})
        if self.attempt is None and resource["last_epoch"] > 0:
            # No attempt: another rank, or an earlier run under this id, stepped it, and every rank
            # continues from there (attach). With an attempt the answer is the schedule's start.
            log.info(
                "scheduler %r is registered already, at last_epoch %s; without an attempt this attaches to it",
                self.scheduler_id,
                resource["last_epoch"],
            )
        if self.spec.get("type") == "OneCycleLR":
            # Accelerate's AcceleratedScheduler reads total_steps (and _step_count) of a OneCycleLR.
            total = self.normalized_spec.get("total_steps")
            if total is None and self.normalized_spec.get("epochs") and self.normalized_spec.get("steps_per_epoch"):
                total = self.normalized_spec["epochs"] * self.normalized_spec["steps_per_epoch"]
            self.total_steps = total
        self._position = float(resource["last_epoch"])
        self.consumed = resource.get("consumed")
        if self.spec.get("type") in _OWN_BASE_LRS:
            # These derive base_lrs from their arguments (base_lr, max_lr / div_factor), not from the
            # groups' lr: take them from the service's state document, as torch would have them.
            self._service_base_lrs = self.client.get_state(self.scheduler_id).get("base_lrs")
        return resource

    # -- stepping ------------------------------------------------------------------------------

    def _post(self, epoch: Any = None, metric: Any = None, count: int = 1, consumed: int | None = None) -> State:
        """POST the step (`count` of them); the epoch is always explicit (the last_epoch of the last
        step), so a retry or another rank's identical post is answered from the service's record
        instead of being taken twice."""
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        if epoch is None:
            # step(): the next epoch, or, after fractional steps, one epoch past the position
            # (torch's T_cur + 1, which the closed form at position + 1 reproduces).
            position = self._position if self._kind == "fractional" else self.last_epoch
            target = position + count
        else:
            target = float(epoch)
        answer = self.client.step(
            self.scheduler_id,
            epoch=_epoch_json(target),
            metric=None if metric is None else float(metric),
            attempt=self.attempt,
            count=None if count == 1 else count,
            consumed=None if consumed is None else int(consumed),
        )
        self._position = float(target)
        self.consumed = answer.get("consumed")
        return answer

    def _check_groups(self, state: State) -> None:
        remote, groups = state["param_groups"], self.optimizer.param_groups
        if len(remote) != len(groups):
            raise RuntimeError(
                f"service has {len(remote)} param groups for {self.scheduler_id!r}, the optimizer {len(groups)}"
            )

    def _apply(self, state: State) -> None:
        """Write a state's lrs (and momentum, or beta1 of `betas`) into the optimizer."""
        self._check_groups(state)
        remote = state["param_groups"]
        groups = self.optimizer.param_groups
        for group, values in zip(groups, remote):
            _set_lr(group, values["lr"])
            momentum = values.get("momentum")
            if momentum is not None:
                if "momentum" in group:
                    group["momentum"] = momentum
                elif "betas" in group:
                    group["betas"] = (momentum, *group["betas"][1:])
        self.last_epoch = state["last_epoch"]
        if self._kind != "fractional" or math.floor(self._position) != self.last_epoch:
            self._position = float(self.last_epoch)
        self._answer_lrs = [values["lr"] for values in remote]
        self._last_lr = list(self._answer_lrs)

    def get_last_lr(self) -> list[Any]:
        """The lrs the last registration, step or restore wrote into the optimizer."""
        return self._last_lr

    def get_lr(self) -> list[Any]:
        """The lrs at the current epoch, as the service computed them. torch's get_lr() is meant for
        step() to call; outside it, torch warns and so does this."""
        if not getattr(self, "_get_lr_called_within_step", False):
            warnings.warn(GET_LR_WARNING, UserWarning, stacklevel=2)
        return list(self._answer_lrs)

    # -- amendments ----------------------------------------------------------------------------

    def amend(self, amendment_id: str, **change: Any) -> Any:
        """Change this schedule from `at_epoch` on (StepwiseClient.amend); an amendment at the
        current epoch writes the amended lrs into the optimizer at once."""
        return self._amended(self.client.amend(self.scheduler_id, amendment_id, **change))

    def extend(self, amendment_id: str, at_epoch: int | None = None, **total: int) -> Any:
        """Make this schedule last longer, e.g. ``scheduler.extend("to-15k", total_steps=15000)``."""
        return self._amended(self.client.amend(self.scheduler_id, amendment_id, extend=total, at_epoch=at_epoch))

    def decay_now(self, amendment_id: str, decay_steps: int, **decay: Any) -> Any:
        """Start the decay now (or at `at_epoch`): StepwiseClient.decay_now."""
        return self._amended(self.client.decay_now(self.scheduler_id, amendment_id, decay_steps, **decay))

    def _amended(self, resource: Any) -> Any:
        if resource["last_epoch"] == self.last_epoch:
            self._apply(resource)
        spec = resource.get("scheduler_in_force") or {}
        if spec.get("type") == "OneCycleLR" and spec.get("total_steps") is not None:
            # Accelerate reads total_steps of a OneCycleLR
            self.total_steps = spec["total_steps"]
        return resource

    # -- checkpoints ---------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """A self-contained checkpoint of the schedule: the id, the registration (spec and starting
        param groups) and the service's full state document (``GET .../state``) at this epoch.
        Only plain Python values: ``torch.load(..., weights_only=True)`` reads it."""
        document: StateDocument | None = self.client.get_state(self.scheduler_id)
        if document is not None and document.get("last_epoch") != self.last_epoch:
            warnings.warn(
                f"the service's scheduler {self.scheduler_id!r} is at last_epoch {document.get('last_epoch')}, "
                f"this one at {self.last_epoch}: the checkpoint holds no state document, so it restores only "
                "where the service still records that epoch",
                RuntimeWarning,
                stacklevel=2,
            )
            document = None
        out: dict[str, Any] = {
            "format": CHECKPOINT_FORMAT,
            "client_version": __version__,
            "scheduler_id": self.scheduler_id,
            "attempt": self.attempt,  # the attempt that wrote it (informative: a restore uses its own)
            "last_epoch": self.last_epoch,
            "position": self._position,
            "scheduler": copy.deepcopy(self.spec),
            "param_groups": copy.deepcopy(self._registration.get("param_groups")),
            "state": document,
        }
        if hasattr(self, "_step_count"):
            out["_step_count"] = self._step_count
        return out

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore the service to the checkpoint and write its values into the optimizer.

        Where the service still records the checkpoint's epoch with the same state, that is a
        resume (the later history is discarded). Otherwise, on a wiped database or another
        deployment, the spec is registered if the id is unknown and the checkpoint's state document
        is PUT. With a training attempt, every rank may load the checkpoint: the first restore
        starts the attempt there, the other ranks' restores of that epoch change nothing, also
        after the first rank stepped on. Without one, every rank must load before any rank steps
        again (load, then a barrier).
        """
        if state_dict["scheduler_id"] != self.scheduler_id:
            raise ValueError(f"checkpoint is for scheduler {state_dict['scheduler_id']!r}, not {self.scheduler_id!r}")
        document = state_dict.get("state")
        epoch = state_dict["last_epoch"]
        state: State | None = None
        try:
            state = self.client.resume(self.scheduler_id, epoch, attempt=self.attempt)
            # Recorded differently (or after further fractional steps): the document wins. (With an
            # attempt, another rank may have stepped on already: then the PUT of the same state is
            # answered from the record of the checkpoint's epoch and changes nothing.)
            if document is not None and self.client.get_state(self.scheduler_id) != document:
                state = None
        except StepwiseError as error:
            if document is None or error.status not in (404, 409) or isinstance(error, StaleAttemptError):
                raise
            if error.status == 404:
                registration = state_dict.get("param_groups")
                if registration is None:
                    raise
                self.client.register(registration, state_dict["scheduler"], id=self.scheduler_id, attempt=self.attempt)
        if state is None:
            state = self.client.put_state(self.scheduler_id, document, attempt=self.attempt)  # type: ignore[arg-type]
        self._apply(state)
        if hasattr(self, "base_lrs") and isinstance(document, Mapping) and "base_lrs" in document:
            self.base_lrs = list(document["base_lrs"])
        self._position = float(state_dict.get("position", state["last_epoch"]))
        if "_step_count" in state_dict and hasattr(self, "_step_count"):
            self._step_count = state_dict["_step_count"]


# -- the classes ---------------------------------------------------------------------------------

_SPEC_ARG = 3  # RemoteLRScheduler(optimizer, client, scheduler_id, scheduler)


def _spec_of(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
    return kwargs.get("scheduler", args[_SPEC_ARG] if len(args) > _SPEC_ARG else None)


try:
    import torch.optim.lr_scheduler as _torch_sched
    from torch.optim import Optimizer as _Optimizer
except ImportError:  # pragma: no cover - exercised by a subprocess test without torch
    _torch_sched = None  # type: ignore[assignment]

if TYPE_CHECKING or _torch_sched is None:
    _Base: Any = object
    _PlateauBase: Any = object
else:
    _Base = getattr(_torch_sched, "LRScheduler", None) or _torch_sched._LRScheduler
    _PlateauBase = _torch_sched.ReduceLROnPlateau

TORCH = _torch_sched is not None


class RemoteLRScheduler(_Remote, _Base):
    """A torch LR scheduler whose values come from the Stepwise service.

    ``RemoteLRScheduler(optimizer, client, scheduler_id, spec)`` registers `scheduler_id` with the
    optimizer's starting lrs (and momenta) and `spec`, e.g. ``{"type": "CosineAnnealingLR",
    "T_max": 100}``, idempotently (every DDP rank may do it), and writes the service's state into
    the optimizer, as a torch scheduler's constructor does. A plateau spec returns a
    `RemoteReduceLROnPlateau`. `client` is a `StepwiseClient` or a base URL.

    `attempt` names the training attempt (one launch of the job), shared by all its ranks; by
    default it is ``f"{TORCHELASTIC_RUN_ID}/{TORCHELASTIC_RESTART_COUNT}"`` under torchrun, else
    none. With an attempt, a new attempt starts the schedule afresh at epoch 0 unless it loads a
    checkpoint (``load_state_dict``), which it then resumes; a rank of an earlier attempt gets
    `StaleAttemptError` from then on. Without one, construction attaches to whatever state the id
    has.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is RemoteLRScheduler and steps_on_a_metric(_spec_of(args, kwargs)):
            cls = RemoteReduceLROnPlateau
        return super().__new__(cls)

    def __init__(
        self,
        optimizer: Any,
        client: ClientLike,
        scheduler_id: str,
        scheduler: Mapping[str, Any],
        *,
        attempt: str | None = None,
        unit: str | None = None,
    ) -> None:
        if unit is not None:
            # a schedule in tokens or samples: every step(consumed=n) says how many it consumed
            scheduler = {**scheduler, "unit": unit}
        self._init_remote(client, scheduler_id, scheduler, attempt)
        if not TORCH:
            self.optimizer = optimizer
            self._registration_groups()
            self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
            self._step_count = 0
            self._apply(self._register())
            if self._kind == "base":
                self._step_count = 1
            return
        # torch's constructor sets initial_lr and base_lrs, wraps optimizer.step to detect the
        # call order, and runs _initial_step(), whose step() is the registration here.
        self._registering = True
        try:
            _Base.__init__(self, optimizer)
        finally:
            self._registering = False

    def step(  # type: ignore[override]
        self, epoch: Any = None, *, count: int = 1, consumed: int | None = None
    ) -> None:
        """torch's step(): the next epoch. ``step(epoch)`` posts that epoch: for
        CosineAnnealingWarmRestarts any epoch from its position on, fractional ones included
        (``step(epoch + i / iters)``); for the others (deprecated in torch, which warns, and so does
        this) the next epoch, or an earlier one, answered from the history.

        ``step(count=k)`` is k ``step()`` calls in one request (gradient accumulation, Accelerate's
        ``num_processes`` steps). ``step(consumed=n)`` is required for a schedule in tokens or
        samples (``unit="tokens"``): how many the step consumed (each of them, with count)."""
        if getattr(self, "_registering", False):
            answer = self._register()
        else:
            answer = self._post(epoch, count=count, consumed=consumed)
        self._check_groups(answer)
        self._answer_lrs = [values["lr"] for values in answer["param_groups"]]
        base_lrs = getattr(self, "_service_base_lrs", None)
        if base_lrs is not None:
            self.base_lrs = list(base_lrs)
            self._service_base_lrs = None
        if TORCH and self._kind == "base":
            # torch's own step(): the call-order warnings, _step_count, the epoch deprecation
            # warning, the groups' lr from get_lr() (the service's answer), _last_lr, print_lr (1.13).
            _Base.step(self, epoch)
            self._step_count += count - 1  # torch's step() counted one of the k
        elif not TORCH and self._kind == "base" and not getattr(self, "_registering", False):
            self._step_count += count
        self._apply(answer)

    def get_lr(self) -> list[Any]:
        return _Remote.get_lr(self)

    def state_dict(self) -> dict[str, Any]:
        return _Remote.state_dict(self)

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:  # type: ignore[override]
        _Remote.load_state_dict(self, state_dict)


class RemoteReduceLROnPlateau(RemoteLRScheduler, _PlateauBase):
    """A remote `ReduceLROnPlateau` (or HF `reduce_lr_on_plateau`): ``step(metrics)``, the metric
    posted with the step. Like torch's, it neither wraps ``optimizer.step`` nor counts
    ``_step_count``; its hyperparameters (mode, factor, patience, ...) are attributes, its counters
    (best, num_bad_epochs, cooldown_counter) live in the service (``client.get_state(id)``)."""

    def __init__(
        self,
        optimizer: Any,
        client: ClientLike,
        scheduler_id: str,
        scheduler: Mapping[str, Any],
        *,
        attempt: str | None = None,
    ) -> None:
        if TORCH and not isinstance(optimizer, _Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self._init_remote(client, scheduler_id, scheduler, attempt)
        self.optimizer = optimizer
        self._apply(self._register())
        for key in ("mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "eps"):
            if key in self.normalized_spec:
                setattr(self, key, self.normalized_spec[key])
        min_lr = self.normalized_spec.get("min_lr", 0.0)
        self.min_lrs = list(min_lr) if isinstance(min_lr, list) else [min_lr] * len(optimizer.param_groups)

    def step(self, metrics: Any, epoch: Any = None) -> None:  # type: ignore[override]
        """torch's ``step(metrics)``: post the metric (a float or a 0-dim tensor) with the next epoch.
        stepwise.WarmupPlateau also takes ``step(None)`` during its warmup, which counts no metric."""
        current = None if metrics is None and self.spec.get("type") == "stepwise.WarmupPlateau" else float(metrics)
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._apply(self._post(epoch, current))
