"""What the training frameworks do with a scheduler, replicated from their source, line for line
where it touches the scheduler (transformers, Lightning, Accelerate and DeepSpeed cannot be
installed here). Each function names the file, function and commit it follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import optim
from torch.optim.lr_scheduler import ReduceLROnPlateau

LRScheduler = getattr(optim.lr_scheduler, "LRScheduler", None) or optim.lr_scheduler._LRScheduler

TRANSFORMERS = "huggingface/transformers src/transformers/trainer.py @ 000945a9b726d87a93e61e873b88ff8f3cd411b5"
LIGHTNING = "Lightning-AI/pytorch-lightning @ 7f0c3436cd3f6ad3753125672024fc415cbcb414 (2.6.0+169)"
ACCELERATE = "huggingface/accelerate src/accelerate/scheduler.py @ 16cb6eb80dd9aa8b4df1a63ef57863e455d53b83"
DEEPSPEED = "deepspeedai/DeepSpeed deepspeed/runtime/engine.py @ edaa7221267243c7be7fb49c5d5f5c4fb97b4641 (0.19.5+27)"


# -- transformers.Trainer ----------------------------------------------------------------------


def hf_after_optimizer_step(lr_scheduler: Any, optimizer_step_was_skipped: bool = False) -> None:
    """Trainer._inner_training_loop, after ``self.optimizer.step()``."""
    if not optimizer_step_was_skipped:
        # Delay optimizer scheduling until metrics are generated
        if not isinstance(lr_scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            lr_scheduler.step()


def hf_evaluate(
    lr_scheduler: Any, callbacks: list[Any], args: Any, metrics: dict[str, float], skip_scheduler: bool = False
) -> None:
    """Trainer._evaluate: ``self.evaluate()`` (whose end is ``callback_handler.on_evaluate``, every
    callback called with ``lr_scheduler=self.lr_scheduler`` among its kwargs, as
    CallbackHandler.call_event passes it), then the delayed plateau step."""
    for callback in callbacks:
        callback.on_evaluate(args, None, None, metrics=metrics, lr_scheduler=lr_scheduler, optimizer=None)
    # Run delayed LR scheduler now that metrics are populated
    if isinstance(lr_scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau) and not skip_scheduler:
        metric_to_check = args.metric_for_best_model
        if not metric_to_check.startswith("eval_"):
            metric_to_check = f"eval_{metric_to_check}"
        lr_scheduler.step(metrics[metric_to_check])


# -- Lightning ---------------------------------------------------------------------------------


@dataclass
class LRSchedulerConfig:
    """lightning/pytorch/utilities/types.py LRSchedulerConfig (the fields the loop reads)."""

    scheduler: Any
    name: str | None = None
    interval: str = "epoch"
    frequency: int = 1
    reduce_on_plateau: bool = False
    monitor: str | None = None
    strict: bool = True


class MisconfigurationException(Exception):
    pass


def lightning_configure_schedulers(optim_conf: dict[str, Any]) -> list[LRSchedulerConfig]:
    """core/optimizer.py: _configure_optimizers (the single-dict case), then
    _configure_schedulers_automatic_opt and _validate_scheduler_api."""
    monitor = optim_conf.get("monitor", None)
    schedulers = [optim_conf["lr_scheduler"]] if "lr_scheduler" in optim_conf else []
    configs = []
    for scheduler in schedulers:
        if isinstance(scheduler, dict):
            if "interval" in scheduler and scheduler["interval"] not in ("step", "epoch"):
                raise MisconfigurationException('The "interval" key in lr scheduler dict must be "step" or "epoch"')
            scheduler["reduce_on_plateau"] = scheduler.get(
                "reduce_on_plateau", isinstance(scheduler["scheduler"], optim.lr_scheduler.ReduceLROnPlateau)
            )
            if scheduler["reduce_on_plateau"] and scheduler.get("monitor") is None:
                raise MisconfigurationException("The lr scheduler dict must include a monitor ...")
            config = LRSchedulerConfig(**scheduler)
        elif isinstance(scheduler, ReduceLROnPlateau):
            if monitor is None:
                raise MisconfigurationException("`configure_optimizers` must include a monitor ...")
            config = LRSchedulerConfig(scheduler, reduce_on_plateau=True, monitor=monitor)
        else:
            config = LRSchedulerConfig(scheduler)
        configs.append(config)
    for config in configs:  # _validate_scheduler_api (automatic optimization, no lr_scheduler_step override)
        scheduler = config.scheduler
        if not (hasattr(scheduler, "state_dict") and hasattr(scheduler, "load_state_dict")):  # _Stateful
            raise TypeError(f"The provided lr scheduler `{scheduler.__class__.__name__}` is invalid.")
        if not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):  # LRSchedulerTypeTuple
            raise MisconfigurationException(
                f"The provided lr scheduler `{scheduler.__class__.__name__}` doesn't follow PyTorch's LRScheduler API."
            )
        if config.scheduler.optimizer is not optim_conf["optimizer"]:  # _validate_optimizers_attached
            raise MisconfigurationException("Some schedulers are attached with an optimizer that wasn't returned")
    return configs


def lightning_update_learning_rates(
    configs: list[LRSchedulerConfig],
    interval: str,
    update_plateau_schedulers: bool,
    batch_idx: int,
    current_epoch: int,
    callback_metrics: dict[str, Any],
) -> None:
    """loops/training_epoch_loop.py: _TrainingEpochLoop._update_learning_rates, with
    LightningModule.lr_scheduler_step's default body."""
    for config in configs:
        if update_plateau_schedulers ^ config.reduce_on_plateau:
            continue
        current_idx = batch_idx if interval == "step" else current_epoch
        current_idx += 1  # account for both batch and epoch starts from 0
        if config.interval == interval and current_idx % config.frequency == 0:
            monitor_val = None
            if config.reduce_on_plateau:
                monitor_val = callback_metrics.get(config.monitor)
                if monitor_val is None:
                    raise MisconfigurationException(f"ReduceLROnPlateau conditioned on metric {config.monitor}")
            # LightningModule.lr_scheduler_step
            if monitor_val is None:
                config.scheduler.step()
            else:
                config.scheduler.step(monitor_val)


def lightning_fit(
    configs: list[LRSchedulerConfig],
    optimizer: torch.optim.Optimizer,
    epochs: int,
    batches: int,
    val_loss: Any,
) -> None:
    """The order the fit loop calls things in (training_epoch_loop.advance / on_advance_end and
    fit_loop.on_advance_end): per batch, optimizer.step(), then the non-plateau "step" schedulers
    (and at the last batch the "epoch" ones); validation at the end of the epoch, then the plateau
    schedulers ("step" interval in the epoch loop, "epoch" interval in the fit loop)."""
    for epoch in range(epochs):
        for batch_idx in range(batches):
            optimizer.step()
            lightning_update_learning_rates(configs, "step", False, batch_idx, epoch, {})
            if batch_idx == batches - 1:
                lightning_update_learning_rates(configs, "epoch", False, batch_idx, epoch, {})
        metrics = {"val_loss": val_loss(epoch)}
        lightning_update_learning_rates(configs, "step", True, batches - 1, epoch, metrics)
        lightning_update_learning_rates(configs, "epoch", True, batches - 1, epoch, metrics)


# -- Accelerate --------------------------------------------------------------------------------


class AcceleratedScheduler:
    """accelerate/scheduler.py AcceleratedScheduler.step (step_with_optimizer=True), with the
    AcceleratorState().num_processes and gradient-state flags passed in."""

    def __init__(self, scheduler: Any, num_processes: int, split_batches: bool = False) -> None:
        self.scheduler = scheduler
        self.num_processes = num_processes
        self.split_batches = split_batches
        self.sync_gradients = True
        self.step_was_skipped = False

    def step(self, *args: Any, **kwargs: Any) -> None:
        if not self.sync_gradients:
            return
        if self.step_was_skipped:
            return
        if self.split_batches:
            self.scheduler.step(*args, **kwargs)
        else:
            for _ in range(self.num_processes):
                # Special case when using OneCycle and `drop_last` was not used
                if hasattr(self.scheduler, "total_steps"):
                    if self.scheduler._step_count <= self.scheduler.total_steps:
                        self.scheduler.step(*args, **kwargs)
                else:
                    self.scheduler.step(*args, **kwargs)

    def get_last_lr(self) -> Any:
        return self.scheduler.get_last_lr()

    def state_dict(self) -> Any:
        return self.scheduler.state_dict()

    def load_state_dict(self, state_dict: Any) -> None:
        self.scheduler.load_state_dict(state_dict)


def accelerate_prepare(obj: Any, num_processes: int, split_batches: bool = False) -> Any:
    """Accelerator._prepare_one, second pass: only an LRScheduler is wrapped."""
    if isinstance(obj, LRScheduler):
        return AcceleratedScheduler(obj, num_processes, split_batches)
    return obj


# -- DeepSpeed ---------------------------------------------------------------------------------


class DeepSpeedEngine:
    """runtime/engine.py: _configure_lr_scheduler, _take_model_step's scheduler part, and the
    lr_scheduler entries of _common_checkpoint_state / _load_checkpoint."""

    def __init__(self, optimizer: torch.optim.Optimizer, lr_scheduler: Any, train_batch_size: int = 32) -> None:
        self.optimizer = optimizer
        if callable(lr_scheduler):  # isinstance(self.client_lr_scheduler, Callable)
            self.lr_scheduler = lr_scheduler(optimizer)
        else:
            self.lr_scheduler = lr_scheduler
        self._train_batch_size = train_batch_size
        self.overflow = False

    def step(self, lr_kwargs: dict[str, Any] | None = None) -> None:
        self.optimizer.step()
        if not self.overflow and self.lr_scheduler is not None:
            try:
                self.lr_scheduler.step(**(lr_kwargs or {}))
            except TypeError:
                # XXX Hack to work with Megatron 2.0 and DeepSpeed pipelines.
                self.lr_scheduler.step(self._train_batch_size)

    def checkpoint_state(self) -> dict[str, Any]:
        return {"lr_scheduler": self.lr_scheduler.state_dict() if self.lr_scheduler is not None else None}

    def load_checkpoint_state(self, checkpoint: dict[str, Any], load_lr_scheduler_states: bool = True) -> None:
        if load_lr_scheduler_states and self.lr_scheduler is not None:
            self.lr_scheduler.load_state_dict(checkpoint["lr_scheduler"])
