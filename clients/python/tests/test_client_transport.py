"""StepwiseClient's transport against a scripted stdlib http.server stub: keep-alive, retries
until a deadline and backoff, problem responses, request bodies. (No service needed.)"""

from __future__ import annotations

import json
import math
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

import pytest

import stepwise_client.client as client_module
from helpers import free_port
from stepwise_client import StepwiseClient, StepwiseError, StepwiseUnavailableError

STATE = {"id": "s", "last_epoch": 1, "param_groups": [{"lr": 0.1, "momentum": None}], "replayed": False}
PROBLEM = {
    "type": "about:blank",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "gamma must be finite",
    "errors": [{"field": "scheduler.gamma", "message": "must be finite"}],
}

# A scripted answer: (status, extra headers, JSON body), or DROP to close without answering.
Answer = Optional[tuple[int, dict[str, str], Any]]
DROP: Answer = None
OK: Answer = (200, {}, STATE)


class Stub:
    """Answers requests from a script (the last answer repeats) and records what it got."""

    def __init__(self, script: list[Answer], port: int = 0) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive
            wbufsize = 1 << 16  # one send per answer: no Nagle / delayed-ACK stalls

            def handle_one(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "body": raw,
                        "peer": self.client_address,
                        "authorization": self.headers.get("Authorization"),
                        "headers": {name.lower(): value for name, value in self.headers.items()},
                    }
                )
                answer = stub.script.pop(0) if len(stub.script) > 1 else stub.script[0]
                if answer is DROP:
                    self.close_connection = True
                    return
                status, headers, body = answer
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/problem+json" if status >= 400 else "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub_with(request) -> Iterator:
    stubs: list[Stub] = []

    def make(*script: Answer) -> Stub:
        stubs.append(Stub(list(script)))
        return stubs[-1]

    yield make
    for stub in stubs:
        stub.close()


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """Backoff delays the client asked for: not slept, but a fake clock advances by them, so that
    the retry deadline passes without the tests waiting for it."""
    delays: list[float] = []
    now = [1000.0]

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(client_module.time, "sleep", sleep)
    monkeypatch.setattr(client_module.time, "monotonic", lambda: now[0])
    return delays


def test_keeps_the_connection_alive(stub_with) -> None:
    stub = stub_with(OK)
    client = StepwiseClient(stub.url)
    for epoch in range(1, 6):
        client.step("s", epoch=epoch)
    assert len(stub.requests) == 5
    assert len({r["peer"] for r in stub.requests}) == 1


def test_retries_503_502_504_and_429_with_the_same_request(stub_with, sleeps) -> None:
    stub = stub_with((503, {}, {}), (429, {"Retry-After": "0"}, {}), (502, {}, {}), (504, {}, {}), OK)
    assert StepwiseClient(stub.url).step("s", epoch=7, metric=0.5) == STATE
    assert [json.loads(r["body"]) for r in stub.requests] == [{"epoch": 7, "metric": 0.5}] * 5
    assert len(sleeps) == 4 and sleeps[1] == 0.0  # Retry-After: 0 is honoured


def test_backoff_doubles_up_to_its_cap(stub_with, sleeps) -> None:
    stub = stub_with((503, {}, {"title": "Service Unavailable", "status": 503}))
    client = StepwiseClient(stub.url, retries=5, backoff=0.1, max_backoff=0.5)
    with pytest.raises(StepwiseUnavailableError) as raised:
        client.get_lr("s")
    assert isinstance(raised.value.last_error, StepwiseError) and raised.value.last_error.status == 503
    assert len(stub.requests) == 6 and raised.value.attempts == 6
    caps = [0.1, 0.2, 0.4, 0.5, 0.5]
    assert all(cap / 2 <= delay <= cap for delay, cap in zip(sleeps, caps)), sleeps


def test_by_default_retries_for_five_minutes_then_says_so(stub_with, sleeps) -> None:
    stub = stub_with((503, {}, {"title": "Service Unavailable", "status": 503}))
    with pytest.raises(StepwiseUnavailableError) as raised:
        StepwiseClient(stub.url).step("s", epoch=3)
    error = raised.value
    assert error.elapsed == pytest.approx(300.0) and sum(sleeps) == pytest.approx(300.0)
    assert max(sleeps) <= 1.0  # max_backoff: back within a second of the service
    assert len(stub.requests) == error.attempts > 250
    assert "POST" in str(error) and "/api/v1/schedulers/s/steps" in str(error) and "retry_deadline" in str(error)
    assert isinstance(error, ConnectionError)


def test_retry_after_is_honoured_beyond_the_backoff_cap_but_not_the_deadline(stub_with, sleeps) -> None:
    stub = stub_with((503, {"Retry-After": "7"}, {}), (429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, {}), OK)
    StepwiseClient(stub.url).get_lr("s")
    assert sleeps == [7.0, 0.0]  # a date in the past: at once
    stub = stub_with((503, {"Retry-After": "50"}, {}))
    with pytest.raises(StepwiseUnavailableError):
        StepwiseClient(stub.url, retry_deadline=20).get_lr("s")
    assert sleeps[2:] == [20.0]


def test_a_500_is_a_fault_not_a_restart_and_raises_at_once(stub_with, sleeps) -> None:
    stub = stub_with((500, {}, {"title": "Internal Server Error", "status": 500}), OK)
    with pytest.raises(StepwiseError) as raised:
        StepwiseClient(stub.url).get_lr("s")
    assert raised.value.status == 500 and len(stub.requests) == 1 and not sleeps


@pytest.mark.parametrize("status", [400, 404, 409, 422])
def test_problem_responses_raise_at_once(stub_with, sleeps, status: int) -> None:
    stub = stub_with((status, {}, dict(PROBLEM, status=status)))
    with pytest.raises(StepwiseError) as raised:
        StepwiseClient(stub.url).register([{"lr": 0.1}], {"type": "ExponentialLR", "gamma": math.inf})
    error = raised.value
    assert (error.status, error.title, error.detail) == (status, PROBLEM["title"], PROBLEM["detail"])
    assert error.errors == PROBLEM["errors"] and error.type == "about:blank"
    assert "scheduler.gamma" in str(error)
    assert len(stub.requests) == 1 and not sleeps


def test_an_error_without_a_problem_body_still_raises_stepwise_error(stub_with, sleeps) -> None:
    stub = stub_with((404, {}, "not json"))
    with pytest.raises(StepwiseError) as raised:
        StepwiseClient(stub.url).get_scheduler("s")
    assert raised.value.status == 404 and raised.value.title == "Not Found"


def test_waits_for_a_service_that_is_not_up_yet() -> None:
    port = free_port()
    stubs: list[Stub] = []
    timer = threading.Timer(0.3, lambda: stubs.append(Stub([OK], port=port)))
    timer.start()
    try:
        client = StepwiseClient(f"http://127.0.0.1:{port}", backoff=0.02, max_backoff=0.1)
        assert client.step("s", epoch=1) == STATE
    finally:
        timer.join()
        for stub in stubs:
            stub.close()


def test_connection_refused_until_the_deadline(sleeps) -> None:
    client = StepwiseClient(f"http://127.0.0.1:{free_port()}", retry_deadline=30)
    with pytest.raises(StepwiseUnavailableError) as raised:
        client.get_lr("s")
    assert isinstance(raised.value.last_error, ConnectionRefusedError)
    assert sum(sleeps) == pytest.approx(30.0)


def test_a_dropped_step_is_resent_only_when_it_carries_its_epoch(stub_with, sleeps) -> None:
    stub = stub_with(DROP, OK)
    client = StepwiseClient(stub.url)
    assert client.step("s", epoch=3) == STATE
    assert [json.loads(r["body"]) for r in stub.requests] == [{"epoch": 3}] * 2

    stub = stub_with(DROP, OK)
    with pytest.raises((ConnectionError, OSError)):
        StepwiseClient(stub.url).step("s", metric=1.0)  # the service may have taken it
    assert len(stub.requests) == 1

    stub = stub_with((503, {}, {}), OK)  # "commit not confirmed": it may have been taken
    with pytest.raises(StepwiseError):
        StepwiseClient(stub.url).step("s")
    assert len(stub.requests) == 1


def test_request_bodies_and_paths(stub_with) -> None:
    stub = stub_with((201, {}, STATE))
    client = StepwiseClient(stub.url + "/prefix/")
    client.step("run 1", epoch=2, metric=math.nan)
    client.step("s")
    client.register([{"lr": 0.1}], {"type": "StepLR", "step_size": 2})
    client.register([{"lr": 0.1}], {"type": "StepLR", "step_size": 2}, id="r", last_epoch=5)
    client.history("s", from_epoch=3, limit=10)
    client.resume("s", 4)
    client.put_state("s", {"last_epoch": 4, "best": "Infinity"})
    client.preview([{"lr": 1.0}], {"type": "ReduceLROnPlateau"}, steps=2, metrics=[1.0, 2.0])
    client.list_schedulers(size=10)
    client.delete_scheduler("s")
    sent = [(r["method"], r["path"], r["body"]) for r in stub.requests]
    assert sent[0] == ("POST", "/prefix/api/v1/schedulers/run%201/steps", b'{"epoch": 2, "metric": NaN}')
    assert sent[1] == ("POST", "/prefix/api/v1/schedulers/s/steps", b"{}")
    generated = json.loads(sent[2][2])
    assert generated.pop("id")  # chosen by the client, so a retried registration is idempotent
    assert generated == {"param_groups": [{"lr": 0.1}], "scheduler": {"type": "StepLR", "step_size": 2}}
    assert json.loads(sent[3][2]) == {
        "id": "r",
        "param_groups": [{"lr": 0.1}],
        "scheduler": {"type": "StepLR", "step_size": 2},
        "last_epoch": 5,
    }
    assert sent[4][:2] == ("GET", "/prefix/api/v1/schedulers/s/history?from_epoch=3&limit=10")
    assert sent[5] == ("POST", "/prefix/api/v1/schedulers/s/resume", b'{"last_epoch": 4}')
    assert sent[6][:2] == ("PUT", "/prefix/api/v1/schedulers/s/state")
    assert json.loads(sent[7][2]) == {
        "param_groups": [{"lr": 1.0}],
        "scheduler": {"type": "ReduceLROnPlateau"},
        "steps": 2,
        "metrics": [1.0, 2.0],
    }
    assert sent[8][:2] == ("GET", "/prefix/api/v1/schedulers?size=10")
    assert sent[9][:2] == ("DELETE", "/prefix/api/v1/schedulers/s")


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_forwards_the_trace_context_an_explicit_hook_gives(stub_with) -> None:
    stub = stub_with(OK)
    hook = {"traceparent": TRACEPARENT, "tracestate": "vendor=1", "authorization": "not forwarded"}
    StepwiseClient(stub.url, trace_headers=lambda: hook).step("s", epoch=1)
    headers = stub.requests[0]["headers"]
    assert headers["traceparent"] == TRACEPARENT
    assert headers["tracestate"] == "vendor=1"
    assert "authorization" not in headers


@pytest.fixture
def fake_opentelemetry(tmp_path, monkeypatch) -> dict[str, str]:
    """An `opentelemetry.propagate` stub on sys.path whose `inject` writes what the returned dict
    holds (the "current span"), as the real one writes the current span's context."""
    package = tmp_path / "opentelemetry"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "propagate.py").write_text("CURRENT = {}\n\ndef inject(carrier):\n    carrier.update(CURRENT)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(client_module, "_propagate", None)
    import opentelemetry.propagate as propagate

    monkeypatch.setattr(propagate, "CURRENT", {})
    yield propagate.CURRENT
    for name in ("opentelemetry.propagate", "opentelemetry"):
        sys.modules.pop(name, None)


def test_injects_the_current_opentelemetry_span(stub_with, fake_opentelemetry) -> None:
    stub = stub_with(OK)
    client = StepwiseClient(stub.url)
    client.step("s", epoch=1)  # no span current: nothing sent
    fake_opentelemetry.update({"traceparent": TRACEPARENT, "baggage": "user=x"})
    client.step("s", epoch=2)
    assert "traceparent" not in stub.requests[0]["headers"]
    assert stub.requests[1]["headers"]["traceparent"] == TRACEPARENT
    assert "baggage" not in stub.requests[1]["headers"]


def test_sends_no_trace_context_without_opentelemetry(stub_with, monkeypatch) -> None:
    monkeypatch.setattr(client_module, "_propagate", None)
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # import raises ImportError
    stub = stub_with(OK)
    StepwiseClient(stub.url).step("s", epoch=1)
    assert not {"traceparent", "tracestate"} & stub.requests[0]["headers"].keys()
