"""The service SIGKILLed mid-run, down for a while, then started again on the same data dir: a
client with no options (the README's `StepwiseClient(url)`) carries the run through, nothing lost
and nothing applied twice."""

from __future__ import annotations

import threading
import time

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import close, torch_lrs
from stepwise_client import RemoteLRScheduler, StepwiseClient

pytestmark = pytest.mark.slow

STEPS, KILL_AT, DOWN = 40, 12, 5.0
# Plateau state (best, bad epochs, cooldown) shows a step that was lost or applied twice.
SPEC = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1, "cooldown": 1, "threshold": 0.02}


def test_retries_carry_a_run_through_a_service_restart(service, new_id) -> None:
    if not service.restartable:
        pytest.skip("STEPWISE_URL is set: the tests did not start that service, so cannot restart it")
    client = StepwiseClient(service.base_url)  # the defaults: retry for up to 5 minutes
    torch.manual_seed(0)
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    scheduler = RemoteLRScheduler(optimizer, client, new_id("restart"), SPEC)
    x = torch.randn(32, 4, generator=torch.Generator().manual_seed(1))
    y = x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]])

    restarted = threading.Event()
    killed_at = []

    def kill_and_restart() -> None:
        while scheduler.last_epoch < KILL_AT:
            time.sleep(0.002)
        service.kill()
        killed_at.append(scheduler.last_epoch)
        time.sleep(DOWN)
        service.start()  # same port and database; the client retries until it answers
        restarted.set()

    killer = threading.Thread(target=kill_and_restart, daemon=True)
    killer.start()
    metrics, lrs, step_seconds = [], [], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        metrics.append(loss.item())
        started = time.monotonic()
        scheduler.step(metrics[-1])
        step_seconds.append(time.monotonic() - started)
        lrs.append(optimizer.param_groups[0]["lr"])
        time.sleep(0.01)
    killer.join(timeout=5)
    assert restarted.is_set() and killed_at[0] < STEPS - 1, "the service was not killed mid-run"
    print(f"ride-through: the longest step() took {max(step_seconds):.1f} s (down {DOWN:.0f} s, then start-up)")
    assert max(step_seconds) > DOWN, "no step() waited for the service: it was not down mid-run"

    assert scheduler.last_epoch == STEPS
    items = client.history(scheduler.scheduler_id, limit=10000)["items"]
    assert [i["epoch"] for i in items] == list(range(STEPS + 1))
    assert [i["metric"] for i in items[1:]] == metrics
    assert [i["param_groups"][0]["lr"] for i in items[1:]] == lrs
    want = [lr for (lr,) in torch_lrs(SPEC, [0.5], STEPS, metrics)[1:]]
    assert all(close(a, b) for a, b in zip(lrs, want)), (lrs, want)
    assert len(set(want)) > 2, "the schedule never reduced the lr: the test would prove nothing"
    client.close()
