"""Accelerate's scheduler wrapper, taking its steps in one request.

Accelerate's ``AcceleratedScheduler.step`` (``accelerate/scheduler.py``, huggingface/accelerate
@ 16cb6eb80dd9aa8b4df1a63ef57863e455d53b83) calls ``scheduler.step()`` ``num_processes`` times per
optimizer step unless ``split_batches`` (for a OneCycleLR only while ``_step_count <= total_steps``).
With a remote scheduler that is ``num_processes`` requests from every process;
`CountingAcceleratedScheduler` makes them one, ``step(count=num_processes)``, with the same result.

    model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
    scheduler = stepwise_client.accelerate.prepare(accelerator, remote_scheduler)

Accelerate is imported only when a wrapper is made.
"""

from __future__ import annotations

from typing import Any


def steps_per_call(scheduler: Any, num_processes: int, split_batches: bool) -> int:
    """How many ``scheduler.step()`` calls Accelerate makes for one optimizer step: 1 with
    ``split_batches``, else ``num_processes``, of which a scheduler with ``total_steps`` (OneCycleLR)
    takes only those while ``_step_count <= total_steps``."""
    if split_batches:
        return 1
    total = getattr(scheduler, "total_steps", None)
    if not hasattr(scheduler, "total_steps"):
        return num_processes
    if total is None:
        return 0  # Accelerate compares _step_count <= None, which raises; take no step
    remaining: int = total - scheduler._step_count + 1
    return max(0, min(num_processes, remaining))


def counting_step(wrapper: Any, num_processes: int, *args: Any, **kwargs: Any) -> None:
    """``AcceleratedScheduler.step`` with its loop of ``scheduler.step()`` calls made one request."""
    if not wrapper.step_with_optimizer:
        wrapper.scheduler.step(*args, **kwargs)
        return
    if not wrapper.gradient_state.sync_gradients:
        if wrapper.gradient_state.adjust_scheduler:
            wrapper.scheduler._step_count += 1
        return
    for optimizer in wrapper.optimizers:
        if optimizer.step_was_skipped:
            return
    count = steps_per_call(wrapper.scheduler, num_processes, wrapper.split_batches)
    if count > 0:
        wrapper.scheduler.step(*args, count=count, **kwargs)


def _counting_class() -> type:
    from accelerate.scheduler import AcceleratedScheduler  # type: ignore[import-not-found,unused-ignore]
    from accelerate.state import AcceleratorState  # type: ignore[import-not-found,unused-ignore]

    class CountingAcceleratedScheduler(AcceleratedScheduler):  # type: ignore[misc,unused-ignore]
        """``AcceleratedScheduler`` whose ``num_processes`` steps are one ``step(count=...)``."""

        def step(self, *args: Any, **kwargs: Any) -> None:
            counting_step(self, AcceleratorState().num_processes, *args, **kwargs)

    return CountingAcceleratedScheduler


def prepare(accelerator: Any, scheduler: Any) -> Any:
    """``accelerator.prepare_scheduler(scheduler)`` (wrap it with the prepared optimizer it
    schedules, register it for checkpoints) with the counting wrapper; prepare the optimizer first."""
    optimizer = accelerator._optimizers
    for prepared in accelerator._optimizers:
        if getattr(scheduler, "optimizer", None) == prepared.optimizer:
            optimizer = prepared
            break
    wrapped = _counting_class()(
        scheduler,
        optimizer,
        step_with_optimizer=accelerator.step_scheduler_with_optimizer,
        split_batches=accelerator.split_batches,
    )
    accelerator._schedulers.append(wrapped)
    return wrapped
