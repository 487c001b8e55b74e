#!/usr/bin/env python3
"""Client benchmark, run by hand: the overhead of RemoteLRScheduler.step() (a round trip to the
service on loopback) next to torch's in-process scheduler.step(), and how long a step() takes to
ride through a service restart.

    # overhead only, against a running service
    PYTHONPATH=clients/python python3 clients/python/bench/bench_client.py --url http://127.0.0.1:8080
    # overhead and restarts, on a service the benchmark starts (and SIGKILLs) itself
    PYTHONPATH=clients/python python3 clients/python/bench/bench_client.py --jar target/stepwise-0.1.0-SNAPSHOT.jar
"""

from __future__ import annotations

import argparse
import math
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
import warnings
from pathlib import Path
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


def row(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[math.ceil(0.99 * len(ordered)) - 1]
    return f"| {name} | {statistics.fmean(ordered) * 1e6:,.1f} | {p50 * 1e6:,.1f} | {p99 * 1e6:,.1f} |"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """A jar on a free loopback port with its H2 database in a temp dir."""

    def __init__(self, jar: Path) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="stepwise-bench-"))
        self.jar, self.port = jar, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.workdir / "service.log", "ab")
        self.process = subprocess.Popen(
            ["java", "-jar", str(self.jar), f"--server.port={self.port}", "--server.address=127.0.0.1",
             f"--stepwise.data-dir={self.workdir / 'data'}"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()

    def wait_ready(self, timeout: float = 300.0) -> float:
        """Polls until the service answers; returns the time.monotonic() it first did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/schedulers?size=1", timeout=2):
                    return time.monotonic()
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the service did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        shutil.rmtree(self.workdir, ignore_errors=True)


def overhead(url: str, steps: int, warmup: int) -> None:
    total = warmup + steps
    spec = {"type": "CosineAnnealingLR", "T_max": total, "eta_min": 1e-5}

    def optimizer() -> torch.optim.Optimizer:
        return torch.optim.SGD([torch.zeros(10, requires_grad=True)], lr=0.1, momentum=0.9)

    client = StepwiseClient(url)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that optimizer.step() was never called
        remote = RemoteLRScheduler(optimizer(), client, f"bench-{uuid.uuid4().hex[:12]}", spec)
        remote_times = timings(remote.step, warmup, steps)
        read_times = timings(lambda: client.get_lr(remote.scheduler_id) and None, warmup, steps)
        local = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer(), T_max=total, eta_min=1e-5)
        local_times = timings(local.step, warmup, steps)
    try:
        client.delete_scheduler(remote.scheduler_id)
    except StepwiseError:
        pass
    print(f"{steps} timed steps after {warmup} untimed, CosineAnnealingLR, 1 param group\n")
    print("| call | mean (µs) | p50 (µs) | p99 (µs) |\n|---|---:|---:|---:|")
    print(row("RemoteLRScheduler.step() (HTTP POST, loopback)", remote_times))
    print(row("for scale: StepwiseClient.get_lr() (HTTP GET, no write)", read_times))
    print(row(f"torch {torch.__version__} CosineAnnealingLR.step() (in-process)", local_times))


def restarts(service: Service, count: int, down: float) -> None:
    """A loop steps every 10 ms; the service is SIGKILLed, left down for `down` s and started again.
    The step() that meets the outage blocks until the service answers again."""
    print(f"\nrestart ride-through: SIGKILL, {down:.0f} s down, start again (same data dir); default client\n")
    print("| restart | step() blocked (s) | service down (s) | start-up to first answer (s) | lag after ready (s) |")
    print("|---|---:|---:|---:|---:|")
    client = StepwiseClient(service.url)
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    spec = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1}
    scheduler = RemoteLRScheduler(optimizer, client, f"bench-restart-{uuid.uuid4().hex[:8]}", spec)
    for n in range(1, count + 1):
        longest: list[tuple[float, float, float]] = []  # (duration, started, ended)
        stop = threading.Event()

        def loop(stop: threading.Event = stop, longest: list[tuple[float, float, float]] = longest) -> None:
            while not stop.is_set():
                started = time.monotonic()
                scheduler.step(1.0)
                ended = time.monotonic()
                if not longest or ended - started > longest[0][0]:
                    longest[:] = [(ended - started, started, ended)]
                time.sleep(0.01)

        thread = threading.Thread(target=loop)
        thread.start()
        time.sleep(1.0)
        killed = time.monotonic()
        service.kill()
        time.sleep(down)
        started = time.monotonic()
        service.start()
        ready = service.wait_ready()
        time.sleep(2.0)
        stop.set()
        thread.join()
        blocked, _, ended = longest[0]
        print(f"| {n} | {blocked:.2f} | {started - killed:.2f} | {ready - started:.2f} | {ended - ready:+.2f} |")
    history = client.history(scheduler.scheduler_id, limit=10000)["items"]
    epochs = [item["epoch"] for item in history]
    assert epochs == list(range(len(epochs))), "a step was lost or doubled"
    print(f"\n{len(epochs) - 1} steps, each recorded once (epochs 0..{epochs[-1]} without gaps)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running service (overhead only)")
    parser.add_argument("--jar", type=Path, help="start this jar (overhead and restarts)")
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=500, help="untimed steps first (JIT, pools)")
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--down", type=float, default=5.0, help="seconds the service stays down")
    args = parser.parse_args()
    if args.url:
        overhead(args.url, args.steps, args.warmup)
        return
    if not args.jar:
        parser.error("give --url or --jar")
    service = Service(args.jar)
    service.start()
    try:
        service.wait_ready()
        overhead(service.url, args.steps, args.warmup)
        restarts(service, args.restarts, args.down)
    finally:
        service.stop()


if __name__ == "__main__":
    main()
