"""HTTP client for the Stepwise API v1 (standard library only)."""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import random
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional, cast

from .types import (
    AmendedScheduler,
    Attempts,
    History,
    LrFinder,
    Preview,
    SchedulerList,
    SchedulerResource,
    State,
    StateDocument,
    StepResult,
)

JSON = dict[str, Any]

# Errors after which a request that is not idempotent (a step without an epoch) certainly did
# not reach the service, so resending it cannot apply it twice.
_UNSENT = (ConnectionRefusedError,)
# Answers that mean "not now": retried until the deadline. 502 and 504 are what a proxy in front of
# a restarting service answers; 503 is the service's own (database busy, commit not confirmed).
_RETRY_STATUSES = frozenset({429, 502, 503, 504})

DEFAULT_RETRY_DEADLINE = 300.0
STALE_ATTEMPT = "https://stepwise.dev/problems/stale-attempt"
# The environment variable holding the bearer token every rank of a job uses.
TOKEN_VARIABLE = "STEPWISE_TOKEN"

# The W3C Trace Context headers a request forwards from the caller's trace.
TRACE_HEADERS = ("traceparent", "tracestate")

_propagate: Any = None  # opentelemetry.propagate once looked up; False when not installed


def current_trace_headers() -> dict[str, str]:
    """`traceparent` (and `tracestate`) of the caller's current OpenTelemetry span, so that the
    service's spans join the caller's trace; empty when `opentelemetry` is not installed or no span
    is current. The default `trace_headers` of `StepwiseClient`."""
    global _propagate
    if _propagate is None:
        try:
            from opentelemetry import propagate  # type: ignore[import-not-found,unused-ignore]

            _propagate = propagate
        except ImportError:
            _propagate = False
    if _propagate is False:
        return {}
    carrier: dict[str, str] = {}
    _propagate.inject(carrier)
    return {name: value for name, value in carrier.items() if name in TRACE_HEADERS}


class StepwiseError(Exception):
    """A non-2xx answer; for RFC 9457 problem responses every field of the problem is kept."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        errors: list[JSON] | None = None,
        problem_type: str | None = None,
        body: Any = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.type = problem_type
        self.body = body
        fields = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in self.errors)
        super().__init__(" - ".join(s for s in (f"{status} {title}", detail, fields) if s))

    @classmethod
    def from_response(cls, status: int, reason: str, body: Any) -> StepwiseError:
        if not isinstance(body, dict):  # e.g. a proxy's HTML error page
            return cls(status, reason, body=body)
        kind: type[StepwiseError] = cls
        if body.get("type") == STALE_ATTEMPT:
            kind = StaleAttemptError
        elif status in (401, 403):
            kind = StepwiseAuthError
        return kind(status, body.get("title") or reason, body.get("detail"), body.get("errors"), body.get("type"), body)


class StaleAttemptError(StepwiseError):
    """409 stale-attempt: the request's training attempt is not the scheduler's current one. A later
    attempt of the job registered (this process is a zombie of an earlier one), so it must not touch
    the schedule again; `current_attempt` is the current one (None if the scheduler has none)."""

    @property
    def current_attempt(self) -> str | None:
        return cast(Optional[str], self.body.get("attempt")) if isinstance(self.body, dict) else None


class StepwiseAuthError(StepwiseError):
    """401 (no token, or an unknown, expired or revoked one) or 403 (a scheduler outside the token's
    scope, or a change with a read token). Never retried: the same token would be refused again.
    The token is the client's `token=` argument, else the STEPWISE_TOKEN environment variable."""

    def __str__(self) -> str:
        hint = (
            "set STEPWISE_TOKEN (or StepwiseClient(token=...)) to a valid token"
            if self.status == 401
            else "the token's scope or access does not permit this request"
        )
        return f"{super().__str__()} ({hint})"


class StepwiseUnavailableError(ConnectionError):
    """The service did not answer (connection errors, 429, 502, 503, 504) until the retry deadline.

    `last_error` is the last connection error or `StepwiseError`; `attempts` how often the
    request was sent; `elapsed` the seconds spent. It is a `ConnectionError` (an `OSError`).
    """

    def __init__(self, method: str, url: str, attempts: int, elapsed: float, last_error: BaseException) -> None:
        self.method = method
        self.url = url
        self.attempts = attempts
        self.elapsed = elapsed
        self.last_error = last_error
        super().__init__(
            f"Stepwise service unavailable: {method} {url} failed {attempts} time(s) over {elapsed:.1f} s, "
            f"the last time with {type(last_error).__name__}: {last_error} "
            "(StepwiseClient(retry_deadline=seconds) waits longer)"
        )


class StepwiseClient:
    """One method per call of the Stepwise HTTP API.

    Connections are kept alive (one per thread). By default the client rides through a service
    restart: connection errors, timeouts, 429, 502, 503 and 504 are retried with exponential
    backoff and jitter (a `Retry-After` is honoured) until `retry_deadline` seconds (5 minutes)
    have passed since the request was first sent; then `StepwiseUnavailableError` is raised.
    `retries`, when given, also caps the number of retries. Retrying is safe because registration
    carries an id and steps carry their epoch: the service answers a repeated one from its record.

    With authentication on, every request carries `Authorization: Bearer <token>`: `token`, else
    the STEPWISE_TOKEN environment variable (every rank of a job uses the same one). A 401 or 403
    raises `StepwiseAuthError` at once.

    Tracing: each request carries the W3C `traceparent` and `tracestate` that `trace_headers()`
    returns; by default (`current_trace_headers`) those of the caller's current OpenTelemetry span
    when `opentelemetry` is installed. Pass your own callable to forward a trace context from
    elsewhere (e.g. `lambda: {"traceparent": os.environ["TRACEPARENT"]}`), or `lambda: {}` to send
    none.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        retry_deadline: float = DEFAULT_RETRY_DEADLINE,
        retries: int | None = None,
        backoff: float = 0.05,
        max_backoff: float = 1.0,
        token: str | None = None,
        trace_headers: Callable[[], Mapping[str, str]] = current_trace_headers,
    ) -> None:
        url = urllib.parse.urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if retry_deadline < 0 or (retries is not None and retries < 0):
            raise ValueError("retry_deadline and retries must not be negative")
        self._connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        self._netloc = url.netloc
        self._prefix = url.path.rstrip("/") + "/api/v1"
        self.base_url = base_url.rstrip("/")
        self._origin = f"{url.scheme}://{url.netloc}"
        self.timeout = timeout
        self.retry_deadline = retry_deadline
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.trace_headers = trace_headers
        self._local = threading.local()
        secret = token if token is not None else os.environ.get(TOKEN_VARIABLE, "")
        # kept out of repr and messages: it is a secret
        self._authorization = f"Bearer {secret.strip()}" if secret.strip() else None

    # -- API calls ---------------------------------------------------------------------------

    def register(
        self,
        param_groups: Sequence[Mapping[str, Any]],
        scheduler: Mapping[str, Any],
        id: str | None = None,
        last_epoch: int | None = None,
        attempt: str | None = None,
    ) -> SchedulerResource:
        """POST /schedulers. 201 (created) and 200 (already registered, identical) both return
        the resource; a different schedule under that id raises StepwiseError(409).

        With `attempt` (a training attempt, shared by the job's ranks), a new attempt is adopted:
        the schedule stands at its start until the attempt's first step (a fresh start) or its first
        resume or `put_state` (from a checkpoint), and the answer holds the schedule's start. An
        attempt that was superseded raises StaleAttemptError."""
        # An id chosen here makes a retried registration idempotent.
        body: JSON = {"id": id or str(uuid.uuid4()), "param_groups": list(param_groups), "scheduler": dict(scheduler)}
        if last_epoch is not None:
            body["last_epoch"] = last_epoch
        if attempt is not None:
            body["attempt"] = attempt
        return cast(SchedulerResource, self._call("POST", "/schedulers", body))

    def step(
        self,
        scheduler_id: str,
        epoch: float | None = None,
        metric: float | None = None,
        attempt: str | None = None,
        count: int | None = None,
        consumed: int | None = None,
    ) -> StepResult:
        """POST /schedulers/{id}/steps: the state after `epoch`, with `replayed`. Without an
        epoch the step is retried only when it certainly did not reach the service. Another
        attempt than the scheduler's current one raises StaleAttemptError.

        `count` takes that many steps in one request, each with `metric` (and `consumed`), recorded
        one each; `epoch` then names the last_epoch of the last of them. `consumed` is required for a
        schedule in tokens or samples: what each step consumed; the answer then holds `consumed`,
        the total so far."""
        body: JSON = {}
        if epoch is not None:
            body["epoch"] = epoch
        if metric is not None:
            body["metric"] = metric
        if attempt is not None:
            body["attempt"] = attempt
        if count is not None:
            body["count"] = count
        if consumed is not None:
            body["consumed"] = consumed
        return cast(
            StepResult, self._call("POST", self._path(scheduler_id, "steps"), body, idempotent=epoch is not None)
        )

    def get_lr(self, scheduler_id: str) -> State:
        """GET /schedulers/{id}/lr: the current state."""
        return cast(State, self._call("GET", self._path(scheduler_id, "lr")))

    def get_scheduler(self, scheduler_id: str) -> SchedulerResource:
        """GET /schedulers/{id}: the resource (state, normalised spec, timestamps)."""
        return cast(SchedulerResource, self._call("GET", self._path(scheduler_id)))

    def list_schedulers(self, page: int | None = None, size: int | None = None) -> SchedulerList:
        """GET /schedulers: one page, newest first."""
        return cast(SchedulerList, self._call("GET", "/schedulers", query={"page": page, "size": size}))

    def delete_scheduler(self, scheduler_id: str) -> None:
        """DELETE /schedulers/{id} (and its history)."""
        self._call("DELETE", self._path(scheduler_id))

    def history(
        self,
        scheduler_id: str,
        from_epoch: float | None = None,
        to_epoch: float | None = None,
        limit: int | None = None,
    ) -> History:
        """GET /schedulers/{id}/history: `items` in epoch order and `next_from_epoch`."""
        return cast(
            History,
            self._call(
                "GET",
                self._path(scheduler_id, "history"),
                query={"from_epoch": from_epoch, "to_epoch": to_epoch, "limit": limit},
            ),
        )

    def resume(self, scheduler_id: str, last_epoch: int, attempt: str | None = None) -> State:
        """POST /schedulers/{id}/resume: back to the state recorded at `last_epoch`. With an
        attempt, resuming the epoch the attempt restored last changes nothing (another rank)."""
        body: JSON = {"last_epoch": last_epoch}
        if attempt is not None:
            body["attempt"] = attempt
        return cast(State, self._call("POST", self._path(scheduler_id, "resume"), body))

    def get_state(self, scheduler_id: str) -> StateDocument:
        """GET /schedulers/{id}/state: the full internal state (PyTorch state_dict keys)."""
        return cast(StateDocument, self._call("GET", self._path(scheduler_id, "state")))

    def put_state(self, scheduler_id: str, state: Mapping[str, Any], attempt: str | None = None) -> State:
        """PUT /schedulers/{id}/state: replace the whole state. With an attempt, a document of the
        epoch the attempt restored last changes nothing (another rank)."""
        return cast(
            State,
            self._call("PUT", self._path(scheduler_id, "state"), dict(state), query={"attempt": attempt}),
        )

    def attempts(self, scheduler_id: str) -> Attempts:
        """GET /schedulers/{id}/attempts: the training attempts adopted, in order."""
        return cast(Attempts, self._call("GET", self._path(scheduler_id, "attempts")))

    def lr_finder(
        self,
        scheduler_id: str,
        skip_begin: int | None = None,
        skip_end: int | None = None,
        beta: float | None = None,
    ) -> LrFinder:
        """GET /schedulers/{id}/lr-finder: the smoothed loss against the lr of the scheduler's steps
        (a stepwise.LRRangeTest stepped with the batch loss as metric) and the suggested lr of
        Lightning's steepest descent (`suggestions["steepest"]`, with Lightning's `skip_begin` and
        `skip_end`) and fastai's valley (`suggestions["valley"]`); `beta` overrides the smoothing."""
        return cast(
            LrFinder,
            self._call(
                "GET",
                self._path(scheduler_id, "lr-finder"),
                query={"skip_begin": skip_begin, "skip_end": skip_end, "beta": beta},
            ),
        )

    def preview(
        self,
        param_groups: Sequence[Mapping[str, Any]],
        scheduler: Mapping[str, Any],
        steps: int,
        metrics: Sequence[float] | None = None,
        consumed: Sequence[int] | None = None,
    ) -> Preview:
        """POST /previews: `states` after registration and each step, nothing stored. A schedule in
        tokens or samples takes `consumed`: one value per step, or one for every step."""
        body: JSON = {"param_groups": list(param_groups), "scheduler": dict(scheduler), "steps": steps}
        if metrics is not None:
            body["metrics"] = list(metrics)
        if consumed is not None:
            body["consumed"] = list(consumed)
        return cast(Preview, self._call("POST", "/previews", body))

    def amend(
        self,
        scheduler_id: str,
        amendment_id: str,
        *,
        scheduler: Mapping[str, Any] | None = None,
        extend: Mapping[str, int] | None = None,
        decay_now: Mapping[str, Any] | None = None,
        at_epoch: int | None = None,
        continuous: bool | None = None,
    ) -> AmendedScheduler:
        """POST /schedulers/{id}/amendments: change the schedule from `at_epoch` on (default: the
        current last_epoch, at once; a later epoch is pending until the step that reaches it).
        Exactly one of `scheduler` (a new spec), `extend` ({length argument: new total}) and
        `decay_now` ({decay_steps, decay_type, min_lr_ratio}). Every rank may call it with the same
        `amendment_id`: it is applied once. An epoch already passed, or the id posted before with
        another body, raises StepwiseError(409); a change that does not fit the schedule, 422."""
        body: JSON = {"amendment_id": amendment_id}
        if at_epoch is not None:
            body["at_epoch"] = at_epoch
        if continuous is not None:
            body["continuous"] = continuous
        if scheduler is not None:
            body["scheduler"] = dict(scheduler)
        if extend is not None:
            body["extend"] = dict(extend)
        if decay_now is not None:
            body["decay_now"] = dict(decay_now)
        # the amendment id makes a retry safe
        return cast(AmendedScheduler, self._call("POST", self._path(scheduler_id, "amendments"), body))

    def extend(
        self,
        scheduler_id: str,
        amendment_id: str,
        at_epoch: int | None = None,
        continuous: bool | None = None,
        **total: int,
    ) -> AmendedScheduler:
        """Make the schedule last longer: ``extend(id, "to-15k", total_steps=15000)`` with the
        type's length argument (total_steps, T_max, num_training_steps, total_iters). The lr stays
        continuous: lr(t) = x * new(t) / new(E)."""
        if len(total) != 1:
            raise TypeError("extend() takes one length argument, e.g. total_steps=15000")
        return self.amend(scheduler_id, amendment_id, extend=total, at_epoch=at_epoch, continuous=continuous)

    def decay_now(
        self,
        scheduler_id: str,
        amendment_id: str,
        decay_steps: int,
        decay_type: str = "cosine",
        min_lr_ratio: float = 0.0,
        at_epoch: int | None = None,
        continuous: bool | None = None,
    ) -> AmendedScheduler:
        """Start the decay now (WSD in its stable phase, constant and plateau schedules):
        lr(E + s) = x * (r + (1 - r) * f(s / n)) for s <= n, then x * r."""
        decay = {"decay_steps": decay_steps, "decay_type": decay_type, "min_lr_ratio": min_lr_ratio}
        return self.amend(scheduler_id, amendment_id, decay_now=decay, at_epoch=at_epoch, continuous=continuous)

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        self._drop_connection()

    def __enter__(self) -> StepwiseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport ---------------------------------------------------------------------------

    def _path(self, scheduler_id: str, *rest: str) -> str:
        return "/".join(("/schedulers", urllib.parse.quote(scheduler_id, safe="")) + rest)

    def _call(
        self,
        method: str,
        path: str,
        body: JSON | None = None,
        query: Mapping[str, Any] | None = None,
        idempotent: bool = True,
    ) -> Any:
        if query:
            pairs = {k: v for k, v in query.items() if v is not None}
            if pairs:
                path += "?" + urllib.parse.urlencode(pairs)
        # json.dumps writes NaN/Infinity as bare tokens, as the API accepts for a metric.
        payload = None if body is None else json.dumps(body).encode()
        trace = {name: value for name, value in self.trace_headers().items() if name in TRACE_HEADERS}
        started = time.monotonic()
        attempt = 0
        while True:
            retry_after: str | None = None
            try:
                status, reason, headers, data = self._send(method, self._prefix + path, payload, trace)
            except (OSError, http.client.HTTPException) as exc:  # refused, reset, timeout, ...
                self._drop_connection()
                if not (idempotent or isinstance(exc, _UNSENT)):
                    raise  # the service may have taken it: resending could apply it twice
                error: BaseException = exc
            else:
                if 200 <= status < 300:
                    return data
                error = StepwiseError.from_response(status, reason, data)
                # A 429 was refused before any work; the others may hide an applied request.
                if status not in _RETRY_STATUSES or not (idempotent or status == 429):
                    raise error
                retry_after = headers.get("Retry-After")
            elapsed = time.monotonic() - started
            remaining = self.retry_deadline - elapsed
            if remaining <= 0 or (self.retries is not None and attempt >= self.retries):
                url = self._origin + self._prefix + path
                raise StepwiseUnavailableError(method, url, attempt + 1, elapsed, error) from error
            time.sleep(min(self._delay(attempt, retry_after), remaining))
            attempt += 1

    def _delay(self, attempt: int, retry_after: str | None = None) -> float:
        """The pause before retry `attempt`: the service's Retry-After when it sent one, else
        exponential backoff (`backoff` x 2^attempt, capped at `max_backoff`) with jitter, which
        keeps the ranks of a job from retrying in lockstep."""
        wait = _parse_retry_after(retry_after)
        if wait is not None:
            return wait
        cap: float = min(self.max_backoff, self.backoff * 2.0**attempt)
        return cap * random.uniform(0.5, 1.0)

    def _send(
        self, method: str, path: str, payload: bytes | None, trace: Mapping[str, str]
    ) -> tuple[int, str, http.client.HTTPMessage, Any]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connection_class(self._netloc, timeout=self.timeout)
        headers = {"Accept": "application/json, application/problem+json", **trace}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self._authorization is not None:
            headers["Authorization"] = self._authorization
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        raw = response.read()  # read fully so that the connection can be reused
        if response.will_close:
            self._drop_connection()
        data: Any = None
        if raw:
            try:
                data = json.loads(raw)
            except ValueError:
                data = raw.decode("utf-8", "replace")
        return response.status, response.reason, response.headers, data

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delay-seconds or an HTTP date; None when absent or invalid."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, float(when.timestamp()) - time.time())
