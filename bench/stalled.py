#!/usr/bin/env python3
"""Stalled clients against normal ones (by hand, never in CI).

Starts the built jar with the Docker image's JVM flags on a throwaway H2 file, registers a
scheduler, and measures GET /api/v1/schedulers/{id}/lr with wrk (-t2 -c16 --latency), first
without and then, --runs times, with --stalled connections of each kind held open all along:

  body:    a POST's headers and 1 byte of its 100-byte body, then silence;
  headers: half a request line, then silence.

A stalled connection the server closes (408 after stepwise.request-body-timeout, or the
connection timeout for stalled headers) is opened again at once, so the count holds.

  bench/stalled.py --stalled 1000 --runs 3        # after ./mvnw -DskipTests package
"""

import argparse
import asyncio
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

JAVA_OPTS = ("-Xms224m -Xmx224m -Xmn64m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k "
             "-XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m "
             "-Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError").split()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


class Stallers:
    """Holds `count` stalled connections of each kind open on an event loop of its own."""

    def __init__(self, port, scheduler, count, nice=0):
        self.port = port
        self.nice = nice
        self.count = count
        self.body = (f"POST /api/v1/schedulers/{scheduler}/steps HTTP/1.1\r\nHost: localhost\r\n"
                     "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{").encode()
        self.headers = f"GET /api/v1/schedulers/{scheduler}/l".encode()
        self.open = {"body": 0, "headers": 0}
        self.reopened = {"body": 0, "headers": 0}
        self.answers = {}
        self.failures = 0
        self.errors = {}
        self.loop = asyncio.new_event_loop()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        deadline = time.time() + 120
        while min(self.open.values()) < self.count:
            if time.time() > deadline:
                raise SystemExit(f"could not open the stalled connections: {self.open},"
                                 f" connect failures {self.failures}, {self.errors}")
            time.sleep(0.2)

    def stop(self):
        self.stopping = True
        self.loop.call_soon_threadsafe(lambda: [t.cancel() for t in asyncio.all_tasks(self.loop)])
        self.thread.join(10)

    def _run(self):
        if self.nice:
            # Linux: the priority of this thread only (the stallers), not of wrk or the main thread
            os.nice(self.nice)
        asyncio.set_event_loop(self.loop)
        tasks = [self.loop.create_task(self._hold(kind, prefix))
                 for kind, prefix in (("body", self.body), ("headers", self.headers))
                 for _ in range(self.count)]
        try:
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        finally:
            self.loop.close()

    async def _hold(self, kind, prefix):
        first = True
        while not self.stopping:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError as ex:
                self.failures += 1
                self.errors[type(ex).__name__] = str(ex)
                await asyncio.sleep(0.1)
                continue
            try:
                writer.write(prefix)
                await writer.drain()
                self.open[kind] += 1
                if not first:
                    self.reopened[kind] += 1
                first = False
                answer = await reader.read()  # until the server closes it
                status = answer[:12].decode(errors="replace") or "(closed)"
                self.answers[(kind, status)] = self.answers.get((kind, status), 0) + 1
            except (OSError, asyncio.IncompleteReadError):
                self.answers[(kind, "(reset)")] = self.answers.get((kind, "(reset)"), 0) + 1
            finally:
                self.open[kind] -= 1
                writer.close()


def wrk(url, duration, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    def ms(label):
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: (.*)|Non-2xx or 3xx responses: (\d+)", out)
    return {"p50": ms("50%"), "p99": ms("99%"), "rps": rps,
            "errors": errors.group(0) if errors else "none", "raw": out}


def histogram(pid, label, log):
    """Writes the heap's 25 largest classes (live objects: jcmd runs a full collection first) to the log."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    lines = out.splitlines()
    total = next((line for line in reversed(lines) if line.startswith("Total")), "")
    log.write(f"\n# heap histogram, {label}: {total}\n" + "\n".join(lines[:28]) + "\n")
    log.flush()
    print(f"# live heap, {label}: {total}")


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", default=None)
    parser.add_argument("--stalled", type=int, default=1000, help="stalled connections of each kind")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=20, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk's normal clients")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of wrk before measuring")
    parser.add_argument("--java-opt", action="append", default=[],
                        help="one more JVM flag for the service (repeatable), e.g. -Xlog:gc:file=gc.log")
    parser.add_argument("--server-arg", action="append", default=[],
                        help="one more argument for the service (repeatable), e.g. --server.tomcat.max-connections=2000")
    parser.add_argument("--staller-nice", type=int, default=0,
                        help="lower the stallers' CPU priority by this much (e.g. 19), standing in for clients on"
                             " other machines, which take none of the service's cores")
    parser.add_argument("--histogram", action="store_true",
                        help="log the heap's largest classes (jcmd GC.class_histogram) half-way through each run")
    args = parser.parse_args()
    jar = args.jar or sorted(glob.glob("target/stepwise-*.jar"))[-1]
    port = free_port()
    data = tempfile.mkdtemp(prefix="stepwise-stalled-")
    os.makedirs("bench/results", exist_ok=True)
    log = open(f"bench/results/stalled-{time.strftime('%Y%m%d-%H%M%S')}.log", "w")
    env = dict(os.environ, MALLOC_ARENA_MAX="2", MALLOC_MMAP_THRESHOLD_="131072")
    service = subprocess.Popen(["java", *JAVA_OPTS, *args.java_opt, "-jar", jar, "--server.address=127.0.0.1",
                                f"--server.port={port}", f"--stepwise.data-dir={data}", *args.server_arg],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 600
        while True:
            if service.poll() is not None or time.time() > deadline:
                raise SystemExit(f"the service did not start; log: {log.name}")
            try:
                if http("GET", base + "/actuator/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        scheduler = "stalled-bench"
        http("POST", base + "/api/v1/schedulers", {"id": scheduler, "param_groups": [{"lr": 0.1}],
                                                   "scheduler": {"type": "StepLR", "step_size": 2}})
        url = f"{base}/api/v1/schedulers/{scheduler}/lr"
        print(f"# {os.cpu_count()} cores, {subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]};"
              f" wrk -t2 -c{args.connections} -d{args.duration}s; {args.stalled} stalled connections of each kind"
              f"{f', stallers at nice {args.staller_nice}' if args.staller_nice else ''}")
        wrk(url, args.warmup, args.connections)

        def measured(label):
            if not args.histogram:
                return wrk(url, args.duration, args.connections)
            timer = threading.Timer(args.duration / 2, histogram, (service.pid, label, log))
            timer.start()
            try:
                return wrk(url, args.duration, args.connections)
            finally:
                timer.join()

        rows = [("none", measured("no stalled connections"), None)]
        for run in range(1, args.runs + 1):
            stallers = Stallers(port, scheduler, args.stalled, args.staller_nice)
            stallers.start()
            result = measured(f"run {run}, {args.stalled} stalled connections of each kind")
            held = dict(stallers.open)
            stallers.stop()
            rows.append((f"run {run}", result, (held, dict(stallers.reopened), dict(stallers.answers),
                                                stallers.failures)))
        print("| stalled | req/s | p50 ms | p99 ms | wrk errors | stalled open at the end (body/headers) | reopened | server's answers |")
        print("|---|---:|---:|---:|---|---|---|---|")
        for name, r, extra in rows:
            held, reopened, answers, failures = extra if extra else ({}, {}, {}, 0)
            print(f"| {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |"
                  f" {held.get('body', '-')}/{held.get('headers', '-')} | {reopened} |"
                  f" {dict((f'{k}: {s.strip()}', n) for (k, s), n in answers.items())}{' connect failures ' + str(failures) if failures else ''} |")
        stalled = [r for name, r, extra in rows if extra]
        if stalled:
            p50 = sorted(r["p50"] for r in stalled)
            p99 = sorted(r["p99"] for r in stalled)
            print(f"\nwith stalled connections: p50 {p50[len(p50) // 2]:.2f} ms ({p50[0]:.2f}-{p50[-1]:.2f}),"
                  f" p99 {p99[len(p99) // 2]:.2f} ms ({p99[0]:.2f}-{p99[-1]:.2f}) over {len(stalled)} runs")
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            service.wait(30)
        except subprocess.TimeoutExpired:
            service.kill()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
