#!/usr/bin/python3
"""Writes the golden traces of Stepwise's own types (stepwise.WarmupPlateau, stepwise.PerGroup) from real torch.

PyTorch has no class for these types, so each is run here as a trainer would build it today from
torch's own schedulers, and the trace is what torch 2.13 computes:

- stepwise.WarmupPlateau: torch's warmup scheduler, LinearLR(start_factor=f, end_factor=1.0,
  total_iters=W) (warmup_type "linear") or LambdaLR(lambda e: f ** (1 - e / W)) ("exponential"),
  stepped W times without a metric (a metric given during the warmup is not passed on), then a
  ReduceLROnPlateau with the remaining arguments constructed on the same optimizer, stepped with the
  metric of every later step.
- stepwise.PerGroup: one SGD optimizer per param group (its defaults["lr"] the group's lr), each with
  its own scheduler built from its spec by shared/parity/oracle.py's build() (or the WarmupPlateau
  above), all stepped together, those that take a metric with the same metric.

Usage, as parity_traces.py (whose interpreter choice, layout and comparison it reuses; standard library
only, torch runs in a child process of the chosen python):

    python3 src/test/python/stepwise_traces.py            # rewrite stepwise-expected.json
    python3 src/test/python/stepwise_traces.py --check    # exit 1 if any value differs

The cases are src/test/resources/parity/stepwise-cases.json (written by hand; as the oracle's, with
"metrics" entries that may be null during a warmup); StepwiseTypesParityTest replays every trace.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import parity_traces as P  # noqa: E402

CASES = "stepwise-cases.json"
EXPECTED = "stepwise-expected.json"


def worker(oracle_path, cases_path):
    """Runs in the torch python: prints the traces of the cases as JSON."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("oracle", oracle_path)
    oracle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(oracle)
    torch, L, SGD = oracle.torch, oracle.L, oracle.SGD

    class WarmupPlateau:
        def __init__(self, opt, warmup_steps, warmup_type="linear", warmup_start_factor=0.01, **plateau):
            if not isinstance(warmup_steps, int) or warmup_steps < 1:
                raise ValueError("warmup_steps must be an int >= 1")
            if warmup_type not in ("linear", "exponential"):
                raise ValueError(f"warmup type {warmup_type} is unknown!")
            f, w = warmup_start_factor, warmup_steps
            if not 0 < f <= 1:
                raise ValueError("warmup_start_factor must be in (0, 1]")
            # the plateau's arguments are checked at registration, as the service does
            probe = SGD([{"params": [torch.zeros(1, requires_grad=True)], "lr": g["lr"]} for g in opt.param_groups])
            L.ReduceLROnPlateau(probe, **plateau)
            if warmup_type == "linear":
                self.warmup = L.LinearLR(opt, start_factor=f, end_factor=1.0, total_iters=w)
            else:
                self.warmup = L.LambdaLR(opt, lambda e: f ** (1 - e / w))
            self.opt, self.w, self.kwargs, self.epoch, self.plateau = opt, w, plateau, 0, None

        def takes_metric(self):
            return self.epoch >= self.w

        def step(self, metric=None):
            self.epoch += 1
            if self.epoch <= self.w:
                self.warmup.step()
                if self.epoch == self.w:
                    self.plateau = L.ReduceLROnPlateau(self.opt, **self.kwargs)
            else:
                if metric is None:
                    raise ValueError("a metric is required after the warmup")
                self.plateau.step(metric)

    def build(opt, spec):
        if spec["type"] == "stepwise.WarmupPlateau":
            return WarmupPlateau(opt, **{k: v for k, v in spec.items() if k != "type"})
        if spec["type"] == "stepwise.PerGroup":
            raise ValueError("stepwise.PerGroup cannot hold another stepwise.PerGroup")
        return oracle.build(opt, spec)

    def takes_metric(sched):
        if isinstance(sched, WarmupPlateau):
            return sched.takes_metric()
        return isinstance(sched, L.ReduceLROnPlateau)

    def step(sched, metric):
        if isinstance(sched, WarmupPlateau):
            sched.step(metric)
        elif isinstance(sched, L.ReduceLROnPlateau):
            if metric is None:
                raise ValueError("ReduceLROnPlateau needs a metric")
            sched.step(metric)
        else:
            sched.step()

    def group_dict(g):
        d = {"params": [torch.zeros(1, requires_grad=True)], "lr": g["lr"]}
        if g.get("momentum") is not None:
            d["momentum"] = g["momentum"]
            d["_given_momentum"] = True
        return d

    def run(case):
        groups = [group_dict(g) for g in case["param_groups"]]
        spec = case["scheduler"]
        try:
            if spec["type"] == "stepwise.PerGroup":
                children = spec["schedulers"]
                if len(children) != len(groups):
                    raise ValueError(f"{len(children)} schedulers for {len(groups)} param groups")
                opts = [SGD([g], lr=g["lr"]) for g in groups]
                scheds = [build(o, s) for o, s in zip(opts, children)]
                cycles = [oracle.cycles_momentum(s) for s in children]
            else:
                opts = [SGD(groups, lr=groups[0]["lr"])]
                scheds = [build(opts[0], spec)]
                cycles = [oracle.cycles_momentum(spec)]
        except Exception as exc:
            return {"name": case["name"], "error": f"{type(exc).__name__}: {exc}"}

        def snapshot(epoch):
            groups = []
            for opt, c in zip(opts, cycles):
                groups += oracle.snapshot(opt, epoch, c)["param_groups"]
            return {"last_epoch": epoch, "param_groups": groups}

        epoch = 0
        try:
            for _ in range(case.get("last_epoch", 0) or 0):
                if any(takes_metric(s) for s in scheds):
                    raise ValueError("fast-forward needs metrics")
                for opt, sched in zip(opts, scheds):
                    opt.step()
                    step(sched, None)
                epoch += 1
        except Exception as exc:
            return {"name": case["name"], "error": f"{type(exc).__name__}: {exc}"}
        states = [snapshot(epoch)]
        metrics = case.get("metrics") or []
        for i in range(case["steps"]):
            metric = metrics[i] if i < len(metrics) else None
            try:
                for opt, sched in zip(opts, scheds):
                    opt.step()
                    step(sched, metric)
            except Exception as exc:
                return {"name": case["name"], "states": states, "error_at": epoch + 1,
                        "error": f"{type(exc).__name__}: {exc}"}
            epoch += 1
            states.append(snapshot(epoch))
        return {"name": case["name"], "states": states}

    cases = json.loads(Path(cases_path).read_text(encoding="utf-8"))
    json.dump([run(c) for c in cases], sys.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="the Python with torch (default: as parity_traces.py chooses)")
    parser.add_argument("--oracle", type=Path, default=P.ORACLE, help="oracle.py (default: ../shared/parity/oracle.py)")
    parser.add_argument("--dir", type=Path, default=P.PARITY, help="where the cases and expected files are")
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    parser.add_argument("--worker", nargs=2, metavar=("ORACLE", "CASES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    if args.python:
        info = P.about(args.python)
        if info is None:
            sys.exit(f"{args.python} cannot import torch")
        python = args.python
    else:
        python, info = P.choose_python()
    print(f"{python}: {info[0]}, torch {info[1]}")
    if P.minor(info[1]) != P.GOLDEN_TORCH:
        if not args.check:
            sys.exit(f"torch {info[1]} is not {P.GOLDEN_TORCH}, the torch of the golden traces: not writing them")
        print(f"WARNING: torch {info[1]} is not {P.GOLDEN_TORCH}: comparing anyway, errors by exception class only",
              file=sys.stderr)
    result = subprocess.run([python, __file__, "--worker", str(args.oracle), str(args.dir / CASES)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the worker failed ({result.returncode}):\n{result.stderr}")
    traces = json.loads(result.stdout)
    target = args.dir / EXPECTED
    if args.check:
        committed = json.loads(target.read_text(encoding="utf-8"))
        if P.minor(info[1]) != P.GOLDEN_TORCH:  # another torch words its errors differently
            committed, traces = [P.error_class(t) for t in committed], [P.error_class(t) for t in traces]
        diffs = P.differences(committed, traces)
        for where, a, b in diffs[:20]:
            print(f"  {EXPECTED}{where}: committed {json.dumps(a)[:160]}, now {json.dumps(b)[:160]}")
        print(f"{EXPECTED}: {len(traces)} traces, {len(diffs)} difference(s)")
        return 1 if diffs else 0
    target.write_text(P.dumps(traces), encoding="utf-8")
    print(f"wrote {target} ({len(traces)} traces, torch {info[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
