#!/usr/bin/env python3
"""Differential fuzzer: Stepwise against the real torch.optim.lr_scheduler (torch 2.13 or newer).

Draws random scheduler specs (all 26 types, boundary values, nested SequentialLR/ChainedScheduler,
fast-forward, plateau metrics with NaN/inf/ties, expressions, 1-4 param groups, invalid specs),
computes each one's trace with the shared oracle (../shared/parity/oracle.py, imported in-process,
so run this with a Python that has torch >= 2.13) and asks the service for the same thing:
POST /api/v1/previews for most cases, a registration plus POST .../steps (check.py's own check) for a
share of them, and a registration with fractional-epoch steps for CosineAnnealingWarmRestarts.

    python3 src/test/python/fuzz.py --jar target/stepwise-0.1.0-SNAPSHOT.jar --cases 500
    python3 src/test/python/fuzz.py --url http://127.0.0.1:8080 --seed 42 --cases 10000 --types StepLR,cosine
    python3 src/test/python/fuzz.py --url http://127.0.0.1:8080 --seed 42 --only 1234      # one case again

How a case is judged (the rules of check.py and ParityTest):
  * torch raises while constructing (or fast-forwarding): the service must refuse with 400 or 422,
    400 for TypeError/AttributeError/KeyError, 422 for ValueError/ZeroDivisionError/IndexError
    (either for other exceptions, e.g. SyntaxError/NameError from an expression);
  * torch raises at step k: the preview of all steps must be 409, and the preview of the steps before
    k must be 200 with torch's states;
  * otherwise 200 with torch's states: every lr and momentum within |a-b| <= 1e-9*|b| + 1e-12*peak
    (peak: the largest finite |value| of that group over the case), NaN equal to NaN, inf to inf.
  Stepwise is deliberately stricter than PyTorch in a few documented ways (README, "Where PyTorch
  versions differ"): non-finite arguments, non-integers where PyTorch needs ints, per-group lists of
  the wrong length, a nested composite after the first child of a SequentialLR, JSON values of the
  wrong type, and a non-finite lr in the registered state (torch's first state) are refused at
  registration. Such refusals are counted as "tolerated", not as failures.

A failure prints the seed, the case index (--only reproduces it), a minimised case (fewer steps,
groups, arguments and children while it still fails the same way) and both answers. --save FILE
appends the minimised failures as parity cases (the format of src/test/resources/parity/*-cases.json).
Failures that match a divergence already known (KNOWN below) are marked "known". Exit status: 0 when
nothing failed, 1 when something did (known ones too, unless --ignore-known), 2 on a usage error.
"""
import argparse
import copy
import http.client
import importlib.util
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import warnings
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_ORACLE = ROOT.parent / "shared" / "parity" / "oracle.py"
REL, ABS = 1e-9, 1e-12
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

TORCH_TYPES = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
               "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
               "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"]
HF_TYPES = ["constant", "constant_with_warmup", "linear", "cosine", "cosine_with_restarts", "polynomial",
            "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr",
            "warmup_stable_decay"]
ALL_TYPES = TORCH_TYPES + HF_TYPES
PLATEAU = {"ReduceLROnPlateau", "reduce_lr_on_plateau"}
COMPOSITE = {"SequentialLR", "ChainedScheduler"}
INT_ARGS = {"step_size", "total_iters", "T_max", "T_0", "T_mult", "step_size_up", "step_size_down", "total_steps",
            "epochs", "steps_per_epoch", "patience", "cooldown", "num_warmup_steps", "num_training_steps",
            "timescale", "num_decay_steps", "num_stable_steps"}
# Arguments whose Python default is None: an explicit null is a value there, elsewhere it is refused (400).
NONE_DEFAULT_ARGS = {"step_size_down", "scale_fn", "total_steps", "epochs", "steps_per_epoch", "timescale", "min_lr",
                     "min_lr_rate", "warmup_lr_rate", "num_training_steps", "num_stable_steps"}
PER_GROUP_ARGS = {"lr_lambda", "base_lr", "max_lr", "base_momentum", "max_momentum", "min_lr"}
ERROR_STATUS = {"TypeError": 400, "AttributeError": 400, "KeyError": 400,
                "ValueError": 422, "ZeroDivisionError": 422, "IndexError": 422}

# Divergences already being fixed elsewhere: (tag, predicate(case, torch_trace, stepwise_answer)), the
# answer being {"status": ..., "body": ...}.
KNOWN = []


def known(tag):
    def register(fn):
        KNOWN.append((tag, fn))
        return fn
    return register


def walk(spec):
    """Every (nested) scheduler spec."""
    yield spec
    if isinstance(spec, dict) and isinstance(spec.get("schedulers"), list):
        for child in spec["schedulers"]:
            if isinstance(child, dict):
                yield from walk(child)


def specs(case):
    return [s for s in walk(case["scheduler"]) if isinstance(s, dict)]


@known("documented: a complex power in an expression is refused (422)")
def _k_complex_power(case, trace, answer):
    # only where Stepwise says why and torch met a complex number, so no other 422 hides here
    detail = str((answer.get("body") or {}).get("detail", ""))
    return (answer.get("status") == 422 and "fractional power" in detail
            and "complex" in str(trace.get("error", "")) + str(trace.get("states", "")))


# ------------------------------------------------------------------------------------------------
# Drawing cases


class Gen:
    """Draws one case from its own Random, so that case i of a seed is the same in every run."""

    def __init__(self, rng, types):
        self.r = rng
        self.types = types

    def pick(self, *options):
        return self.r.choice(options)

    def chance(self, p):
        return self.r.random() < p

    # numbers -----------------------------------------------------------------------------------
    def small_int(self, lo=0, hi=10):
        return self.r.randint(lo, hi)

    def count(self, lo=0, hi=12, big=True):
        """An int argument such as step_size or total_iters: mostly small, sometimes a boundary."""
        x = self.r.random()
        if x < 0.12:
            return self.pick(0, 1)
        if x < 0.16 and big:
            return self.pick(10 ** 6, 2 ** 31 - 1, 10 ** 9)
        if x < 0.2:
            return -self.small_int(1, 3)
        return self.r.randint(max(lo, 1), hi)

    def unit(self):
        """A factor in [0, 1] with boundaries."""
        return self.pick(0.0, 1.0, 0.5, 0.1, 1e-12, 5e-324, 0.9999999999, 1.0 / 3, self.r.random(),
                         round(self.r.random(), 3), self.r.random())

    def factor(self):
        """A factor, mostly in (0, 1], sometimes out of range."""
        if self.chance(0.12):
            return self.pick(0.0, -0.5, 1.5, 2.0, 1e300, -1e-9, 1, 0)
        return self.unit()

    def lr(self):
        x = self.r.random()
        if x < 0.05:
            return 0.0
        if x < 0.08:
            return self.pick(1, 0, 2)  # JSON ints: Stepwise keeps 1 and 1.0 apart, as Python does
        if x < 0.11:
            return self.pick(1e-300, 5e-324, 1e300, 1e-12)
        if x < 0.13:
            return -0.1
        return self.pick(0.1, 0.01, 1.0, 0.05, 3e-4, round(self.r.uniform(0, 1), 4), self.r.uniform(0, 2))

    def metric(self, pool):
        return self.r.choice(pool)

    # expressions -------------------------------------------------------------------------------
    def expr(self, var, depth=3):
        r = self.r
        if depth <= 0 or r.random() < 0.25:
            return self.leaf(var)
        k = r.random()
        a = self.expr(var, depth - 1)
        if k < 0.45:
            op = r.choice(["+", "-", "*", "/", "//", "%", "**", "*", "/", "+"])
            if op == "**":
                b = self.pick("2", "3", "0.5", "-1", "0", "-2", "1.5", f"({var} % 3)", "0.95", "4")
            else:
                b = self.expr(var, depth - 1)
            return self.paren(f"{a} {op} {b}")
        if k < 0.55:
            return self.paren(f"-{a}")
        if k < 0.75:
            fn = r.choice(["min", "max", "abs", "exp", "log", "sqrt", "sin", "cos", "tan", "floor", "ceil",
                           "min", "max"])
            if fn in ("min", "max"):
                args = [a] + [self.expr(var, depth - 1) for _ in range(r.randint(1, 2))]
                return f"{fn}({', '.join(args)})"
            if fn == "exp" and r.random() < 0.7:
                a = f"-{a} * 0.1"
            return f"{fn}({a})"
        if k < 0.9:
            return self.paren(f"{a} if {self.cond(var, depth - 1)} else {self.expr(var, depth - 1)}")
        return self.paren(f"{a} {r.choice(['and', 'or'])} {self.expr(var, depth - 1)}")

    def paren(self, text):
        return f"({text})" if self.r.random() < 0.8 else text

    def cond(self, var, depth):
        r = self.r
        k = r.random()
        n = r.randint(0, 12)
        if k < 0.3:
            return f"{var} {r.choice(['<', '<=', '>', '>=', '==', '!='])} {n}"
        if k < 0.45:
            return f"{r.randint(0, 3)} <= {var} < {n}"
        if k < 0.6:
            return f"{var} % {r.randint(1, 4)} == 0"
        if k < 0.7:
            return f"not {var}"
        if k < 0.85:
            return f"{var} < {n} and {var} != {r.randint(0, 5)}"
        return f"{self.expr(var, depth)} > {self.expr(var, depth)}"

    def leaf(self, var):
        r = self.r.random()
        if r < 0.4:
            return var
        if r < 0.6:
            return str(self.r.randint(0, 10))
        if r < 0.85:
            return self.pick("0.5", "0.95", "1.0", "0.1", "2.5", "1e-3", "0.0", "10.0", "0.99")
        if r < 0.95:
            return self.pick("pi", "e")
        return self.pick("1e308", "1e-320", "100")

    def lam(self, var, groups):
        if self.chance(0.2):
            return [self.expr(var) for _ in range(groups if not self.chance(0.1) else groups + 1)]
        return self.expr(var)

    # schedulers --------------------------------------------------------------------------------
    def per_group(self, groups, draw):
        if self.chance(0.3):
            n = groups if not self.chance(0.08) else self.pick(groups + 1, max(0, groups - 1))
            return [draw() for _ in range(n)]
        return draw()

    def spec(self, t, groups, depth, in_composite=False):
        """Scheduler spec of type t with every argument drawn (optional ones often left out)."""
        g, c = self, self.chance
        s = {"type": t}

        def opt(name, draw, p=0.6):
            if c(p):
                s[name] = draw()

        if t in ("LambdaLR", "MultiplicativeLR"):
            s["lr_lambda"] = g.lam("epoch", groups)
        elif t == "StepLR":
            s["step_size"] = g.count(hi=8)
            opt("gamma", g.factor)
        elif t == "MultiStepLR":
            s["milestones"] = [g.small_int(-1 if c(0.05) else 0, 15) for _ in range(g.small_int(0, 5))]
            if c(0.7):
                s["milestones"].sort()
            opt("gamma", g.factor)
        elif t == "ConstantLR":
            opt("factor", g.factor)
            opt("total_iters", lambda: g.count(hi=10))
        elif t == "LinearLR":
            opt("start_factor", g.factor)
            opt("end_factor", g.factor)
            opt("total_iters", lambda: g.count(hi=10))
        elif t == "ExponentialLR":
            s["gamma"] = g.pick(0.9, 0.5, 1.0, 0.0, 0.99, 1.01, g.r.random(), 2.0, 1e-12, -0.5)
        elif t == "PolynomialLR":
            opt("total_iters", lambda: g.count(hi=10))
            opt("power", lambda: g.pick(1.0, 2.0, 0.5, 0.0, 3, -1.0, 1e-9, g.r.uniform(0, 4)))
        elif t == "CosineAnnealingLR":
            s["T_max"] = g.count(hi=15)
            opt("eta_min", lambda: g.pick(0.0, 1e-4, 0.01, 0.1, 1.0, -0.01, 1e-300))
        elif t == "CosineAnnealingWarmRestarts":
            s["T_0"] = g.count(hi=10)
            opt("T_mult", lambda: g.pick(1, 2, 3, 0, 1, 2))
            opt("eta_min", lambda: g.pick(0.0, 1e-4, 0.01, 0.1, 1.0, -0.01))
        elif t == "CyclicLR":
            s["base_lr"] = g.per_group(groups, lambda: g.pick(0.001, 0.01, 0.0, 0.1, g.r.uniform(0, 0.1)))
            s["max_lr"] = g.per_group(groups, lambda: g.pick(0.1, 0.01, 1.0, 0.0, g.r.uniform(0, 1)))
            opt("step_size_up", lambda: g.count(hi=8, big=False))
            opt("step_size_down", lambda: g.pick(None, 0, 1, g.small_int(1, 8)), 0.4)
            mode = g.pick("triangular", "triangular2", "exp_range", None, None)
            if mode:
                s["mode"] = mode
            opt("gamma", lambda: g.pick(1.0, 0.99, 0.9, 0.5, 1.1, 0.0), 0.4)
            if c(0.3):
                s["scale_fn"] = g.expr("x")
                opt("scale_mode", lambda: g.pick("cycle", "iterations"))
            opt("cycle_momentum", lambda: g.pick(True, False), 0.5)
            opt("base_momentum", lambda: g.per_group(groups, lambda: g.pick(0.8, 0.85, 0.0, 0.9)), 0.3)
            opt("max_momentum", lambda: g.per_group(groups, lambda: g.pick(0.9, 0.95, 0.99, 0.5)), 0.3)
        elif t == "OneCycleLR":
            s["max_lr"] = g.per_group(groups, lambda: g.pick(0.1, 1.0, 0.01, 0.0, g.r.uniform(0, 1)))
            k = g.r.random()
            if k < 0.7:
                s["total_steps"] = g.count(hi=40, big=False)
            elif k < 0.95:
                s["epochs"] = g.count(hi=6, big=False)
                s["steps_per_epoch"] = g.count(hi=8, big=False)
                if c(0.1):
                    s["total_steps"] = g.count(hi=20)
            opt("pct_start", lambda: g.pick(0.3, 0.25, 0.5, 0.0, 1.0, 0.99, 1.5, g.r.random()), 0.5)
            opt("anneal_strategy", lambda: g.pick("cos", "linear"), 0.5)
            opt("cycle_momentum", lambda: g.pick(True, False), 0.4)
            opt("base_momentum", lambda: g.per_group(groups, lambda: g.pick(0.85, 0.8, 0.0)), 0.3)
            opt("max_momentum", lambda: g.per_group(groups, lambda: g.pick(0.95, 0.9, 0.99)), 0.3)
            opt("div_factor", lambda: g.pick(25.0, 1.0, 10, 1e-3, 0.0, 1e4), 0.4)
            opt("final_div_factor", lambda: g.pick(1e4, 1.0, 100, 0.0, 1e-3), 0.4)
            opt("three_phase", lambda: g.pick(True, False), 0.4)
        elif t in PLATEAU:
            opt("mode", lambda: g.pick("min", "max"), 0.5)
            opt("factor", lambda: g.pick(0.1, 0.5, 0.9, 0.0, 1.0, 0.99, g.r.random()), 0.6)
            opt("patience", lambda: g.pick(0, 1, 2, 3, 0, 10), 0.8)
            opt("threshold", lambda: g.pick(1e-4, 0.0, 0.1, 1.0, -0.1, 1e-12), 0.5)
            opt("threshold_mode", lambda: g.pick("rel", "abs"), 0.5)
            opt("cooldown", lambda: g.pick(0, 1, 2, 5), 0.5)
            opt("min_lr", lambda: g.per_group(groups, lambda: g.pick(0.0, 1e-3, 0.01, 0.05, 1.0)), 0.5)
            opt("eps", lambda: g.pick(1e-8, 0.0, 1e-3, 1.0, 1e-300), 0.4)
        elif t in COMPOSITE:
            n = g.small_int(1, 4) if t == "ChainedScheduler" else g.small_int(2, 4)
            if c(0.04):
                n = g.pick(0, 1) if t == "SequentialLR" else 0
            children = []
            for i in range(n):
                nested = depth < 3 and c(0.25 if (t == "ChainedScheduler" or i == 0) else 0.04)
                if nested:
                    ct = g.pick("SequentialLR", "ChainedScheduler")
                elif c(0.03):
                    ct = g.pick("ReduceLROnPlateau", "reduce_lr_on_plateau")
                else:
                    ct = g.r.choice([x for x in ALL_TYPES if x not in COMPOSITE and x not in PLATEAU])
                children.append(g.spec(ct, groups, depth + 1, True))
            if t == "SequentialLR":
                m = sorted(g.small_int(1, 12) for _ in range(max(0, n - 1)))
                if c(0.06):
                    m = [g.small_int(0, 12) for _ in range(max(0, n - 1) + g.pick(0, 0, 1, -1))]
                if c(0.05) and m:
                    m[0] = 0
                s["milestones"] = m
            s["schedulers"] = children
        else:
            self.hf(t, s, groups)
        return s

    def hf(self, t, s, groups):
        g, c = self, self.chance

        def opt(name, draw, p=0.5):
            if c(p):
                s[name] = draw()

        def warm():
            return g.pick(0, 1, 2, 3, 5, 10, g.small_int(0, 20))

        def train():
            return g.pick(0, 1, 5, 10, 20, 30, g.small_int(0, 50), 10 ** 6)

        if t == "constant":
            return
        s["num_warmup_steps"] = warm()
        if t == "constant_with_warmup":
            return
        if t == "inverse_sqrt":
            opt("timescale", lambda: g.pick(None, 0, 1, 5, 100, 10000))
            return
        if t == "warmup_stable_decay":
            s["num_decay_steps"] = g.pick(0, 1, 3, 5, 10, g.small_int(0, 20))
            k = g.r.random()
            if k < 0.45:
                s["num_training_steps"] = train()
            elif k < 0.9:
                s["num_stable_steps"] = g.pick(0, 1, 5, 10, g.small_int(0, 20))
            else:
                s["num_training_steps"] = train()
                s["num_stable_steps"] = g.small_int(0, 20)
            opt("warmup_type", lambda: g.pick("linear", "cosine", "1-sqrt", "exp"), 0.5)
            opt("decay_type", lambda: g.pick("linear", "cosine", "1-sqrt", "sqrt"), 0.5)
            opt("min_lr_ratio", lambda: g.pick(0.0, 0.1, 0.5, 1.0, 0.01))
            opt("num_cycles", lambda: g.pick(0.5, 1.0, 0.25, 2))
            return
        s["num_training_steps"] = train()
        if t in ("cosine", "cosine_with_min_lr", "cosine_warmup_with_min_lr"):
            opt("num_cycles", lambda: g.pick(0.5, 1.0, 0.25, 2, 0.0, 1.5))
        if t == "cosine_with_restarts":
            opt("num_cycles", lambda: g.pick(1, 2, 3, 0.5, 1.5, 0))
        if t == "polynomial":
            opt("lr_end", lambda: g.pick(1e-7, 0.0, 1e-3, 0.05, 1.0))
            opt("power", lambda: g.pick(1.0, 2.0, 0.5, 3, 0.0))
        if t in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
            k = g.r.random()
            if k < 0.45:
                s["min_lr"] = g.pick(0.0, 1e-5, 1e-3, 0.01, 0.1)
            elif k < 0.9:
                s["min_lr_rate"] = g.pick(0.0, 0.1, 0.01, 0.5, 1.0)
            elif k < 0.95:
                s["min_lr"], s["min_lr_rate"] = 0.001, 0.1
            if t == "cosine_warmup_with_min_lr":
                opt("warmup_lr_rate", lambda: g.pick(0.0, 0.1, 0.5, 1.0, None), 0.4)

    def case(self, index, seed):
        r = self.r
        t = r.choice(self.types)
        groups = r.choice([1, 1, 1, 2, 2, 3, 4])
        pgs = []
        for _ in range(groups):
            pg = {"lr": self.lr()}
            if self.chance(0.45):
                pg["momentum"] = self.pick(0.9, 0.0, 0.99, 0.5, 0.95)
            pgs.append(pg)
        case = {"name": f"fuzz-{seed}-{index}", "param_groups": pgs, "scheduler": self.spec(t, groups, 1)}
        k = r.random()
        case["steps"] = r.randint(0, 40) if k < 0.75 else r.randint(40, 120) if k < 0.95 else r.randint(120, 400)
        if self.chance(0.15):
            case["last_epoch"] = self.pick(-1, 1, 2, 3, 5, 7, r.randint(0, 60), r.randint(60, 600))
        if t in PLATEAU or (t in COMPOSITE and self.chance(0.5)):
            pool = self.pick([0.5, 0.5, 0.4, 0.6], [1.0, 0.9, 0.9, 0.9, 0.8, 1.2],
                             [0.5, float("nan"), float("inf"), 0.4, -float("inf"), 0.5],
                             [r.uniform(-1, 2) for _ in range(6)], [0.0, -0.0, 1e-300, -1e-300, 0.0],
                             [3, 2, 2, 2, 1, 5, 1e300], [100.0, 100.0001, 99.9999, 100.0])
            n = case["steps"] if t in PLATEAU and not self.chance(0.03) else r.randint(0, case["steps"])
            case["metrics"] = [self.metric(pool) for _ in range(n)]
            if self.chance(0.05) and case["metrics"]:
                case["metrics"][r.randrange(len(case["metrics"]))] = None
        if self.chance(0.14):
            self.mutate(case)
        if t == "CosineAnnealingWarmRestarts" and "_mutation" not in case and self.chance(0.35):
            self.fractional(case)
        return case

    # invalid specs -----------------------------------------------------------------------------
    def mutate(self, case):
        r = self.r
        targets = [s for s in walk(case["scheduler"])]
        s = r.choice(targets)
        args = [k for k in s if k not in ("type", "schedulers")]
        k = r.random()
        if k < 0.2 and args:
            name = r.choice(args)
            value = s.pop(name)
            s[self.misspell(name)] = value
            case["_mutation"] = "misspelt"
        elif k < 0.32:
            s[self.pick("verbose", "last_epoch", "optimizer", "foo", "lr", "gama", "T_max", "milestones")] = \
                self.pick(True, 3, 0.1, [1, 2], "x")
            case["_mutation"] = "unknown"
        elif k < 0.44 and args:
            s.pop(r.choice(args))
            case["_mutation"] = "dropped"
        elif k < 0.62 and args:
            name = r.choice(args)
            s[name] = self.pick("0.5", True, False, None, [0.1], {"a": 1}, [], "", [[1]], 2.5, 3.0, -1,
                                float("inf"), float("nan"), -float("inf"), 1e308 * 10 if False else 1e308)
            case["_mutation"] = "type"
        elif k < 0.72:
            s["type"] = self.pick(self.misspell(s["type"]), s["type"].lower(), s["type"].upper(), "AdamW",
                                  "", "lambda", "LRScheduler", "_LRScheduler")
            if s["type"] in ALL_TYPES:
                s["type"] = s["type"] + "X"
            case["_mutation"] = "type-name"
        elif k < 0.8 and s.get("type") in ("LambdaLR", "MultiplicativeLR", "CyclicLR"):
            key = "scale_fn" if s["type"] == "CyclicLR" else "lr_lambda"
            s[key] = self.pick("epoch +", "foo(epoch)", "epoch.real", "[epoch]", "lambda e: e", "x",
                               "epoch ** ** 2", "__import__('os')", "1 if epoch", "epoch; 1", "round(epoch)",
                               "epoch @ 2", "1 < < 2", "'a'", "epoch ** 0.5j", "min()", "sqrt(1, 2)")
            case["_mutation"] = "expression"
        else:
            for name in args:
                v = s[name]
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue
                if self.chance(0.5):
                    s[name] = self.pick(-v if v else -1, 0, 10 ** 12, -(10 ** 12), v * 1e6, 1e-300, 2 ** 63)
            case["_mutation"] = "range"

    def misspell(self, name):
        r = self.r
        if len(name) < 2:
            return name + "x"
        k = r.random()
        i = r.randrange(len(name))
        if k < 0.3:
            return name[:i] + name[i + 1:]
        if k < 0.5:
            return name[:i] + name[i] + name[i:]
        if k < 0.7 and i < len(name) - 1:
            return name[:i] + name[i + 1] + name[i] + name[i + 2:]
        if k < 0.85:
            return name.swapcase()
        return name + "_"

    def fractional(self, case):
        """CosineAnnealingWarmRestarts stepped with fractional epochs (scheduler.step(epoch + i / iters))."""
        r = self.r
        case.pop("last_epoch", None)
        case.pop("metrics", None)
        ops, pos, last = [], 0.0, 0
        iters = r.choice([2, 3, 4, 5, 7, 10])
        for _ in range(r.randint(1, 40)):
            k = r.random()
            if k < 0.45:  # the documented pattern: epoch + i / iters, for the next whole epoch
                nxt = None
                for i in range(1, iters + 1):
                    e = last + i / iters
                    if e > pos:
                        nxt = e
                        break
                if nxt is None:
                    nxt = last + 1
                ops.append(nxt)
            elif k < 0.7:
                hi = last + 1 + (0.999 if r.random() < 0.5 else 0)
                e = round(r.uniform(pos, hi), r.choice([2, 3, 6, 12]))
                if e <= pos or math.floor(e) > last + 1:
                    e = last + 1
                ops.append(e)
            elif k < 0.85:
                ops.append(float(last + 1) if r.random() < 0.3 else last + 1)
            else:
                ops.append(None)  # no epoch: step()
            e = ops[-1]
            if e is None:
                last += 1
                pos = last
            else:
                pos = e
                last = math.floor(e)
        case["_ops"] = ops
        case["steps"] = len(ops)


# ------------------------------------------------------------------------------------------------
# The two sides


class Service:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        if u.hostname not in LOOPBACK and u.hostname != "::1":
            raise SystemExit(f"--url must be a loopback address, not {u.hostname}")
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body, allow_nan=True)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                try:
                    return resp.status, (json.loads(raw) if raw else None)
                except ValueError:
                    return resp.status, raw.decode(errors="replace")
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                time.sleep(0.2 * (attempt + 1))
        return None

    def preview(self, case, steps=None):
        body = {"param_groups": case["param_groups"], "scheduler": case["scheduler"],
                "steps": case["steps"] if steps is None else steps}
        if case.get("last_epoch") is not None:
            body["last_epoch"] = case["last_epoch"]
        if case.get("metrics") is not None:
            m = case["metrics"]
            body["metrics"] = m if steps is None else m[:steps]
        return self.call("POST", "/api/v1/previews", body)


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def public(case):
    """The case as a parity case: without the fuzzer's own keys."""
    return {k: v for k, v in case.items() if not k.startswith("_")}


def num(v):
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        return float(v)
    return v


def is_complex(v):
    return isinstance(v, complex)


class Torch:
    def __init__(self, oracle):
        self.o = oracle
        import torch  # noqa: F401  (the oracle imported it already)

    def trace(self, case):
        c = public(case)
        for s in walk(c["scheduler"]):  # the oracle indexes type[0]: an empty or non-string type is unknown
            if isinstance(s, dict) and (not isinstance(s.get("type"), str) or not s.get("type")):
                return {"name": c["name"], "error": f"TypeError: unknown scheduler type {s.get('type')!r}"}
        for s in walk(c["scheduler"]):  # the oracle drops what ChainedScheduler(schedulers) does not take
            if isinstance(s, dict) and s.get("type") == "ChainedScheduler" and set(s) - {"type", "schedulers"}:
                extra = sorted(set(s) - {"type", "schedulers"})
                return {"name": c["name"], "error": f"TypeError: ChainedScheduler got unexpected keyword arguments {extra}"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                tr = self.o.run(c)
            except SystemExit as exc:
                return {"name": c["name"], "skip": str(exc)}
            except Exception as exc:  # noqa: BLE001  the optimizer refused the groups (SGD's own checks)
                return {"name": c["name"], "error": f"{type(exc).__name__}: {exc}"}
        return self.clean(tr, c)

    @staticmethod
    def clean(tr, c):
        """A complex lr (a negative number to a fractional power) ends the trace: what torch did there
        is no real learning rate."""
        for i, st in enumerate(tr.get("states", [])):
            for pg in st["param_groups"]:
                if is_complex(pg["lr"]) or is_complex(pg["momentum"]):
                    if i == 0:
                        return {"name": c["name"], "error": "Complex: a complex lr", "complex": True}
                    tr["states"] = tr["states"][:i]
                    tr["error_at"] = st["last_epoch"]
                    tr["error"] = "Complex: a complex lr"
                    tr["complex"] = True
                    return tr
        return tr

    def fractional(self, case):
        """Like oracle.run, but stepping a CosineAnnealingWarmRestarts with the case's epochs: step()
        for none, step() for whole epochs until the first fractional one, step(epoch) from then on."""
        o = self.o
        import torch
        params = []
        for g in case["param_groups"]:
            d = {"params": [torch.zeros(1, requires_grad=True)], "lr": g["lr"]}
            if g.get("momentum") is not None:
                d["momentum"] = g["momentum"]
                d["_given_momentum"] = True
            params.append(d)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                opt = o.SGD(params, lr=case["param_groups"][0]["lr"])
                sched = o.build(opt, case["scheduler"])
            except Exception as exc:  # noqa: BLE001
                return {"name": case["name"], "error": f"{type(exc).__name__}: {exc}"}
            states = [o.snapshot(opt, 0, False)]
            seen = False
            for e in case["_ops"]:
                opt.step()
                try:
                    if e is not None and e != math.floor(e):
                        seen = True
                    if e is None or not seen:
                        sched.step()
                    else:
                        sched.step(e)
                except Exception as exc:  # noqa: BLE001
                    return {"name": case["name"], "states": states, "error_at": len(states),
                            "error": f"{type(exc).__name__}: {exc}"}
                states.append(o.snapshot(opt, sched.last_epoch, False))
        return self.clean({"name": case["name"], "states": states}, case)


# ------------------------------------------------------------------------------------------------
# Judging


def finite_peak(states, i, key):
    best = 0.0
    for s in states:
        v = s["param_groups"][i][key]
        try:
            v = abs(float(v or 0.0))
        except OverflowError:
            continue
        if math.isfinite(v) and v > best:
            best = v
    return best


def as_double(x):
    """x as the service's IEEE double: a Python int beyond the double range is +-inf (documented)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def close(a, b, peak):
    a, b = num(a), num(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or not isinstance(a, (int, float)):
        return False
    fa, fb = as_double(a), as_double(b)
    if math.isnan(fb) or math.isnan(fa):
        return math.isnan(fa) and math.isnan(fb)
    if math.isinf(fb) or math.isinf(fa):
        return fa == fb
    return abs(fa - fb) <= REL * abs(fb) + ABS * peak


def compare_states(got_states, want_states):
    """None when the service's states are torch's, else the first difference."""
    if not isinstance(got_states, list):
        return f"no states in the answer: {str(got_states)[:200]}"
    if len(got_states) != len(want_states):
        return f"{len(got_states)} states, torch has {len(want_states)}"
    n = len(want_states[0]["param_groups"])
    peaks = [(finite_peak(want_states, i, "lr"), finite_peak(want_states, i, "momentum")) for i in range(n)]
    for got, want in zip(got_states, want_states):
        if not isinstance(got, dict) or got.get("last_epoch") != want["last_epoch"]:
            return f"last_epoch {got.get('last_epoch') if isinstance(got, dict) else got!r} != {want['last_epoch']}"
        gg = got.get("param_groups") or []
        if len(gg) != n:
            return f"epoch {want['last_epoch']}: {len(gg)} param_groups != {n}"
        for i, (g, w) in enumerate(zip(gg, want["param_groups"])):
            if not close(g.get("lr"), w["lr"], peaks[i][0]):
                return f"epoch {want['last_epoch']} group {i}: lr {g.get('lr')!r} != torch {w['lr']!r}"
            if not close(g.get("momentum"), w["momentum"], peaks[i][1]):
                return (f"epoch {want['last_epoch']} group {i}: momentum {g.get('momentum')!r} "
                        f"!= torch {w['momentum']!r}")
    return None


def exc_name(error):
    return error.split(":", 1)[0]


def has_number(value, pred):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return pred(value)
    if isinstance(value, list):
        return any(has_number(v, pred) for v in value)
    if isinstance(value, dict):
        return any(has_number(v, pred) for k, v in value.items() if k != "type")
    return False


def strictness(case, status, tr=None):
    """The documented reason Stepwise refuses at registration what torch takes (or refuses only later)."""
    groups = len(case["param_groups"])
    if status == 422 and tr and tr.get("states") and any(
            isinstance(g.get("lr"), float) and not math.isfinite(g["lr"]) for g in tr["states"][0]["param_groups"]):
        return "a non-finite lr at registration"
    for g in case["param_groups"]:
        lr = g.get("lr")
        if isinstance(lr, (int, float)) and not lr >= 0:
            return "a negative lr (the API's limit: lr >= 0)"
    if has_number(case["scheduler"], lambda v: isinstance(v, int) and not -2 ** 63 <= v < 2 ** 63):
        return "an integer beyond 64 bits"
    for s in walk(case["scheduler"]):
        if not isinstance(s, dict):
            continue
        if has_number(s, lambda v: isinstance(v, float) and not math.isfinite(v)):
            return "non-finite argument"
        for k, v in s.items():
            if k in INT_ARGS and not (isinstance(v, int) and not isinstance(v, bool)) and v is not None:
                return "non-integer where PyTorch needs an int"
            if k == "milestones" and isinstance(v, list) and any(not isinstance(x, int) or isinstance(x, bool)
                                                                 for x in v):
                return "non-integer where PyTorch needs an int"
            if k in PER_GROUP_ARGS and isinstance(v, list) and len(v) != groups:
                return "per-group list of the wrong length"
        if status == 400 and ("last_epoch" in s or (s.get("type") == "ChainedScheduler" and "optimizer" in s)):
            return "last_epoch (or optimizer) is no scheduler argument in the API"
        if status == 400 and any(k in s and not isinstance(s[k], list) for k in ("milestones", "schedulers")):
            return "JSON value of the wrong type"
        if s.get("type") == "SequentialLR" and isinstance(s.get("schedulers"), list):
            if any(isinstance(c, dict) and c.get("type") in COMPOSITE for c in s["schedulers"][1:]):
                return "nested composite after the first child of a SequentialLR"
        if status == 400 and any(v is None and k not in NONE_DEFAULT_ARGS for k, v in s.items() if k != "type"):
            return "an explicit null for an argument whose default is not None"
        if status == 422 and ((s.get("type") == "StepLR" and s.get("step_size") == 0)
                              or (s.get("type") == "CosineAnnealingLR" and s.get("T_max") == 0)):
            return "an argument with which no step is possible (StepLR step_size=0, CosineAnnealingLR T_max=0)"
        if (status == 422 and s.get("type") == "MultiplicativeLR"
                and any(isinstance(f, str) and "epoch" not in f
                        for f in (s.get("lr_lambda") if isinstance(s.get("lr_lambda"), list) else [s.get("lr_lambda")]))):
            return "a MultiplicativeLR lr_lambda that raises whatever the epoch"
        if (status == 422 and s.get("type") in COMPOSITE and isinstance(s.get("schedulers"), list)
                and any(isinstance(c, dict) and c.get("type") in PLATEAU for c in s["schedulers"])):
            return "a ReduceLROnPlateau inside a composite"
    if case.get("_mutation") == "type" and status == 400:
        return "JSON value of the wrong type"
    if case.get("_mutation") == "expression":
        return "an expression outside the documented subset"
    metrics = case.get("metrics") or []
    if (status == 400 and any(s.get("type") in PLATEAU for s in walk(case["scheduler"]) if isinstance(s, dict))
            and (len(metrics) < case["steps"] or None in metrics)):
        return "a plateau step without a metric (metric-required)"
    return None


class Verdict:
    def __init__(self, ok, why="", sig="", tolerated=None, stepwise=None):
        self.ok, self.why, self.sig, self.tolerated, self.stepwise = ok, why, sig, tolerated, stepwise


def judge_preview(svc, case, tr):
    status, body = svc.preview(case)
    short = {"status": status, "body": body if status != 200 else None}
    if status == 200 and isinstance(body, dict):
        short["states"] = body.get("states")
    if "skip" in tr:  # the oracle cannot run it (a plateau case with fewer metrics than steps)
        why = strictness(case, status, tr)
        if why:
            return Verdict(True, tolerated=why, stepwise=short)
        return Verdict(False, f"the oracle skips it ({tr['skip'][:80]}), Stepwise answers {status}: {detail(body)}",
                       f"skip->{status}", stepwise=short)
    torch_outcome = ("construct" if "states" not in tr else "step" if "error_at" in tr else "ok")
    if torch_outcome == "construct":
        exc = exc_name(tr["error"])
        want = ERROR_STATUS.get(exc)
        if tr.get("complex") and status in (409, 422):
            return Verdict(True, tolerated="complex lr", stepwise=short)
        if status in (400, 422) and (want is None or status == want):
            return Verdict(True, stepwise=short)
        if status in (400, 422):  # a case with two faults: Stepwise may name the other one first
            why = strictness(case, status, tr)
            if why:
                return Verdict(True, tolerated="two faults, Stepwise names this one: " + why, stepwise=short)
        key = problem_key(body) if status != 200 else ""
        if exc == "TypeError" and "unexpected keyword argument" in tr["error"] and status == 422:
            key = " (an unknown argument and a bad value: Stepwise names the value first)"
        return Verdict(False, f"torch raises {tr['error'][:120]!r} at construction (expect "
                              f"{want or '400/422'}), Stepwise answers {status}: {detail(body)}",
                       f"construct:{exc}->{status}{key}", stepwise=short)
    if status in (400, 422):
        why = strictness(case, status, tr)
        if why:
            return Verdict(True, tolerated=why, stepwise=short)
        if tr.get("complex") and status == 422:
            return Verdict(True, tolerated="complex lr", stepwise=short)
        what = "takes it" if torch_outcome == "ok" else f"raises only at step {tr['error_at']} ({tr['error'][:80]})"
        return Verdict(False, f"torch {what}, Stepwise refuses with {status}: {detail(body)}",
                       f"{torch_outcome}->{status}{problem_key(body)}", stepwise=short)
    if torch_outcome == "step":
        if status != 409:
            return Verdict(False, f"torch raises {tr['error'][:100]!r} at step {tr['error_at']}, Stepwise answers "
                                  f"{status}" + (f" {detail(body)}" if status != 200 else ""),
                           f"step->{status}", stepwise=short)
        ok_steps = len(tr["states"]) - 1
        status2, body2 = svc.preview(case, ok_steps)
        short["before_error"] = {"steps": ok_steps, "status": status2,
                                 "states" if status2 == 200 else "body":
                                     body2.get("states") if status2 == 200 and isinstance(body2, dict) else body2}
        if status2 != 200:
            return Verdict(False, f"torch raises at step {tr['error_at']}, but the preview of the {ok_steps} steps "
                                  f"before gives {status2}: {detail(body2)}", f"step-before->{status2}",
                           stepwise=short)
        diff = compare_states(body2.get("states"), tr["states"])
        if diff:
            return Verdict(False, diff, "values", stepwise=short)
        return Verdict(True, stepwise=short)
    if status != 200:
        return Verdict(False, f"torch takes every step, Stepwise answers {status}: {detail(body)}",
                       f"ok->{status}", stepwise=short)
    diff = compare_states(body.get("states") if isinstance(body, dict) else body, tr["states"])
    if diff:
        return Verdict(False, diff, "values", stepwise=short)
    return Verdict(True, stepwise=short)


def problem_key(body):
    """What a problem is about, for telling failures apart: the argument and the gist of the message."""
    if not isinstance(body, dict):
        return ""
    errors = body.get("errors") or []
    if errors and isinstance(errors[0], dict):
        field = re.sub(r"\[\d+\]", "", str(errors[0].get("field", ""))).split(".")[-1]
        message = str(errors[0].get("message", ""))
    else:
        field, message = "", str(body.get("detail", ""))
    message = re.sub(r"-?\d[\d.e+-]*", "N", message)
    message = re.sub(r"'[^']*'", "'…'", message)
    return f":{field}:{message[:50]}"


def detail(body):
    if isinstance(body, dict):
        return str(body.get("detail") or body)[:200]
    return str(body)[:200]


def judge_fractional(svc, case, tr):
    sid = "fuzz-" + uuid.uuid4().hex[:16]
    status, body = svc.call("POST", "/api/v1/schedulers",
                            {"id": sid, "param_groups": case["param_groups"], "scheduler": case["scheduler"]})
    log = [{"register": status}]
    try:
        if "states" not in tr:
            want = ERROR_STATUS.get(exc_name(tr["error"]))
            if status in (400, 422) and (want is None or want == status):
                return Verdict(True, stepwise=log)
            return Verdict(False, f"torch raises {tr['error'][:100]!r} at construction, registration gives {status}",
                           f"construct->{status}", stepwise=log)
        if status != 201:
            why = strictness(case, status, tr) if status in (400, 422) else None
            if why:
                return Verdict(True, tolerated=why, stepwise=log)
            return Verdict(False, f"registration gave {status}: {detail(body)}", f"register->{status}", stepwise=log)
        got = [body]
        for i, e in enumerate(case["_ops"]):
            step = {} if e is None else {"epoch": e}
            status, body = svc.call("POST", f"/api/v1/schedulers/{sid}/steps", step)
            log.append({"step": step, "status": status, "answer": body if status != 200 else
                        {"last_epoch": body.get("last_epoch"), "param_groups": body.get("param_groups")}})
            if i + 1 < len(tr["states"]):
                if status != 200:
                    return Verdict(False, f"fractional step {i + 1} ({step}) gave {status}: {detail(body)}",
                                   f"frac-step->{status}", stepwise=log)
                got.append(body)
            else:  # torch raised here
                if status != 409:
                    return Verdict(False, f"torch raises {tr['error'][:80]!r} at fractional step {i + 1}, "
                                          f"Stepwise answers {status}", f"frac-error->{status}", stepwise=log)
                break
        diff = compare_states(got, tr["states"])
        if diff:
            return Verdict(False, "fractional steps: " + diff, "frac-values", stepwise=log)
        return Verdict(True, stepwise=log)
    finally:
        svc.call("DELETE", f"/api/v1/schedulers/{sid}")


def all_finite(tr):
    for s in tr.get("states", []):
        for g in s["param_groups"]:
            for v in (g["lr"], g["momentum"]):
                if v is not None and not (isinstance(v, (int, float)) and math.isfinite(v)):
                    return False
    return True


class Runner:
    def __init__(self, svc, torch_side, check_mod, register_share):
        self.svc, self.torch, self.check, self.share = svc, torch_side, check_mod, register_share

    def evaluate(self, case, register=False):
        if "_ops" in case:
            tr = self.torch.fractional(case)
            return tr, judge_fractional(self.svc, case, tr)
        tr = self.torch.trace(case)
        v = judge_preview(self.svc, case, tr)
        if (register and v.ok and not v.tolerated and self.check is not None and "skip" not in tr
                and all_finite(tr) and not tr.get("complex")):
            base = f"http://{self.svc.host}:{self.svc.port}"
            c = public(case)
            c["name"] = "fz-" + uuid.uuid4().hex[:12]
            try:
                why = self.check.check(base, c, tr)
            except Exception as exc:  # noqa: BLE001
                why = f"{type(exc).__name__}: {exc}"
            if why:
                return tr, Verdict(False, "registration and steps (check.py): " + why, "register:" +
                                   why.split(":")[0][:40], stepwise=v.stepwise)
        return tr, v


# ------------------------------------------------------------------------------------------------
# Shrinking


def candidates(case):
    """Simpler variants of a case, the most promising first."""
    out = []
    steps = case["steps"]
    if "_ops" in case:
        for n in sorted({0, 1, len(case["_ops"]) // 2, len(case["_ops"]) - 1}):
            if n < len(case["_ops"]):
                c = copy.deepcopy(case)
                c["_ops"] = c["_ops"][:n]
                c["steps"] = n
                out.append(c)
    else:
        for n in sorted({0, 1, 2, steps // 4, steps // 2, steps - 1}):
            if 0 <= n < steps:
                c = copy.deepcopy(case)
                c["steps"] = n
                if c.get("metrics") is not None:
                    c["metrics"] = c["metrics"][:n]
                out.append(c)
    if case.get("last_epoch"):
        for le in (0, case["last_epoch"] // 2):
            c = copy.deepcopy(case)
            if le:
                c["last_epoch"] = le
            else:
                c.pop("last_epoch")
            out.append(c)
    if case.get("metrics") is not None and "_ops" not in case:
        metrics = case["metrics"]
        if len(set(map(repr, metrics))) > 1:
            c = copy.deepcopy(case)
            c["metrics"] = [1.0 if m is not None and not (isinstance(m, float) and math.isnan(m)) else m
                            for m in metrics]
            out.append(c)
        if not any(s.get("type") in PLATEAU for s in walk(case["scheduler"])):
            c = copy.deepcopy(case)
            c.pop("metrics")
            out.append(c)
    n = len(case["param_groups"])
    for i in range(n):
        if n > 1:
            out.append(drop_group(case, i))
        if "momentum" in case["param_groups"][i]:
            c = copy.deepcopy(case)
            c["param_groups"][i].pop("momentum")
            out.append(c)
        lr = case["param_groups"][i]["lr"]
        if lr not in (0.1, 1.0, 0, 1) and isinstance(lr, float) and lr > 0:
            for simple in (1.0, 0.1):
                c = copy.deepcopy(case)
                c["param_groups"][i]["lr"] = simple
                out.append(c)
    out.extend(spec_variants(case, ()))
    return out


def drop_group(case, i):
    c = copy.deepcopy(case)
    n = len(c["param_groups"])
    c["param_groups"].pop(i)
    for s in walk(c["scheduler"]):
        for k in list(s):
            if k in PER_GROUP_ARGS and isinstance(s[k], list) and len(s[k]) == n:
                s[k].pop(i)
    return c


def at(spec, path):
    for i in path:
        spec = spec["schedulers"][i]
    return spec


def with_spec(case, path, new):
    c = copy.deepcopy(case)
    if not path:
        c["scheduler"] = new
    else:
        at(c["scheduler"], path[:-1])["schedulers"][path[-1]] = new
    return c


def spec_variants(case, path):
    s = at(case["scheduler"], path)
    out = []
    if not isinstance(s, dict):
        return out
    children = s.get("schedulers") if isinstance(s.get("schedulers"), list) else None
    if children:
        for ch in children:  # the composite replaced by one of its children
            if isinstance(ch, dict):
                out.append(with_spec(case, path, copy.deepcopy(ch)))
        for i in range(len(children)):  # one child fewer
            new = copy.deepcopy(s)
            new["schedulers"].pop(i)
            if s.get("type") == "SequentialLR" and isinstance(new.get("milestones"), list) and new["milestones"]:
                new["milestones"].pop(min(max(i - 1, 0), len(new["milestones"]) - 1))
            out.append(with_spec(case, path, new))
        for i in range(len(children)):
            out.extend(spec_variants(case, path + (i,)))
    for k in list(s):
        if k in ("type", "schedulers"):
            continue
        new = copy.deepcopy(s)
        new.pop(k)  # an optional argument left out
        out.append(with_spec(case, path, new))
        v = s[k]
        if isinstance(v, list) and v and k not in ("milestones",) and all(x == v[0] for x in v):
            new = copy.deepcopy(s)
            new[k] = v[0]
            out.append(with_spec(case, path, new))
        if isinstance(v, float) and math.isfinite(v) and v != round(v, 3):
            new = copy.deepcopy(s)
            new[k] = round(v, 3)
            out.append(with_spec(case, path, new))
    return out


def size(case):
    text = json.dumps(public(case), allow_nan=True)
    return len(text) + 20 * case["steps"] + 5 * (case.get("last_epoch") or 0)


def shrink(runner, case, verdict, budget=400):
    """The smallest variant found that still fails with the same signature."""
    best, best_v = case, verdict
    tries = 0
    progress = True
    while progress and tries < budget:
        progress = False
        for c in candidates(best):
            if tries >= budget:
                break
            if size(c) >= size(best):
                continue
            tries += 1
            try:
                tr, v = runner.evaluate(c, register=best_v.sig.startswith("register"))
            except Exception:  # noqa: BLE001
                continue
            if not v.ok and v.sig == verdict.sig:
                best, best_v = c, v
                progress = True
                break
    return best, best_v


# ------------------------------------------------------------------------------------------------
# The service from a jar


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Jar:
    def __init__(self, jar):
        self.dir = tempfile.mkdtemp(prefix="stepwise-fuzz.")
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "service.log"), "wb")
        self.proc = subprocess.Popen(
            ["java", "-Xmx384m", "-jar", str(jar), "--server.address=127.0.0.1", f"--server.port={self.port}",
             f"--stepwise.data-dir={self.dir}/data"], stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 180
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise SystemExit(f"the service exited during startup ({self.proc.returncode})")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/actuator/health")
                if c.getresponse().status == 200:
                    c.close()
                    break
                c.close()
            except OSError:
                pass
            if time.time() > deadline:
                self.stop()
                raise SystemExit("the service is not healthy after 180 s")
            time.sleep(0.5)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# ------------------------------------------------------------------------------------------------


def one_line(value, limit=600):
    text = json.dumps(value, allow_nan=True, default=str)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def torch_answer(tr):
    if "states" not in tr:
        return {"error": tr.get("error") or tr.get("skip")}
    out = {"states": tr["states"]}
    if "error_at" in tr:
        out["error_at"], out["error"] = tr["error_at"], tr["error"]
    return out


def save_cases(path, cases):
    path = Path(path)
    existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() and path.stat().st_size else []
    names = {c["name"] for c in existing}
    for c in cases:
        if c["name"] not in names:
            existing.append(c)
    lines = ",\n".join(json.dumps(c, allow_nan=True) for c in existing)
    path.write_text("[\n" + lines + "\n]\n", encoding="utf-8")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a running service, on a loopback address")
    target.add_argument("--jar", type=Path, help="start this jar on 127.0.0.1 and a free port, stop it at the end")
    p.add_argument("--seed", type=int, help="default: a new random seed (printed first)")
    p.add_argument("--cases", type=int, default=1000, help="how many cases (default: %(default)s)")
    p.add_argument("--only", type=int, help="run just case number N of the seed")
    p.add_argument("--types", help="comma-separated scheduler types to draw (default: all 26)")
    p.add_argument("--time-limit", type=float, help="stop drawing after this many seconds")
    p.add_argument("--oracle", type=Path, default=DEFAULT_ORACLE, help="oracle.py (default: %(default)s)")
    p.add_argument("--check-py", type=Path, help="check.py (default: beside the oracle)")
    p.add_argument("--register-share", type=float, default=0.05,
                   help="share of cases also checked by registration and steps (check.py); default %(default)s")
    p.add_argument("--save", type=Path, help="append the minimised failures to this parity cases file")
    p.add_argument("--save-known", action="store_true", help="save known divergences too")
    p.add_argument("--ignore-known", action="store_true", help="known divergences do not fail the run")
    p.add_argument("--progress", type=int, default=500, help="a progress line every N cases")
    p.add_argument("--max-shrink", type=int, default=3, help="minimise at most N failures per signature")
    p.add_argument("--allow-old-torch", action="store_true", help="run with a torch older than 2.13")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    args = p.parse_args()

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    print(f"seed: {seed}", flush=True)
    types = ALL_TYPES
    if args.types:
        types = [t.strip() for t in args.types.split(",") if t.strip()]
        bad = [t for t in types if t not in ALL_TYPES]
        if bad:
            p.error(f"unknown types {bad}; choose from {', '.join(ALL_TYPES)}")

    oracle = load_module("stepwise_oracle", args.oracle)
    import torch
    version = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2] if x.isdigit())
    print(f"torch {torch.__version__} ({sys.executable}), oracle {args.oracle}", flush=True)
    if version < (2, 13) and not args.allow_old_torch:
        print("the oracle needs torch >= 2.13 (Stepwise follows the newest PyTorch); --allow-old-torch to run anyway",
              file=sys.stderr)
        return 2
    check_path = args.check_py or args.oracle.parent / "check.py"
    check_mod = load_module("stepwise_check", check_path) if check_path.exists() else None

    jar = Jar(args.jar) if args.jar else None
    url = jar.url if jar else args.url
    try:
        return fuzz(args, seed, types, Runner(Service(url), Torch(oracle), check_mod, args.register_share), url)
    finally:
        if jar:
            jar.stop()


def fuzz(args, seed, types, runner, url):
    print(f"service {url}; cases {1 if args.only is not None else args.cases}; types: "
          f"{'all' if types is ALL_TYPES else ','.join(types)}", flush=True)
    start = time.time()
    per_type, fails_type, tolerated, known_type = Counter(), Counter(), Counter(), Counter()
    by_sig = defaultdict(int)
    failures, to_save = [], []
    indices = [args.only] if args.only is not None else range(args.cases)
    done = 0
    for i in indices:
        if args.time_limit and time.time() - start > args.time_limit:
            print(f"time limit: stopped after {done} cases", flush=True)
            break
        rng = random.Random(f"{seed}:{i}")
        case = Gen(rng, types).case(i, seed)
        t = case["scheduler"].get("type") if isinstance(case["scheduler"], dict) else None
        label = t if t in ALL_TYPES else "(invalid type)"
        if case.get("_mutation") == "type-name":
            label = "(invalid type)"
        per_type[label] += 1
        register = rng.random() < args.register_share
        try:
            tr, v = runner.evaluate(case, register=register)
        except (OSError, http.client.HTTPException) as exc:
            print(f"case {i}: the service did not answer: {exc}", flush=True)
            fails_type[label] += 1
            failures.append(i)
            break
        done += 1
        if v.tolerated:
            tolerated[v.tolerated] += 1
        if not v.ok:
            answer = v.stepwise if isinstance(v.stepwise, dict) else {}
            tag = next((tag for tag, fn in KNOWN if fn(case, tr, answer)), None)
            fails_type[label] += 1
            if tag:
                known_type[label] += 1
            key = ("known", tag) if tag else (v.sig, None)
            by_sig[key] += 1
            failures.append(i)
            first = by_sig[key] <= args.max_shrink
            print(f"\nFAIL case {i} ({label}{', known: ' + tag if tag else ''}): {v.why}", flush=True)
            print(f"  reproduce: --seed {seed} --only {i}", flush=True)
            if first:
                small, sv = shrink(runner, case, v)
                st, _ = (runner.torch.fractional(small) if "_ops" in small else runner.torch.trace(small)), None
                print(f"  minimised ({sv.why}):", flush=True)
                shown = public(small)
                if "_ops" in small:
                    shown["fractional_epochs"] = small["_ops"]
                print(f"    case:     {one_line(shown, 2000)}", flush=True)
                print(f"    torch:    {one_line(torch_answer(st), 1500)}", flush=True)
                print(f"    stepwise: {one_line(sv.stepwise, 1500)}", flush=True)
                if args.save and "_ops" not in small and (not tag or args.save_known):
                    saved = public(small)
                    saved["name"] = f"fuzz-{seed}-{i}"
                    to_save.append(saved)
            else:
                print(f"  (signature {key[0]!r} seen {by_sig[key]} times: not minimised again)", flush=True)
        if not args.quiet and args.progress and done % args.progress == 0:
            print(f"[{time.time() - start:6.0f}s] {done} cases, {len(failures)} failures, "
                  f"{sum(tolerated.values())} tolerated", flush=True)
    elapsed = time.time() - start
    if args.save and to_save:
        save_cases(args.save, to_save)
        print(f"\nsaved {len(to_save)} minimised case(s) to {args.save}")
    print(f"\n{'type':32} {'cases':>6} {'failed':>7} {'known':>6}")
    for t in ALL_TYPES + ["(invalid type)"]:
        if per_type[t]:
            print(f"{t:32} {per_type[t]:6} {fails_type[t]:7} {known_type[t]:6}")
    if tolerated:
        print("tolerated (documented strictness): " + ", ".join(f"{k}: {n}" for k, n in tolerated.most_common()))
    for (sig, tag), n in sorted(by_sig.items(), key=lambda x: -x[1]):
        print(f"failures known as {tag!r}: {n}" if tag else f"failure signature {sig!r}: {n}")
    n_known = sum(known_type.values())
    print(f"\nseed {seed}: {done} cases in {elapsed:.0f}s, {len(failures)} failed ({n_known} known)")
    counted = len(failures) - (n_known if args.ignore_known else 0)
    return 1 if counted else 0


if __name__ == "__main__":
    sys.exit(main())
