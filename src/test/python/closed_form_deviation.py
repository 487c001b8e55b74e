#!/usr/bin/env python3
"""How far torch's own recursion drifts from its _get_closed_form_lr over long fast-forwards.

Stepwise fast-forwards the chainable types beyond Schedule's threshold by the closed form;
this measures, with the real torch, the difference between stepping n times and
_get_closed_form_lr() at n, for random specs, in units of the parity tolerance
(|a-b| <= 1e-9*|b| + 1e-12*peak, peak = the largest |lr| of the trace so far).

    python3 src/test/python/closed_form_deviation.py --specs 200 --steps 200000 --seed 1
"""
import argparse
import json
import math
import random
import warnings

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as L

warnings.filterwarnings("ignore")


def draw(r):
    t = r.choice(["StepLR", "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR"])
    if t == "StepLR":
        return {"type": t, "step_size": r.choice([1, 2, 3, 7, 10, 100, 1000]),
                "gamma": r.choice([0.1, 0.5, 0.9, 0.99, 0.999, 1.001, 1.01, r.uniform(0.5, 1.0)])}
    if t == "LinearLR":
        return {"type": t, "start_factor": r.uniform(0.01, 1.0), "end_factor": r.uniform(0.0, 1.0),
                "total_iters": r.choice([10_001, 50_000, 100_000, 1_000_000, r.randint(10_001, 2_000_000)])}
    if t == "ExponentialLR":
        return {"type": t, "gamma": r.choice([0.9, 0.99, 0.9999, 0.99999, 1.000001, 1.00001,
                                              r.uniform(0.9999, 1.0), r.uniform(0.99, 1.0)])}
    if t == "PolynomialLR":
        return {"type": t, "total_iters": r.choice([10_001, 100_000, 1_000_000, r.randint(10_001, 2_000_000)]),
                "power": r.choice([0.5, 1.0, 2.0, 3.0, r.uniform(0.1, 4.0)])}
    return {"type": t, "T_max": r.choice([1, 2, 3, 10, 100, 1000, 10_000, 100_000, 1_000_000, r.randint(1, 2_000_000)]),
            "eta_min": r.choice([0.0, 0.0, 1e-5, r.uniform(0.0, 0.05)])}


def run(spec, lrs, steps, checkpoints):
    opt = SGD([{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs], lr=lrs[0])
    kw = {k: v for k, v in spec.items() if k != "type"}
    sched = getattr(L, spec["type"])(opt, **kw)
    peak = max(abs(x) for x in lrs)
    worst = (0.0, None)
    for n in range(1, steps + 1):
        sched.step()
        got = [g["lr"] for g in opt.param_groups]
        peak = max(peak, *(abs(x) for x in got))
        if n in checkpoints:
            try:
                closed = sched._get_closed_form_lr()
            except OverflowError:
                continue  # Stepwise steps there: the closed form is not taken
            for a, b in zip(closed, got):
                if not math.isfinite(a) or not math.isfinite(b):
                    continue  # not taken either: the closed form must be finite
                units = abs(a - b) / (1e-9 * abs(b) + 1e-12 * peak) if a != b else 0.0
                if units > worst[0]:
                    worst = (units, {"n": n, "closed": a, "stepped": b, "peak": peak,
                                     "abs_tol_units": abs(a - b) / (1e-12 + 1e-9 * abs(b))})
    return worst


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--specs", type=int, default=200)
    p.add_argument("--steps", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    r = random.Random(a.seed)
    checkpoints = {10_001, 20_000, 50_000, 99_999, 100_000, 200_000, 500_000, 1_000_000, a.steps}
    checkpoints |= {r.randint(10_001, a.steps) for _ in range(20)}
    overall = (0.0, None)
    for i in range(a.specs):
        spec = draw(r)
        lrs = [r.choice([1.0, 0.1, r.uniform(1e-4, 1.0)]) for _ in range(2)]
        units, where = run(spec, lrs, a.steps, checkpoints)
        print(json.dumps({"i": i, "spec": spec, "lrs": lrs, "worst_units": units, "where": where}), flush=True)
        if units >= overall[0]:
            overall = (units, {"spec": spec, "lrs": lrs, "where": where})
    print(json.dumps({"worst": overall}), flush=True)


if __name__ == "__main__":
    main()
