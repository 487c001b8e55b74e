#!/usr/bin/python3
"""Writes src/test/resources/lrfinder/golden.json: Lightning's LR range test and both lr suggestion rules.

README: run from the repository root with a Python that has torch (2.13 for the committed file; Debian's
1.13 gives the same numbers, float32 tensor arithmetic being the same):

    python3 src/test/python/lr_finder_traces.py            # rewrite the golden file
    python3 src/test/python/lr_finder_traces.py --check    # exit 1 if it differs

Lightning and fastai cannot be installed here, so what Stepwise follows is transcribed below, line for
line, from their sources (the comments name each origin):

- Lightning-AI/pytorch-lightning at 7f0c3436cd3f6ad3753125672024fc415cbcb414,
  src/lightning/pytorch/tuner/lr_finder.py: _LinearLR, _ExponentialLR (real torch LRScheduler
  subclasses, run on a real torch.optim.SGD), _LRCallback's smoothing and early stop, and
  _LRFinder.suggestion (real torch.gradient on float32 tensors);
- fastai/fastai at 0a049e8a90b86d70860f68072698245a1ee787ca, fastai/callback/schedule.py: valley, on the
  slice lr_find takes ([num_it//10:-5], cut at the first NaN), compared as float32 tensors.

Stepwise's own decisions, not Lightning's, are marked "Stepwise:". LightningRangeTestGoldenTest and
LrFinderGoldenTest replay every case in Java; LrFinderIT posts the first range test through the API.
"""
import argparse
import json
import math
import random
import sys
from pathlib import Path

import torch

try:
    from torch.optim.lr_scheduler import LRScheduler
except ImportError:  # torch 1.13 names the base class _LRScheduler
    from torch.optim.lr_scheduler import _LRScheduler as LRScheduler

OUT = Path(__file__).resolve().parents[1] / "resources" / "lrfinder" / "golden.json"
DEFAULTS = {"start_lr": 1e-8, "end_lr": 1.0, "num_steps": 100, "mode": "exponential",
            "early_stop_threshold": 4.0, "beta": 0.98}


# --- lightning/pytorch/tuner/lr_finder.py @ 7f0c3436 ------------------------------------------------
class _LinearLR(LRScheduler):
    def __init__(self, optimizer, end_lr, num_iter, last_epoch=-1):
        self.end_lr = end_lr
        self.num_iter = num_iter
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        curr_iter = self.last_epoch + 1
        r = curr_iter / self.num_iter

        if self.last_epoch > 0:
            val = [base_lr + r * (self.end_lr - base_lr) for base_lr in self.base_lrs]
        else:
            val = list(self.base_lrs)
        self._lr = val
        return val

    @property
    def lr(self):
        return self._lr


class _ExponentialLR(LRScheduler):
    def __init__(self, optimizer, end_lr, num_iter, last_epoch=-1):
        self.end_lr = end_lr
        self.num_iter = num_iter
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        curr_iter = self.last_epoch + 1
        r = curr_iter / self.num_iter

        if self.last_epoch > 0:
            val = [base_lr * (self.end_lr / base_lr) ** r for base_lr in self.base_lrs]
        else:
            val = list(self.base_lrs)
        self._lr = val
        return val

    @property
    def lr(self):
        return self._lr


class _LRCallback:
    """on_train_batch_start / on_train_batch_end, without the trainer."""

    def __init__(self, num_training, early_stop_threshold=4.0, beta=0.98):
        self.num_training = num_training
        self.early_stop_threshold = early_stop_threshold
        self.beta = beta
        self.losses = []
        self.lrs = []
        self.avg_loss = 0.0
        self.best_loss = 0.0
        self.should_stop = False

    def on_train_batch_start(self, scheduler):
        self.lrs.append(scheduler.lr[0])

    def on_train_batch_end(self, current_loss, current_step):
        if current_loss is None:  # "if not outputs": nan, not considered by the suggestion
            self.losses.append(float("nan"))
            return
        self.avg_loss = self.beta * self.avg_loss + (1 - self.beta) * current_loss
        smoothed_loss = self.avg_loss / (1 - self.beta ** (current_step + 1))
        if (
            self.early_stop_threshold is not None
            and current_step > 1
            and smoothed_loss > self.early_stop_threshold * self.best_loss
        ):
            self.should_stop = True
        if smoothed_loss < self.best_loss or current_step == 1:
            self.best_loss = smoothed_loss
        self.losses.append(smoothed_loss)


def lightning_suggestion(results, skip_begin=10, skip_end=1):
    """_LRFinder.suggestion: the index into results and the lr, or None."""
    losses = torch.tensor(results["loss"][skip_begin:-skip_end])
    lrs = torch.tensor(results["lr"][skip_begin:-skip_end])
    is_finite = torch.isfinite(losses)
    losses = losses[is_finite]
    lrs = lrs[is_finite]

    if len(losses) < 2:
        return None

    gradients = torch.gradient(losses, spacing=[lrs])[0]
    min_grad = torch.argmin(gradients).item()
    all_losses_idx = torch.arange(len(results["loss"]))
    idx_non_skipped = all_losses_idx[skip_begin:-skip_end]
    idx_finite = idx_non_skipped[is_finite]
    optimal_idx = idx_finite[min_grad].item()
    return optimal_idx


# --- fastai/callback/schedule.py @ 0a049e8a ----------------------------------------------------------
def valley(lrs, losses, num_it):
    n = len(losses)
    max_start, max_end = 0, 0

    # find the longest valley
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]

    sections = (max_end - max_start) / 3
    idx = max_start + int(sections) + int(sections / 2)
    return idx


def fastai_valley(results, num_it):
    """Learner.lr_find's slice and NaN cut, then valley: the index into results, or None.

    Stepwise: the index is reported with the point's own (float64) lr; fastai returns float(lrs[idx])
    of its float32 tensor."""
    begin = num_it // 10
    losses = torch.tensor(results["loss"][begin:-5])
    lrs = torch.tensor(results["lr"][begin:-5])
    nan_idxs = torch.nonzero(torch.isnan(losses.view(-1)))
    if len(nan_idxs) > 0:
        drop_idx = min(nan_idxs)
        lrs = lrs[:drop_idx]
        losses = losses[:drop_idx]
    if len(losses) == 0:  # Stepwise: fastai raises IndexError on lrs[0]
        return None
    idx = valley(lrs, losses, num_it)
    # a decreasing run from the first point makes max_start -1: lrs[-1] is the last point
    return begin + (idx if idx >= 0 else idx + len(losses))


# --- the cases -----------------------------------------------------------------------------------------
def synthetic_losses(seed, count, lrs_for_shape, floor=0.4, explode_at=0.3, noise=0.02):
    """A loss against lr with a valley and a divergence: high at tiny lrs, lowest below explode_at."""
    rng = random.Random(seed)
    out = []
    for lr in lrs_for_shape[:count]:
        x = math.log10(max(lr, 1e-12))
        base = floor + 2.0 / (1 + math.exp(2.5 * (x + 3.5)))
        if lr > explode_at:
            base += 40 * (lr - explode_at)
        out.append(round(base + noise * (rng.random() - 0.5), 6))
    return out


def ramp(spec, count):
    """The lr of each batch of a range test, for shaping its synthetic losses."""
    start, end, n = spec["start_lr"], spec["end_lr"], spec["num_steps"]
    return [start if e == 0 else (start * (end / start) ** ((e + 1) / n) if spec["mode"] == "exponential"
                                  else start + (e + 1) / n * (end - start)) for e in range(count)]


def range_test(name, groups, spec, losses):
    """Runs Lightning's callback and scheduler over the losses as Lightning's fit loop would, and the states
    Stepwise records after each step."""
    full = dict(DEFAULTS, **spec)
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    optimizer = torch.optim.SGD([{"params": [p], "lr": 0.5 + i} for i, p in enumerate(params)], lr=0.1)
    # _LRFinder._exchange_scheduler
    for group in optimizer.param_groups:
        group["lr"] = full["start_lr"]
        group["initial_lr"] = full["start_lr"]
    args = (optimizer, full["end_lr"], full["num_steps"])
    scheduler = _LinearLR(*args) if full["mode"] == "linear" else _ExponentialLR(*args)
    callback = _LRCallback(full["num_steps"], full["early_stop_threshold"], beta=full["beta"])
    states = [{"last_epoch": 0, "lr": optimizer.param_groups[0]["lr"], "finished_at": 0}]
    global_step = 0
    for loss in losses:
        callback.on_train_batch_start(scheduler)
        optimizer.step()
        global_step += 1
        scheduler.step()  # update_lr_schedulers("step") runs before on_train_batch_end
        callback.on_train_batch_end(loss, global_step)
        finished = callback.should_stop or global_step >= full["num_steps"]
        for group in optimizer.param_groups[1:]:
            assert group["lr"] == optimizer.param_groups[0]["lr"]
        states.append({
            "last_epoch": global_step,
            # Stepwise: a finished test returns the lr to start_lr (Lightning restores its checkpoint)
            "lr": full["start_lr"] if finished else optimizer.param_groups[0]["lr"],
            "avg_loss": callback.avg_loss, "best_loss": callback.best_loss,
            "smoothed_loss": callback.losses[-1], "finished_at": global_step if finished else 0})
        if finished:
            break
    results = {"lr": callback.lrs, "loss": callback.losses}
    return {"name": name, "groups": groups, "scheduler": dict({"type": "stepwise.LRRangeTest"}, **spec),
            "metrics": losses[:len(callback.losses)], "states": states,
            "curve": results, "suggestions": suggestions(results, full["num_steps"])}


def suggestions(results, num_it, skips=((10, 1), (0, 1), (3, 4))):
    return {"steepest": [{"skip_begin": b, "skip_end": e, "index": lightning_suggestion(results, b, e)}
                         for b, e in skips],
            "valley": {"num_it": num_it, "index": fastai_valley(results, num_it)}}


def smoothed(raw, beta=0.98):
    """The curve's losses from raw ones, as _LRCallback smooths them (None: no metric)."""
    callback = _LRCallback(len(raw), None, beta)
    for step, loss in enumerate(raw, start=1):
        callback.on_train_batch_end(loss, step)
    return callback.losses


def analysis(name, lrs, raw, beta=0.98, num_it=None):
    results = {"lr": lrs, "loss": smoothed(raw, beta)}
    return {"name": name, "beta": beta, "lrs": lrs, "metrics": raw, "curve": results,
            "suggestions": suggestions(results, num_it if num_it is not None else len(lrs))}


def cases():
    first = dict(start_lr=1e-6, end_lr=1.0, num_steps=100)
    tests = [
        range_test("exponential, diverges", 1, first,
                   synthetic_losses(1, 100, ramp(dict(DEFAULTS, **first), 100), explode_at=0.02)),
        range_test("linear, no early stop, three groups", 3,
                   dict(start_lr=0.001, end_lr=0.1, num_steps=40, mode="linear", early_stop_threshold=None),
                   synthetic_losses(2, 40, ramp(dict(DEFAULTS, start_lr=0.001, end_lr=0.1, num_steps=40,
                                                     mode="linear"), 40), explode_at=10)),
        range_test("NaN loss midway", 2, dict(start_lr=1e-5, end_lr=10.0, num_steps=30, beta=0.9),
                   [2.0 - 0.05 * i for i in range(12)] + [float("nan")] + [1.0] * 17),
        range_test("threshold 2, beta 0.5", 1, dict(start_lr=1e-4, end_lr=1.0, num_steps=20,
                                                   early_stop_threshold=2.0, beta=0.5),
                   [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.6, 0.9, 1.4, 2.5, 4.0, 6.0, 9.0, 12.0, 20.0, 30.0,
                    40.0, 50.0, 60.0, 70.0]),
        range_test("one step", 1, dict(num_steps=1), [3.5]),
        range_test("defaults, a tiny loss", 1, {}, [1e-30] * 15 + [1e-28] * 85),
    ]
    lrs20 = [1e-4 * 10 ** (i / 5) for i in range(20)]
    analyses = [
        analysis("flat", lrs20, [1.0] * 20),
        analysis("ties in the gradient", [float(i + 1) for i in range(16)],
                 [10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0, -1.0, -2.0, -3.0, -4.0, -5.0], beta=0.0),
        analysis("NaN and infinities", lrs20,
                 [2.0, 1.9, 1.8, float("inf"), 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, float("-inf"), 0.7,
                  0.6, 0.5, float("nan"), 0.3, 0.2, 0.1], beta=0.0),
        analysis("missing metrics", lrs20, [2.0, 1.9, None, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, None, 1.0, 0.9, 0.8,
                                            0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]),
        analysis("beyond float32", lrs20, [1e39] * 5 + [3.0 - 0.1 * i for i in range(15)], beta=0.0),
        analysis("constant lr", [0.01] * 20, [2.0 - 0.05 * i for i in range(20)]),
        analysis("too few points", lrs20[:12], [1.0 - 0.01 * i for i in range(12)]),
        analysis("one point", lrs20[:1], [1.0]),
        analysis("a valley of two falling points", lrs20[:7], [3.0, 2.0, 2.5, 2.6, 2.7, 2.8, 2.9], beta=0.0, num_it=7),
        analysis("valley with a bump", [1e-5 * 10 ** (i / 10) for i in range(60)],
                 [3.0 - 0.04 * i if i < 25 else (2.0 + 0.2 * math.sin(i) if i < 40 else 2.0 + 0.3 * (i - 40))
                  for i in range(60)], num_it=60),
    ]
    return {"lightning_commit": "7f0c3436cd3f6ad3753125672024fc415cbcb414",
            "fastai_commit": "0a049e8a90b86d70860f68072698245a1ee787ca",
            "range_tests": tests, "analyses": analyses}


def number(value):
    """JSON has no NaN or infinities: they are the strings the API writes."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [number(v) for v in value]
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    text = json.dumps(number(cases()), indent=1) + "\n"
    if args.check:
        if args.out.read_text(encoding="utf-8") == text:
            print(f"{args.out}: the same, torch {torch.__version__}")
            return 0
        print(f"{args.out} differs from what lr_finder_traces.py writes with torch {torch.__version__}")
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} (torch {torch.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
