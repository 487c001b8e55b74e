#!/usr/bin/env python3
"""Per-step overhead of RemoteLRScheduler.step() (a round trip to the service on loopback) next
to PyTorch's in-process scheduler.step().

    PYTHONPATH=clients/python python3 clients/python/bench_client.py --url http://127.0.0.1:8080
"""

from __future__ import annotations

import argparse
import math
import time
import uuid
import warnings
from typing import Callable

import torch

from stepwise_client import RemoteLRScheduler, StepwiseClient, StepwiseError


def timings(step: Callable[[], None], warmup: int, steps: int) -> list[float]:
    for _ in range(warmup):
        step()
    out = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        out.append(time.perf_counter() - start)
    return out


def summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[math.ceil(0.99 * len(ordered)) - 1]
    mean = sum(ordered) / len(ordered)
    return f"| {name} | {mean * 1e6:,.1f} | {p50 * 1e6:,.1f} | {p99 * 1e6:,.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=500, help="untimed steps first (JIT, pools)")
    args = parser.parse_args()
    total = args.warmup + args.steps
    spec = {"type": "CosineAnnealingLR", "T_max": total, "eta_min": 1e-5}

    def optimizer() -> torch.optim.Optimizer:
        return torch.optim.SGD([torch.zeros(10, requires_grad=True)], lr=0.1, momentum=0.9)

    client = StepwiseClient(args.url)
    remote = RemoteLRScheduler(optimizer(), client, f"bench-{uuid.uuid4().hex[:12]}", spec)
    remote_times = timings(remote.step, args.warmup, args.steps)
    # The read path over the same connection: what the round trip costs without a durable write.
    read_times = timings(lambda: client.get_lr(remote.scheduler_id), args.warmup, args.steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that optimizer.step() was never called
        local = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer(), T_max=total, eta_min=1e-5)
        local_times = timings(local.step, args.warmup, args.steps)
    try:
        client.delete_scheduler(remote.scheduler_id)
    except StepwiseError:
        pass
    print(f"{args.steps} timed steps after {args.warmup} untimed, CosineAnnealingLR, 1 param group\n")
    print("| call | mean (µs) | p50 (µs) | p99 (µs) |\n|---|---:|---:|---:|")
    print(summary("RemoteLRScheduler.step() (HTTP POST, loopback)", remote_times))
    print(summary("for scale: StepwiseClient.get_lr() (HTTP GET, no write)", read_times))
    print(summary(f"torch {torch.__version__} CosineAnnealingLR.step() (in-process)", local_times))


if __name__ == "__main__":
    main()
