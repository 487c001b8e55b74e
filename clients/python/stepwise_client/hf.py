"""`StepwiseCallback` for the Hugging Face `transformers.Trainer`.

Pass the remote scheduler as ``Trainer(..., optimizers=(optimizer, scheduler))``. The Trainer steps
it itself, the same way as a torch scheduler (transformers' trainer.py, followed at commit
000945a9b726d87a93e61e873b88ff8f3cd411b5):

- after every optimizer step that was not skipped: ``lr_scheduler.step()``, unless
  ``isinstance(lr_scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)``;
- in ``_evaluate``, for a ReduceLROnPlateau: ``lr_scheduler.step(metrics[metric_to_check])``, where
  ``metric_to_check`` is ``args.metric_for_best_model`` with an ``eval_`` prefix;
- checkpoints: ``torch.save(lr_scheduler.state_dict(), "scheduler.pt")`` and
  ``lr_scheduler.load_state_dict(torch.load(..., weights_only=True))``.

A remote plateau schedule is a ReduceLROnPlateau, so the Trainer posts the eval metric itself.
The callback posts it only where the Trainer will not: for a plateau schedule the Trainer does
not hold (e.g. ``optimizers=(optimizer, None)`` or a wrapped scheduler), once per evaluation. It
also fails at ``on_train_begin``, not after the first evaluation, when a plateau schedule has no
``metric_for_best_model`` to read (the Trainer would raise there).
"""

from __future__ import annotations

from typing import Any

try:
    from transformers import TrainerCallback as _CallbackBase
except ImportError:  # transformers absent: the same hooks, all no-ops

    class _CallbackBase:  # type: ignore[no-redef]
        def __getattr__(self, name: str) -> Any:
            if name.startswith("on_"):
                return lambda *args, **kwargs: None
            raise AttributeError(name)


def _plateau(scheduler: Any) -> bool:
    try:
        import torch.optim.lr_scheduler as sched
    except ImportError:
        return False
    return isinstance(scheduler, sched.ReduceLROnPlateau)


def metric_key(args: Any) -> str | None:
    """The eval metric the Trainer steps a ReduceLROnPlateau with (``_evaluate``'s metric_to_check)."""
    name = getattr(args, "metric_for_best_model", None)
    if name is None:
        return None
    return name if name.startswith("eval_") else f"eval_{name}"


class StepwiseCallback(_CallbackBase):
    """Keeps a remote plateau schedule fed with the eval metric under ``transformers.Trainer``.

    `scheduler` is the `RemoteLRScheduler` (or any ReduceLROnPlateau). `metric` names the eval
    metric to post (default: the Trainer's ``metric_for_best_model``).
    """

    def __init__(self, scheduler: Any, metric: str | None = None) -> None:
        self.scheduler = scheduler
        self.metric = metric
        self.posted = 0  # evaluations whose metric this callback posted

    def _key(self, args: Any) -> str | None:
        if self.metric is not None:
            return self.metric if self.metric.startswith("eval_") else f"eval_{self.metric}"
        return metric_key(args)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if _plateau(self.scheduler) and self._key(args) is None:
            raise ValueError(
                "a ReduceLROnPlateau schedule steps on an eval metric: set "
                "TrainingArguments(metric_for_best_model=..., eval_strategy='steps' or 'epoch')"
            )

    def on_evaluate(self, args: Any, state: Any, control: Any, metrics: Any = None, **kwargs: Any) -> None:
        if not _plateau(self.scheduler) or metrics is None:
            return
        if kwargs.get("lr_scheduler") is self.scheduler and metric_key(args) is not None:
            return  # the Trainer's _evaluate steps it with metrics[metric_to_check] right after this
        key = self._key(args)
        if key is None or key not in metrics:
            raise KeyError(f"eval metric {key!r} not among {sorted(metrics)}")
        self.scheduler.step(metrics[key])
        self.posted += 1
