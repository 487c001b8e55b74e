#!/usr/bin/env python3
"""Register COUNT schedulers PREFIX0 .. PREFIX(COUNT-1) for the benchmark, in parallel.

    python3 bench/register.py http://127.0.0.1:8080 1000 [PREFIX] [--steps N]

Four kinds in turn (StepLR, OneCycleLR, CosineAnnealingLR, ReduceLROnPlateau), two param groups
each, long enough never to run out of steps. An existing identical scheduler counts as registered.
With --steps N, each scheduler is then stepped N times (with a metric) through the API, so that
N * COUNT steps are recorded. Standard library only; keep-alive connections, 16 threads.
"""
import argparse
import http.client
import json
import os
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

GROUPS = [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.9}]
KINDS = [
    {"type": "StepLR", "step_size": 30, "gamma": 0.1},
    {"type": "OneCycleLR", "max_lr": [0.1, 0.01], "total_steps": 10_000_000},
    {"type": "CosineAnnealingLR", "T_max": 1_000_000, "eta_min": 1e-6},
    {"type": "ReduceLROnPlateau", "mode": "min", "factor": 0.5, "patience": 10},
]

local = threading.local()

# with authentication on, bench/run.sh --auth puts a minted token here
HEADERS = {"Content-Type": "application/json"}
if os.environ.get("STEPWISE_BENCH_AUTHORIZATION"):
    HEADERS["Authorization"] = os.environ["STEPWISE_BENCH_AUTHORIZATION"]


def connection(base):
    conn = getattr(local, "conn", None)
    if conn is None:
        url = urllib.parse.urlsplit(base)
        conn = local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    return conn


def call(base, method, path, body):
    for attempt in range(3):
        conn = connection(base)
        try:
            conn.request(method, path, json.dumps(body), HEADERS)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, data
        except (OSError, http.client.HTTPException):
            conn.close()
            local.conn = None
            if attempt == 2:
                raise
            time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("count", type=int)
    parser.add_argument("prefix", nargs="?", default="bench-")
    parser.add_argument("--steps", type=int, default=0)
    args = parser.parse_args()
    base, count, prefix, steps = args.base.rstrip("/"), args.count, args.prefix, args.steps

    def register(i):
        status, data = call(base, "POST", "/api/v1/schedulers",
                            {"id": f"{prefix}{i}", "param_groups": GROUPS, "scheduler": KINDS[i % len(KINDS)]})
        if status not in (200, 201):
            raise SystemExit(f"registration of {prefix}{i} gave {status}: {data[:200]!r}")
        return status

    def step_all(i):
        statuses = Counter()
        for epoch in range(1, steps + 1):
            status, data = call(base, "POST", f"/api/v1/schedulers/{prefix}{i}/steps",
                                {"epoch": epoch, "metric": 1.0 / epoch})
            statuses[status] += 1
            if status != 200:
                raise SystemExit(f"step {epoch} of {prefix}{i} gave {status}: {data[:200]!r}")
        return statuses

    start = time.time()
    with ThreadPoolExecutor(16) as pool:
        statuses = Counter(pool.map(register, range(count)))
    took = time.time() - start
    print(f"registered {count} schedulers in {took:.1f} s ({count / took:.0f}/s): {dict(statuses)}", flush=True)
    if steps:
        start = time.time()
        total = Counter()
        with ThreadPoolExecutor(16) as pool:
            for c in pool.map(step_all, range(count)):
                total.update(c)
        took = time.time() - start
        n = sum(total.values())
        print(f"posted {n} steps in {took:.1f} s ({n / took:.0f}/s): {dict(total)}", flush=True)


if __name__ == "__main__":
    main()
