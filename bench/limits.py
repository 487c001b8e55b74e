#!/usr/bin/env python3
"""The maximal requests of the documented limits, for bench/limits.sh. Standard library only.

    python3 bench/limits.py requests BASE PID [--runs N] [--warmup W]
        For each maximal request kind: N sequential requests after W of warm-up; wall time per
        request (median, max) and bytes allocated per request: the delta of Micrometer's
        jvm.gc.memory.allocated over the N requests, between two full collections (jcmd PID GC.run)
        so that the counter includes everything allocated in between, divided by N. Other threads
        allocate too (housekeeping, the metrics reads): an idle interval of the same length is
        measured and subtracted.
    python3 bench/limits.py previews BASE SECONDS CONCURRENCY
        Keeps CONCURRENCY maximal previews in flight for SECONDS; prints the count of each status.
        A client answered 503 waits the Retry-After (2 s) before it sends again, as the Python
        client does.
    python3 bench/limits.py canary BASE COUNT
        Registers COUNT small schedulers lim-0 .. lim-(COUNT-1) for wrk's GET lr.
"""
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

GROUPS_1024 = [{"lr": 0.1, "momentum": 0.9}] * 1024
PLAIN_1024 = [{"lr": 0.1}] * 1024
EXPRESSION = "epoch * 0.5 + " * 64 + "1"


def maximal_preview():
    return {"param_groups": GROUPS_1024,
            "scheduler": {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 100000}, "steps": 255}


KINDS = {
    # the largest preview the limits allow: 256 x 1,024 = 262,144 values, streamed
    "preview-onecycle-1024x255": ("POST", "/api/v1/previews", maximal_preview),
    # a fast-forward in closed form on the most groups, at the largest last_epoch
    "register-ff-onecycle-1024@9999999": ("POST", "/api/v1/schedulers", lambda: {
        "param_groups": GROUPS_1024, "last_epoch": 9_999_999,
        "scheduler": {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 10_000_000}}),
    # a stepped fast-forward at the work limit: (1 + 8) x (2 x 1,388,000 + 2) < 25,000,000 units
    "register-ff-stepped-multiplicative@1388000": ("POST", "/api/v1/schedulers", lambda: {
        "param_groups": [{"lr": 0.1}], "last_epoch": 1_388_000,
        "scheduler": {"type": "MultiplicativeLR", "lr_lambda": "0.9999"}}),
    # the largest LambdaLR: 292 distinct expressions of 897 characters, 261,924 of the 262,144 allowed
    "register-lambda-292x897": ("POST", "/api/v1/schedulers", lambda: {
        "param_groups": [{"lr": 0.1}] * 292,
        "scheduler": {"type": "LambdaLR", "lr_lambda": [EXPRESSION[:-1] + str(i % 10) for i in range(292)]}}),
    # the most nested schedulers: a ChainedScheduler of 63 on 256 groups (64 x 256 = MAX_STATE_SIZE),
    # fast-forwarded as far as the work allows: (256 + 8) x (64 + 64 x 5) x 241 < 25,000,000
    "register-chained-63x256@240": ("POST", "/api/v1/schedulers", lambda: {
        "param_groups": [{"lr": 0.1}] * 256, "last_epoch": 240,
        "scheduler": {"type": "ChainedScheduler",
                      "schedulers": [{"type": "ConstantLR", "factor": 0.5, "total_iters": 3}] * 63}}),
    # a ChainedScheduler steps its fast-forward, building 3 states a step:
    # (1 + 8) x (3 + 3 x 5) x 154,000 < 25,000,000 units; a warmup + cosine SequentialLR on 8 groups,
    # whose children jump between the milestones: (8 + 8) x 3 x 520,000
    "register-ff-chained-exponential@154000": ("POST", "/api/v1/schedulers", lambda: {
        "param_groups": [{"lr": 0.1}], "last_epoch": 154_000,
        "scheduler": {"type": "ChainedScheduler", "schedulers": [
            {"type": "ExponentialLR", "gamma": 0.999999}, {"type": "ExponentialLR", "gamma": 0.999999}]}}),
    "register-ff-sequential-8@520000": ("POST", "/api/v1/schedulers", lambda: {
        "param_groups": [{"lr": 0.1}] * 8, "last_epoch": 520_000,
        "scheduler": {"type": "SequentialLR", "milestones": [1000], "schedulers": [
            {"type": "LinearLR", "start_factor": 0.01, "total_iters": 1000},
            {"type": "CosineAnnealingLR", "T_max": 1_000_000}]}}),
    # the largest state document: a ChainedScheduler of 15 on 1,024 groups, PUT back (see put_state)
    "put-state-chained-15x1024": ("PUT", None, None),
}

# what a client does after a 503: wait for its Retry-After (the service's max-wait, 2 s)
RETRY_AFTER = 2.0

local = threading.local()


def conn(base):
    c = getattr(local, "conn", None)
    if c is None:
        u = urllib.parse.urlsplit(base)
        c = local.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    return c


def call(base, method, path, body=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    headers = {"Content-Type": "application/json"} if data is not None else {}
    for attempt in range(2):
        c = conn(base)
        try:
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            payload = r.read()
            if r.getheader("Connection", "").lower() == "close":
                c.close()
                local.conn = None
            return r.status, payload
        except (http.client.HTTPException, OSError):
            c.close()
            local.conn = None
            if attempt:
                raise


def allocated(base):
    status, body = call(base, "GET", "/actuator/metrics/jvm.gc.memory.allocated")
    assert status == 200, body
    return json.loads(body)["measurements"][0]["value"]


def full_gc(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], check=True, stdout=subprocess.DEVNULL)


def put_state_request(base):
    status, body = call(base, "POST", "/api/v1/schedulers", {
        "param_groups": PLAIN_1024,
        "scheduler": {"type": "ChainedScheduler",
                      "schedulers": [{"type": "ConstantLR", "factor": 0.5, "total_iters": 3}] * 15}})
    assert status == 201, body
    sid = json.loads(body)["id"]
    status, state = call(base, "GET", f"/api/v1/schedulers/{sid}/state")
    assert status == 200, state
    return f"/api/v1/schedulers/{sid}/state", state


def requests(base, pid, runs, warmup):
    print(f"| request | body KB | status | wall ms median (max) over {runs} | MB allocated per request |")
    print("|---|---:|---|---:|---:|")
    for name, (method, path, build) in KINDS.items():
        if build is None:
            path, body = put_state_request(base)
        else:
            body = json.dumps(build()).encode()
        for _ in range(warmup):
            call(base, method, path, body)
        # the background: as long an idle interval, between the same two kinds of collections
        full_gc(pid)
        idle_before, started = allocated(base), time.perf_counter()
        statuses, walls = Counter(), []
        full_gc(pid)
        before = allocated(base)
        for _ in range(runs):
            t = time.perf_counter()
            status, _ = call(base, method, path, body)
            walls.append((time.perf_counter() - t) * 1000)
            statuses[status] += 1
        full_gc(pid)
        after = allocated(base)
        elapsed = sum(walls) / 1000
        idle_start = time.perf_counter()
        full_gc(pid)
        idle0 = allocated(base)
        time.sleep(min(elapsed, 20))
        full_gc(pid)
        idle = (allocated(base) - idle0) * elapsed / max(time.perf_counter() - idle_start, 1e-3)
        per_request = (after - before - idle) / runs / 1048576
        print(f"| {name} | {len(body) / 1024:.0f} | {dict(statuses)} | {statistics.median(walls):.0f} ({max(walls):.0f}) "
              f"| {per_request:.1f} |", flush=True)


def previews(base, seconds, concurrency):
    body = json.dumps(maximal_preview()).encode()
    statuses, lock, end = Counter(), threading.Lock(), time.time() + seconds
    walls = []

    def loop():
        while time.time() < end:
            t = time.perf_counter()
            try:
                status, _ = call(base, "POST", "/api/v1/previews", body)
            except OSError:
                status = "error"
            with lock:
                statuses[status] += 1
                if status == 200:
                    walls.append(time.perf_counter() - t)
            if status == 503:
                time.sleep(RETRY_AFTER)

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = f", 200 in {statistics.median(walls):.2f} s median, {max(walls):.2f} s max" if walls else ""
    print(f"PREVIEWS {dict(statuses)}{done}", flush=True)


def canary(base, count):
    for i in range(count):
        status, body = call(base, "POST", "/api/v1/schedulers", {
            "id": f"lim-{i}", "param_groups": [{"lr": 0.1}, {"lr": 0.01}],
            "scheduler": {"type": "CosineAnnealingLR", "T_max": 1000}})
        assert status in (200, 201), body


if __name__ == "__main__":
    mode, base = sys.argv[1], sys.argv[2]
    if mode == "requests":
        args = sys.argv[4:]
        opts = dict(zip(args[::2], args[1::2]))
        requests(base, int(sys.argv[3]), int(opts.get("--runs", 20)), int(opts.get("--warmup", 10)))
    elif mode == "previews":
        previews(base, float(sys.argv[3]), int(sys.argv[4]))
    else:
        canary(base, int(sys.argv[3]))
