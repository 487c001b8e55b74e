"""Self-contained checkpoints: state_dict() carries the service's state document, so the checkpoint
alone restores the schedule on the same service (resume), on a wiped one, and on another deployment
(a second service process on a fresh data dir)."""

from __future__ import annotations

import io
from typing import Any

import pytest
import torch

from helpers import close, torch_lrs
from stepwise_client import RemoteLRScheduler, StepwiseClient

BEFORE, AFTER = 9, 12
METRICS = [
    1.0,
    0.9,
    0.95,
    0.97,
    0.99,
    0.7,
    0.72,
    0.71,
    0.73,
    0.74,
    0.6,
    0.61,
    0.62,
    0.63,
    0.5,
    0.52,
    0.53,
    0.55,
    0.56,
    0.57,
    0.4,
]
# The counters (best, bad epochs, cooldown) decide the later lrs: a restore that loses them shows.
PLATEAU = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1, "cooldown": 2, "threshold": 0.01}
SEQUENTIAL = {
    "type": "SequentialLR",
    "milestones": [5],
    "schedulers": [
        {"type": "LinearLR", "start_factor": 0.1, "total_iters": 5},
        {"type": "CosineAnnealingLR", "T_max": 15},
    ],
}
LRS = (0.1, 0.01)


def optimizer() -> torch.optim.Optimizer:
    return torch.optim.SGD(
        [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in LRS], lr=LRS[0], momentum=0.9
    )


def step(scheduler: Any, spec: dict[str, Any], index: int) -> None:
    scheduler.optimizer.step()
    scheduler.step(METRICS[index]) if spec["type"] == "ReduceLROnPlateau" else scheduler.step()


def checkpoint_after(
    client: StepwiseClient, sid: str, spec: dict[str, Any]
) -> tuple[dict[str, Any], RemoteLRScheduler]:
    """BEFORE steps, then a checkpoint through torch.save / torch.load."""
    scheduler = RemoteLRScheduler(optimizer(), client, sid, spec)
    for i in range(BEFORE):
        step(scheduler, spec, i)
    buffer = io.BytesIO()
    torch.save({"scheduler": scheduler.state_dict()}, buffer)
    buffer.seek(0)
    return torch.load(buffer)["scheduler"], scheduler


def continue_from(client: StepwiseClient, sid: str, spec: dict[str, Any], saved: dict[str, Any]) -> list[list[float]]:
    """A new trainer process: fresh optimizer, the scheduler constructed, then the checkpoint loaded."""
    scheduler = RemoteLRScheduler(optimizer(), client, sid, spec)
    scheduler.load_state_dict(saved)
    assert scheduler.last_epoch == BEFORE
    out = [[g["lr"] for g in scheduler.optimizer.param_groups]]
    for i in range(BEFORE, BEFORE + AFTER):
        step(scheduler, spec, i)
        out.append([g["lr"] for g in scheduler.optimizer.param_groups])
    return out


def assert_continues_like_torch(spec: dict[str, Any], got: list[list[float]]) -> None:
    metrics = METRICS if spec["type"] == "ReduceLROnPlateau" else None
    want = torch_lrs(spec, list(LRS), BEFORE + AFTER, metrics)[BEFORE:]
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert all(close(a, b) for a, b in zip(g, w)), f"epoch {BEFORE + i}: {g} != torch's {w}"
    assert len({tuple(lrs) for lrs in want}) > 2, "the lr hardly changed: the test would prove nothing"


@pytest.mark.slow
@pytest.mark.parametrize("spec", [PLATEAU, SEQUENTIAL], ids=lambda s: s["type"])
def test_a_checkpoint_alone_restores_the_schedule_on_another_deployment(client, spare_service, new_id, spec) -> None:
    sid = new_id()
    saved, _ = checkpoint_after(client, sid, spec)
    assert saved["state"]["last_epoch"] == BEFORE and saved["param_groups"][0] == {"lr": 0.1, "momentum": 0.9}
    with StepwiseClient(spare_service.base_url, retry_deadline=60) as other:
        got = continue_from(other, sid, spec, saved)
        assert_continues_like_torch(spec, got)
        history = other.history(sid)["items"]
    # The new deployment registered the spec (epoch 0), took the document at BEFORE and each step after.
    assert [item["epoch"] for item in history] == [0, *range(BEFORE, BEFORE + AFTER + 1)]


def test_a_checkpoint_restores_a_deleted_scheduler(client, new_id) -> None:
    sid = new_id()
    saved, _ = checkpoint_after(client, sid, PLATEAU)
    scheduler = RemoteLRScheduler(optimizer(), client, sid, PLATEAU)
    client.delete_scheduler(sid)  # e.g. a database wiped while the job was down: load registers it again
    scheduler.load_state_dict(saved)
    assert client.get_state(sid) == saved["state"]
    assert scheduler.last_epoch == BEFORE


def test_a_checkpoint_resumes_where_the_service_still_records_its_epoch(client, new_id) -> None:
    sid = new_id()
    saved, scheduler = checkpoint_after(client, sid, PLATEAU)
    for i in range(BEFORE, BEFORE + 3):  # the run went on, then crashed
        step(scheduler, PLATEAU, i)
    assert_continues_like_torch(PLATEAU, continue_from(client, sid, PLATEAU, saved))
    # Resumed, not overwritten: the history before the checkpoint kept its metrics.
    items = client.history(sid)["items"]
    assert [item["epoch"] for item in items] == list(range(BEFORE + AFTER + 1))
    assert [item["metric"] for item in items[1:]] == METRICS[: BEFORE + AFTER]


def test_an_old_checkpoint_without_a_document_still_resumes(client, new_id) -> None:
    sid = new_id()
    saved, _ = checkpoint_after(client, sid, SEQUENTIAL)
    old = {"scheduler_id": sid, "last_epoch": BEFORE, "scheduler": SEQUENTIAL}  # the 0.1 client's format
    assert_continues_like_torch(SEQUENTIAL, continue_from(client, sid, SEQUENTIAL, old))
