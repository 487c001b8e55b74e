#!/usr/bin/python3
"""Writes the golden traces of the deepspeed.* schedules, from a transcription of DeepSpeed's classes.

DeepSpeed cannot be installed here, so these traces do NOT come from DeepSpeed itself: the classes
below transcribe LRRangeTest, OneCycle, WarmupLR, WarmupDecayLR and WarmupCosineLR from
deepspeed/runtime/lr_schedules.py at DeepSpeed commit edaa7221267243c7be7fb49c5d5f5c4fb97b4641
(2026-08-22, https://github.com/deepspeedai/DeepSpeed), with the same float operations in the same
order. Only what cannot run without torch is left out: the optimizer is a list of dicts, tensor lrs
and logger warnings are gone, and the step() the classes repeat is written once (Stepping). Standard library only, so any python3 runs it:

    python3 src/test/python/deepspeed_reference.py            # rewrite the files
    python3 src/test/python/deepspeed_reference.py --check    # exit 1 if any value differs

It writes src/test/resources/parity/deepspeed-cases.json (the cases, defined below) and
deepspeed-expected.json (one state per line). A state is the groups after registration and after
each step: "last_epoch" is the service's (steps taken), "last_batch_iteration" DeepSpeed's (one
less: the constructor leaves it at -1); "momentum" is betas[0] where OneCycle cycles it, else the
registered momentum. A registration with "last_epoch": k is the constructor followed by k step()
calls. An exception DeepSpeed raises is recorded as "error" ("error_at": the step, when it raised
while stepping). A case with "expect": "rejected" is one Stepwise refuses on purpose although
DeepSpeed takes it (an unknown warmup_type, which DeepSpeed replaces by log with a warning); a
rejected case's "field" is the field the 4xx problem must name.
DeepSpeedParityTest replays every case through the engine.
"""
import argparse
import json
import math
import sys
from pathlib import Path

from parity_traces import dumps

ROOT = Path(__file__).resolve().parents[3]
PARITY = ROOT / "src" / "test" / "resources" / "parity"
CASES = PARITY / "deepspeed-cases.json"
EXPECTED = PARITY / "deepspeed-expected.json"
COMMIT = "edaa7221267243c7be7fb49c5d5f5c4fb97b4641"

WARMUP_LOG_RATE = 'log'
WARMUP_LINEAR_RATE = 'linear'


class Optimizer:
    """What the schedules read of torch.optim.Optimizer; 'betas' in defaults, as Adam's."""

    def __init__(self, groups):
        self.param_groups = [{'lr': g['lr'], 'betas': (g.get('momentum', 0.9), 0.999)} for g in groups]
        self.defaults = {'betas': (0.9, 0.999)}


def update_lr(param_groups, lrs):
    for param_group, lr in zip(param_groups, lrs):
        param_group['lr'] = lr
    return [group['lr'] for group in param_groups]


def _format_param(optimizer, param_value, param_name):
    if isinstance(param_value, list) or isinstance(param_value, tuple):
        if len(param_value) != len(optimizer.param_groups):
            raise ValueError("expected {} value for {}, got {}".format(len(optimizer.param_groups), param_name,
                                                                       len(param_value)))
        return list(param_value)
    return [param_value] * len(optimizer.param_groups)


class Stepping(object):
    """step() as every class but OneCycle writes it (OneCycle adds the momentum)."""

    def step(self, batch_iteration=None):
        if batch_iteration is None:
            batch_iteration = self.last_batch_iteration + 1
        self.last_batch_iteration = batch_iteration
        self._last_lr = update_lr(self.optimizer.param_groups, self.get_lr())


class LRRangeTest(Stepping):

    def __init__(self,
                 optimizer,
                 lr_range_test_min_lr=1e-3,
                 lr_range_test_step_size=2000,
                 lr_range_test_step_rate=1.0,
                 lr_range_test_staircase=False,
                 last_batch_iteration=-1):
        self.optimizer = optimizer
        if isinstance(lr_range_test_min_lr, list) or isinstance(lr_range_test_min_lr, tuple):
            if len(lr_range_test_min_lr) != len(self.optimizer.param_groups):
                raise ValueError("expected {} lr_range_test_min_lr, got {}".format(len(self.optimizer.param_groups),
                                                                                   len(lr_range_test_min_lr)))
            self.min_lr = list(lr_range_test_min_lr)
        else:
            self.min_lr = [lr_range_test_min_lr] * len(self.optimizer.param_groups)
        if not isinstance(lr_range_test_step_size, int) or lr_range_test_step_size <= 0:
            raise ValueError(f"lr_range_test_step_size must be a positive integer, got {lr_range_test_step_size}")
        self.step_size = lr_range_test_step_size
        self.step_rate = lr_range_test_step_rate
        self.last_batch_iteration = last_batch_iteration
        self.staircase = lr_range_test_staircase
        self.interval_fn = self._staircase_interval if lr_range_test_staircase else self._continuous_interval
        if last_batch_iteration == -1:
            self._last_lr = update_lr(self.optimizer.param_groups, self.min_lr)

    def _staircase_interval(self):
        return math.floor(float(self.last_batch_iteration + 1) / self.step_size)

    def _continuous_interval(self):
        return float(self.last_batch_iteration + 1) / self.step_size

    def _get_increase(self):
        return (1 + self.step_rate * self.interval_fn())

    def get_lr(self):
        lr_increase = self._get_increase()
        return [lr_range_test_min_lr * lr_increase for lr_range_test_min_lr in self.min_lr]



class OneCycle(Stepping):

    def __init__(self,
                 optimizer,
                 cycle_min_lr,
                 cycle_max_lr,
                 decay_lr_rate=0.,
                 cycle_first_step_size=2000,
                 cycle_second_step_size=None,
                 cycle_first_stair_count=0,
                 cycle_second_stair_count=None,
                 decay_step_size=0,
                 cycle_momentum=True,
                 cycle_min_mom=0.8,
                 cycle_max_mom=0.9,
                 decay_mom_rate=0.,
                 last_batch_iteration=-1):
        self.optimizer = optimizer
        self._initialize_cycle(cycle_first_step_size, cycle_second_step_size, cycle_first_stair_count,
                               cycle_second_stair_count, decay_step_size)
        self._initialize_lr(self.optimizer, cycle_min_lr, cycle_max_lr, decay_lr_rate, last_batch_iteration)
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self._initialize_momentum(self.optimizer, cycle_min_mom, cycle_max_mom, decay_mom_rate,
                                      last_batch_iteration)
        self.last_batch_iteration = last_batch_iteration

    def _initialize_cycle(self, cycle_first_step_size, cycle_second_step_size, cycle_first_stair_count,
                          cycle_second_stair_count, decay_step_size):
        cycle_first_step_size = float(cycle_first_step_size)
        cycle_second_step_size = float(
            cycle_second_step_size) if cycle_second_step_size is not None else cycle_first_step_size
        if cycle_first_step_size <= 0:
            raise ValueError(f"cycle_first_step_size must be positive, got {cycle_first_step_size}")
        if cycle_second_step_size < 0:
            raise ValueError(f"cycle_second_step_size must be non-negative, got {cycle_second_step_size}")
        self.total_size = cycle_first_step_size + cycle_second_step_size
        self.step_ratio = cycle_first_step_size / self.total_size
        self.first_step_size = cycle_first_step_size
        self.second_step_size = cycle_second_step_size
        self.first_stair_count = cycle_first_stair_count
        self.second_stair_count = cycle_first_stair_count if cycle_second_stair_count is None else cycle_second_stair_count
        self.decay_step_size = decay_step_size
        if math.isclose(self.decay_step_size, 0):
            self.skip_lr_decay = True
            self.skip_mom_decay = True
        else:
            self.skip_lr_decay = False
            self.skip_mom_decay = False

    def _initialize_lr(self, optimizer, cycle_min_lr, cycle_max_lr, decay_lr_rate, last_batch_iteration):
        self.min_lrs = _format_param(optimizer, cycle_min_lr, 'cycle_min_lr')
        self.max_lrs = _format_param(optimizer, cycle_max_lr, 'cycle_max_lr')
        if last_batch_iteration == -1:
            update_lr(optimizer.param_groups, self.min_lrs)
        self.decay_lr_rate = decay_lr_rate
        if math.isclose(self.decay_lr_rate, 0):
            self.skip_lr_decay = True

    def _initialize_momentum(self, optimizer, cycle_min_mom, cycle_max_mom, decay_mom_rate, last_batch_iteration):
        if 'betas' not in optimizer.defaults:
            self.cycle_momentum = False
            return
        self.decay_mom_rate = decay_mom_rate
        self.min_moms = [(mom, 0.99) for mom in _format_param(optimizer, cycle_min_mom, 'cycle_min_mom')]
        self.max_moms = [(mom, 0.99) for mom in _format_param(optimizer, cycle_max_mom, 'cycle_max_mom')]
        if last_batch_iteration == -1:
            for momentum, group in zip(self.min_moms, optimizer.param_groups):
                group['betas'] = momentum
        if math.isclose(self.decay_mom_rate, 0):
            self.skip_mom_decay = True

    def _get_scale_factor(self):
        batch_iteration = (self.last_batch_iteration + 1)
        cycle = math.floor(1 + batch_iteration / self.total_size)
        x = 1. + batch_iteration / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
            stair_count = self.first_stair_count
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
            stair_count = self.second_stair_count
        if stair_count > 0:
            cycle_iteration = batch_iteration % self.total_size
            if cycle_iteration <= self.first_step_size:
                stair_position = cycle_iteration * stair_count / self.first_step_size
            else:
                stair_position = (self.total_size - cycle_iteration) * stair_count / self.second_step_size
            scale_factor = math.floor(stair_position) / stair_count
        return scale_factor

    def _get_cycle_mom(self):
        scale_factor = self._get_scale_factor()
        momentums = []
        for base_betas, max_betas in zip(self.min_moms, self.max_moms):
            cycle_min_mom = base_betas[0]
            cycle_max_mom = max_betas[0]
            base_height = (cycle_max_mom - cycle_min_mom) * scale_factor
            momentum = cycle_max_mom - base_height
            momentums.append((momentum, base_betas[1]))
        return momentums

    def _get_cycle_lr(self):
        scale_factor = self._get_scale_factor()
        lrs = []
        for cycle_min_lr, cycle_max_lr in zip(self.min_lrs, self.max_lrs):
            base_height = (cycle_max_lr - cycle_min_lr) * scale_factor
            lr = cycle_min_lr + base_height
            lrs.append(lr)
        return lrs

    def _get_decay_mom(self, decay_batch_iteration):
        if self.skip_mom_decay:
            return self.max_moms
        decay_interval = decay_batch_iteration / self.decay_step_size
        mom_decay_factor = (1 + self.decay_mom_rate * decay_interval)
        momentums = [(beta0 * mom_decay_factor, beta1) for beta0, beta1 in self.max_moms]
        return momentums

    def _get_decay_lr(self, decay_batch_iteration):
        if self.skip_lr_decay:
            return self.min_lrs
        decay_interval = decay_batch_iteration / self.decay_step_size
        lr_decay_factor = (1 + self.decay_lr_rate * decay_interval)
        lrs = [cycle_min_lr / lr_decay_factor for cycle_min_lr in self.min_lrs]
        return lrs

    def get_lr(self):
        if self.last_batch_iteration < self.total_size:
            return self._get_cycle_lr()
        return self._get_decay_lr(self.last_batch_iteration - self.total_size + 1)

    def get_mom(self):
        if not self.cycle_momentum:
            return None
        if self.last_batch_iteration < self.total_size:
            return self._get_cycle_mom()
        return self._get_decay_mom(self.last_batch_iteration - self.total_size + 1)

    def step(self, batch_iteration=None):
        super().step(batch_iteration)
        if self.cycle_momentum:
            momentums = self.get_mom()
            for param_group, momentum in zip(self.optimizer.param_groups, momentums):
                param_group['betas'] = momentum


class WarmupLR(Stepping):

    def __init__(self,
                 optimizer,
                 warmup_min_lr=0.0,
                 warmup_max_lr=None,
                 warmup_num_steps=1000,
                 warmup_type=WARMUP_LOG_RATE,
                 last_batch_iteration=-1):
        if not isinstance(warmup_num_steps, int) or warmup_num_steps <= 0:
            raise ValueError(f"warmup_num_steps must be a positive integer, got {warmup_num_steps}")
        self.optimizer = optimizer
        if warmup_max_lr is None:
            warmup_max_lr = [group['lr'] for group in self.optimizer.param_groups]
        self.min_lrs = _format_param(self.optimizer, warmup_min_lr, "min_lr")
        self.max_lrs = _format_param(self.optimizer, warmup_max_lr, "max_lr")
        self.delta_lrs = [big - small for big, small in zip(self.max_lrs, self.min_lrs)]
        self.warmup_num_steps = max(2, warmup_num_steps)
        if warmup_type not in {WARMUP_LOG_RATE, WARMUP_LINEAR_RATE}:
            warmup_type = WARMUP_LOG_RATE
        self.warmup_type = warmup_type
        self.inverse_log_warm_up = 1.0 / math.log(self.warmup_num_steps)
        self.last_batch_iteration = last_batch_iteration
        if last_batch_iteration == -1:
            self._last_lr = update_lr(self.optimizer.param_groups, self.get_lr())

    def get_lr(self):
        if self.last_batch_iteration < 0:
            return self.min_lrs
        gamma = self._get_gamma()
        return [min_lr + (delta_lr * gamma) for min_lr, delta_lr in zip(self.min_lrs, self.delta_lrs)]

    def _get_gamma(self):
        if self.last_batch_iteration < self.warmup_num_steps:
            if self.warmup_type == WARMUP_LOG_RATE:
                return self.inverse_log_warm_up * math.log(self.last_batch_iteration + 1)
            elif self.warmup_type == WARMUP_LINEAR_RATE:
                return self.last_batch_iteration / self.warmup_num_steps
        return 1.0


class WarmupDecayLR(WarmupLR):

    def __init__(self,
                 optimizer,
                 total_num_steps,
                 warmup_min_lr=0.0,
                 warmup_max_lr=0.001,
                 warmup_num_steps=1000,
                 warmup_type=WARMUP_LOG_RATE,
                 last_batch_iteration=-1):
        self.total_num_steps = total_num_steps
        super(WarmupDecayLR, self).__init__(optimizer, warmup_min_lr, warmup_max_lr, warmup_num_steps, warmup_type,
                                            last_batch_iteration)

    def _get_gamma(self):
        if self.last_batch_iteration < self.warmup_num_steps:
            return super()._get_gamma()  # DeepSpeed repeats WarmupLR's warmup here
        return max(
            0.0,
            float(self.total_num_steps - self.last_batch_iteration) /
            float(max(1.0, self.total_num_steps - self.warmup_num_steps)))


class WarmupCosineLR(Stepping):

    def __init__(self,
                 optimizer,
                 total_num_steps,
                 warmup_min_ratio=0.0,
                 warmup_num_steps=1000,
                 cos_min_ratio=0.0001,
                 warmup_type=WARMUP_LOG_RATE,
                 last_batch_iteration=-1):
        if not isinstance(warmup_num_steps, int) or warmup_num_steps <= 0:
            raise ValueError(f"warmup_num_steps must be a positive integer, got {warmup_num_steps}")
        self.optimizer = optimizer
        self.total_num_steps = total_num_steps
        self.last_batch_iteration = last_batch_iteration
        self.cos_min_ratio = cos_min_ratio
        if warmup_type not in {WARMUP_LOG_RATE, WARMUP_LINEAR_RATE}:
            warmup_type = WARMUP_LOG_RATE
        self.warmup_type = warmup_type
        self.warmup_min_ratio = warmup_min_ratio
        self.warmup_num_steps = max(2, warmup_num_steps)
        self.inverse_log_warm_up = 1.0 / math.log(self.warmup_num_steps)
        self.org_lrs = [group['lr'] for group in self.optimizer.param_groups]
        if last_batch_iteration == -1:
            self._last_lr = update_lr(self.optimizer.param_groups, self.get_lr())

    def get_lr_ratio(self):
        if self.last_batch_iteration < 0:
            return 0.0
        if self.last_batch_iteration < self.warmup_num_steps:
            if self.warmup_type == WARMUP_LOG_RATE:
                ratio = self.inverse_log_warm_up * math.log(self.last_batch_iteration + 1)
            elif self.warmup_type == WARMUP_LINEAR_RATE:
                ratio = self.last_batch_iteration / self.warmup_num_steps
            ratio_delta = 1. - self.warmup_min_ratio
            ratio = self.warmup_min_ratio + ratio * ratio_delta
            return ratio
        real_last_step = self.last_batch_iteration - self.warmup_num_steps + 1
        real_total_steps = max(1, self.total_num_steps - self.warmup_num_steps)
        cosine_progress = min(1.0, real_last_step / real_total_steps)
        ratio_delta = 1. - self.cos_min_ratio
        ratio = (1 + math.cos(math.pi * cosine_progress)) / 2
        ratio = max(0.0, self.cos_min_ratio + ratio_delta * ratio)
        return ratio

    def get_lr(self):
        if self.last_batch_iteration < 0:
            return [0.0 for _ in self.org_lrs]
        lr_ratio = self.get_lr_ratio()
        return [org_lr * lr_ratio for org_lr in self.org_lrs]


CLASSES = {"deepspeed." + c.__name__: c for c in (LRRangeTest, OneCycle, WarmupLR, WarmupDecayLR, WarmupCosineLR)}


def case(name, scheduler, groups=None, steps=10, **extra):
    result = {"name": name, "param_groups": groups or [{"lr": 0.01}], "scheduler": scheduler, "steps": steps}
    result.update(extra)
    return result


TWO = [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.85}]

CASES_LIST = [
    # WarmupLR
    case("ds-warmup-log-defaults-max-from-group", {"type": "deepspeed.WarmupLR", "warmup_num_steps": 10}, steps=15),
    case("ds-warmup-linear-two-groups", {"type": "deepspeed.WarmupLR", "warmup_min_lr": 0.001, "warmup_max_lr": 0.1,
                                          "warmup_num_steps": 5, "warmup_type": "linear"}, TWO, steps=10),
    case("ds-warmup-per-group-lists", {"type": "deepspeed.WarmupLR", "warmup_min_lr": [0.0, 0.01],
                                       "warmup_max_lr": [0.1, 0.2], "warmup_num_steps": 4}, TWO, steps=8),
    case("ds-warmup-one-step-counts-as-two", {"type": "deepspeed.WarmupLR", "warmup_max_lr": 0.5,
                                              "warmup_num_steps": 1, "warmup_type": "linear"}, steps=5),
    case("ds-warmup-zero-steps-refused", {"type": "deepspeed.WarmupLR", "warmup_num_steps": 0},
         field="scheduler.warmup_num_steps"),
    case("ds-warmup-fast-forward", {"type": "deepspeed.WarmupLR", "warmup_max_lr": 0.003}, steps=5,
         last_epoch=500),
    case("ds-warmup-list-length-refused", {"type": "deepspeed.WarmupLR", "warmup_max_lr": [0.1, 0.2, 0.3]}, TWO,
         field="scheduler.warmup_max_lr"),
    case("ds-warmup-unknown-type-refused-by-stepwise", {"type": "deepspeed.WarmupLR", "warmup_type": "cosine"},
         expect="rejected", expect_status=[422], field="scheduler.warmup_type"),
    # WarmupDecayLR
    case("ds-warmup-decay-linear-past-end", {"type": "deepspeed.WarmupDecayLR", "total_num_steps": 20,
                                             "warmup_num_steps": 5, "warmup_type": "linear"}, steps=25),
    case("ds-warmup-decay-log", {"type": "deepspeed.WarmupDecayLR", "total_num_steps": 100, "warmup_min_lr": 1e-5,
                                 "warmup_max_lr": 3e-4, "warmup_num_steps": 10}, TWO, steps=110),
    case("ds-warmup-decay-total-below-warmup", {"type": "deepspeed.WarmupDecayLR", "total_num_steps": 3,
                                                "warmup_num_steps": 5, "warmup_type": "linear"}, steps=10),
    case("ds-warmup-decay-one-warmup-step", {"type": "deepspeed.WarmupDecayLR", "total_num_steps": 10,
                                             "warmup_num_steps": 1}, steps=12),
    case("ds-warmup-decay-far-past-end", {"type": "deepspeed.WarmupDecayLR", "total_num_steps": 1000}, steps=3,
         last_epoch=10000),
    case("ds-warmup-decay-per-group-max", {"type": "deepspeed.WarmupDecayLR", "total_num_steps": 12,
                                           "warmup_max_lr": [0.1, 0.05], "warmup_num_steps": 3}, TWO, steps=14),
    case("ds-warmup-decay-total-missing", {"type": "deepspeed.WarmupDecayLR"},
         field="scheduler.total_num_steps"),
    # WarmupCosineLR
    case("ds-warmup-cosine-linear", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 30,
                                     "warmup_min_ratio": 0.1, "warmup_num_steps": 5, "cos_min_ratio": 0.01,
                                     "warmup_type": "linear"}, TWO, steps=40),
    case("ds-warmup-cosine-log-defaults", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 50,
                                           "warmup_num_steps": 10}, steps=60),
    case("ds-warmup-cosine-total-below-warmup", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 4,
                                                 "warmup_num_steps": 6}, steps=12),
    case("ds-warmup-cosine-one-warmup-step", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 8,
                                              "warmup_num_steps": 1, "warmup_type": "linear"}, steps=10),
    case("ds-warmup-cosine-far-past-end", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 1000,
                                           "warmup_num_steps": 100}, steps=3, last_epoch=2000),
    case("ds-warmup-cosine-mid-decay-fast-forward", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 5000,
                                                     "warmup_num_steps": 100}, TWO, steps=5, last_epoch=2500),
    case("ds-warmup-cosine-zero-steps-refused", {"type": "deepspeed.WarmupCosineLR", "total_num_steps": 10,
                                                 "warmup_num_steps": 0},
         field="scheduler.warmup_num_steps"),
    # OneCycle
    case("ds-one-cycle-basic", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001, "cycle_max_lr": 0.01,
                                "cycle_first_step_size": 5}, TWO, steps=15),
    case("ds-one-cycle-asymmetric-decay", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001, "cycle_max_lr": 0.01,
                                           "decay_lr_rate": 0.5, "cycle_first_step_size": 4,
                                           "cycle_second_step_size": 6, "decay_step_size": 2,
                                           "decay_mom_rate": 0.1}, TWO, steps=20),
    case("ds-one-cycle-staircase", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.01, "cycle_max_lr": 0.1,
                                    "cycle_first_step_size": 8, "cycle_first_stair_count": 4,
                                    "cycle_second_step_size": 6, "cycle_second_stair_count": 3}, steps=20),
    case("ds-one-cycle-no-momentum-per-group", {"type": "deepspeed.OneCycle", "cycle_min_lr": [0.001, 0.002],
                                                "cycle_max_lr": [0.01, 0.03], "cycle_first_step_size": 3,
                                                "cycle_momentum": False}, TWO, steps=12),
    case("ds-one-cycle-no-momentum-none-registered", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                      "cycle_max_lr": 0.01, "cycle_first_step_size": 3,
                                                      "cycle_momentum": False}, steps=8),
    case("ds-one-cycle-momentum-none-registered", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                   "cycle_max_lr": 0.01, "cycle_first_step_size": 3}, steps=8),
    case("ds-one-cycle-second-half-zero", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001, "cycle_max_lr": 0.01,
                                           "cycle_first_step_size": 5, "cycle_second_step_size": 0,
                                           "cycle_first_stair_count": 2}, steps=12),
    case("ds-one-cycle-per-group-momentum", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                             "cycle_max_lr": 0.01, "cycle_first_step_size": 4,
                                             "cycle_min_mom": [0.8, 0.85], "cycle_max_mom": [0.9, 0.95]}, TWO,
         steps=10),
    case("ds-one-cycle-decay-divides-by-zero", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                "cycle_max_lr": 0.01, "decay_lr_rate": -0.5,
                                                "cycle_first_step_size": 2, "decay_step_size": 1}, steps=10),
    case("ds-one-cycle-fast-forward-through-zero-division", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                             "cycle_max_lr": 0.01, "decay_lr_rate": -0.5,
                                                             "cycle_first_step_size": 2, "decay_step_size": 1},
         steps=3, last_epoch=20, field="last_epoch"),
    case("ds-one-cycle-fast-forward-far-decay", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                 "cycle_max_lr": 0.01, "decay_lr_rate": 0.001,
                                                 "cycle_first_step_size": 1000, "decay_step_size": 100,
                                                 "decay_mom_rate": 0.0001}, TWO, steps=3, last_epoch=100000),
    case("ds-one-cycle-first-step-size-zero-refused", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                       "cycle_max_lr": 0.01, "cycle_first_step_size": 0},
         field="scheduler.cycle_first_step_size"),
    case("ds-one-cycle-second-step-size-negative-refused", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001,
                                                            "cycle_max_lr": 0.01, "cycle_second_step_size": -1},
         field="scheduler.cycle_second_step_size"),
    case("ds-one-cycle-max-lr-missing", {"type": "deepspeed.OneCycle", "cycle_min_lr": 0.001},
         field="scheduler.cycle_max_lr"),
    # LRRangeTest
    case("ds-range-test-continuous", {"type": "deepspeed.LRRangeTest", "lr_range_test_min_lr": 1e-4,
                                      "lr_range_test_step_size": 5}, steps=20),
    case("ds-range-test-staircase-per-group", {"type": "deepspeed.LRRangeTest", "lr_range_test_min_lr": [1e-4, 1e-3],
                                               "lr_range_test_step_size": 3, "lr_range_test_step_rate": 0.5,
                                               "lr_range_test_staircase": True}, TWO, steps=12),
    case("ds-range-test-step-size-one", {"type": "deepspeed.LRRangeTest", "lr_range_test_step_size": 1,
                                         "lr_range_test_step_rate": 10.0}, steps=6),
    case("ds-range-test-fast-forward", {"type": "deepspeed.LRRangeTest", "lr_range_test_min_lr": 1e-7}, steps=3,
         last_epoch=1000000),
    case("ds-range-test-step-size-zero-refused", {"type": "deepspeed.LRRangeTest", "lr_range_test_step_size": 0},
         field="scheduler.lr_range_test_step_size"),
    case("ds-range-test-list-length-refused", {"type": "deepspeed.LRRangeTest", "lr_range_test_min_lr": [1e-4]},
         TWO, field="scheduler.lr_range_test_min_lr"),
]


def error(ex):
    return type(ex).__name__ + ": " + str(ex)


def run(case_input):
    """The trace of one case, as DeepSpeedParityTest reads it."""
    name = case_input["name"]
    spec = dict(case_input["scheduler"])
    cls = CLASSES[spec.pop("type")]
    groups = case_input["param_groups"]
    optimizer = Optimizer(groups)
    try:
        scheduler = cls(optimizer, **spec)
        for _ in range(case_input.get("last_epoch", 0)):
            scheduler.step()
    except (TypeError, ValueError, ZeroDivisionError) as ex:
        return {"name": name, "error": error(ex)}
    cycles = getattr(scheduler, "cycle_momentum", False)

    def state(epoch):
        reported = []
        for group, registered in zip(optimizer.param_groups, groups):
            momentum = group["betas"][0] if cycles else registered.get("momentum")
            reported.append({"lr": group["lr"], "momentum": momentum})
        return {"last_epoch": epoch, "last_batch_iteration": scheduler.last_batch_iteration, "param_groups": reported}

    first = case_input.get("last_epoch", 0)
    states = [state(first)]
    for i in range(case_input["steps"]):
        try:
            scheduler.step()
        except ZeroDivisionError as ex:
            return {"name": name, "states": states, "error_at": i, "error": error(ex)}
        states.append(state(first + i + 1))
    return {"name": name, "states": states}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()
    cases_text = json.dumps(CASES_LIST, indent=1) + "\n"
    expected_text = dumps([run(c) for c in CASES_LIST])
    if args.check:
        stale = [p.name for p, text in ((CASES, cases_text), (EXPECTED, expected_text))
                 if not p.exists() or p.read_text() != text]
        if stale:
            print("deepspeed_reference.py --check: differs from the committed " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"deepspeed_reference.py --check: {len(CASES_LIST)} cases match (DeepSpeed {COMMIT[:7]}, transcribed)")
        return 0
    CASES.write_text(cases_text)
    EXPECTED.write_text(expected_text)
    print(f"wrote {CASES.name} and {EXPECTED.name}: {len(CASES_LIST)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
