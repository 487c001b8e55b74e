"""The service's rate limit against the client: a service started with a low limit (5 requests
a second, bursts of 5, requests without a token limited per address, as these are) answers 429
with Retry-After, and two "ranks" stepping and reading together ride through it: every step is
taken exactly once, also the steps without an epoch, which the client resends after a 429 only
because a 429 did nothing."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest
from conftest import Service, running

from stepwise_client import StepwiseClient

RATE, BURST = 5, 5
EPOCHS, UNNUMBERED = 20, 10


@pytest.fixture(scope="module")
def limited_service(service: Service) -> Iterator[Service]:
    if not service.restartable:
        pytest.skip("STEPWISE_URL is set: the tests cannot start a service with a low rate limit")
    assert service.jar is not None
    args = [
        f"--stepwise.rate-limit.requests-per-second={RATE}",
        f"--stepwise.rate-limit.burst={BURST}",
        "--stepwise.rate-limit.anonymous=true",
    ]
    with running(Service(jar=service.jar, args=args)) as svc:
        yield svc


def counting_statuses(client: StepwiseClient, statuses: Counter) -> StepwiseClient:
    """Counts every status the client receives, retried ones included."""
    send = client._send

    def counted(*args):  # type: ignore[no-untyped-def]
        answer = send(*args)
        statuses[answer[0]] += 1
        return answer

    client._send = counted  # type: ignore[method-assign]
    return client


def test_a_burst_past_the_limit_is_a_429_problem_with_retry_after(limited_service: Service) -> None:
    refused = None
    for _ in range(1000):  # faster than 5 a second sooner or later, however slow the machine
        try:
            urllib.request.urlopen(limited_service.base_url + "/api/v1/schedulers?size=1", timeout=10).read()
        except urllib.error.HTTPError as error:
            refused = error
            break
    assert refused is not None, "no request was refused"
    assert refused.code == 429
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert int(refused.headers["Retry-After"]) >= 1
    assert b'"type":"https://stepwise.dev/problems/rate-limited"' in refused.read()
    health = urllib.request.urlopen(limited_service.base_url + "/actuator/health/liveness", timeout=10)
    assert health.status == 200, "the probes are never limited"


def test_ranks_ride_through_the_limit_and_every_step_is_taken_once(limited_service: Service, new_id) -> None:
    statuses: Counter = Counter()
    clients = [
        counting_statuses(StepwiseClient(limited_service.base_url, retry_deadline=120), statuses) for _ in range(2)
    ]
    scheduler_id = new_id("rate-limited")
    spec = {"type": "StepLR", "step_size": 1, "gamma": 0.5}
    for client in clients:
        client.register([{"lr": 1.0}], spec, id=scheduler_id)
    lrs: dict[int, list[float]] = {0: [], 1: []}

    def rank(index: int) -> None:
        client = clients[index]
        for epoch in range(1, EPOCHS + 1):
            client.step(scheduler_id, epoch=epoch)
            lrs[index].append(client.get_lr(scheduler_id)["param_groups"][0]["lr"])

    threads = [threading.Thread(target=rank, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for _ in range(UNNUMBERED):
        clients[0].step(scheduler_id)  # no epoch: resent after a 429 only because a 429 did nothing

    assert statuses[429] > 0, f"the limit was never reached: {statuses}"
    state = clients[0].get_lr(scheduler_id)
    assert state["last_epoch"] == EPOCHS + UNNUMBERED
    assert state["param_groups"][0]["lr"] == 0.5 ** (EPOCHS + UNNUMBERED)
    # each rank read its own step's lr or, when the other rank was ahead, a later one
    for index in range(2):
        assert len(lrs[index]) == EPOCHS
        assert all(lr <= 0.5**epoch for epoch, lr in enumerate(lrs[index], start=1))
    history = clients[0].history(scheduler_id, from_epoch=1)
    epochs = [record["epoch"] for record in history["items"]]
    assert epochs == list(range(1, EPOCHS + UNNUMBERED + 1))
    for client in clients:
        client.close()
