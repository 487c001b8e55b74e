"""Training attempts against the service: a new attempt without a checkpoint starts at epoch 0
(once, whichever rank comes first), one with a checkpoint resumes there (once, every rank loading
it), a rank of a superseded attempt is refused, and the history names the attempts. The attempt
comes from torchrun's environment or from attempt=."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import pytest
import torch

from helpers import close, torch_lrs
from stepwise_client import RemoteLRScheduler, StaleAttemptError, StepwiseError, attempt_from_environment
from stepwise_client.attempts import resolve_attempt

SPEC = {"type": "StepLR", "step_size": 2, "gamma": 0.5}
COSINE = {
    "type": "SequentialLR",
    "milestones": [3],
    "schedulers": [
        {"type": "LinearLR", "start_factor": 0.1, "total_iters": 3},
        {"type": "CosineAnnealingLR", "T_max": 9},
    ],
}
LR = 0.1


def sgd() -> torch.optim.Optimizer:
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=LR, momentum=0.9)


def run(scheduler: Any, steps: int) -> list[float]:
    """The lr the optimizer holds before each of `steps` training steps, then after the last."""
    seen = [scheduler.optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        scheduler.optimizer.step()
        scheduler.step()
        seen.append(scheduler.optimizer.param_groups[0]["lr"])
    return seen


def assert_lrs(got: list[float], want: list[float]) -> None:
    assert len(got) == len(want)
    for epoch, (g, w) in enumerate(zip(got, want)):
        assert close(g, w), f"epoch {epoch}: {g!r} != torch's {w!r}"


# -- where the attempt comes from --------------------------------------------------------------------


def test_the_attempt_is_torchruns_run_id_and_restart_count() -> None:
    env = {"TORCHELASTIC_RUN_ID": "3f2c9a", "TORCHELASTIC_RESTART_COUNT": "2"}
    assert attempt_from_environment(env) == "3f2c9a/2"
    assert attempt_from_environment({"TORCHELASTIC_RUN_ID": "3f2c9a"}) == "3f2c9a/0"
    assert attempt_from_environment({}) is None
    assert attempt_from_environment({"TORCHELASTIC_RESTART_COUNT": "1"}) is None
    assert resolve_attempt("mine/1", env) == "mine/1"  # an explicit attempt wins
    assert resolve_attempt(None, env) == "3f2c9a/2"
    with pytest.raises(ValueError, match="printable"):
        resolve_attempt("with space")
    with pytest.warns(RuntimeWarning, match="not unique"):
        assert attempt_from_environment({"TORCHELASTIC_RUN_ID": "none", "TORCHELASTIC_RESTART_COUNT": "0"}) == "none/0"


def test_the_scheduler_takes_the_attempt_from_the_environment(client, new_id, monkeypatch) -> None:
    sid = new_id()
    monkeypatch.setenv("TORCHELASTIC_RUN_ID", "job-" + sid)
    monkeypatch.setenv("TORCHELASTIC_RESTART_COUNT", "0")
    first = RemoteLRScheduler(sgd(), client, sid, SPEC)
    assert first.attempt == f"job-{sid}/0"
    run(first, 5)
    monkeypatch.setenv("TORCHELASTIC_RESTART_COUNT", "1")
    second = RemoteLRScheduler(sgd(), client, sid, SPEC)
    assert second.attempt == f"job-{sid}/1"
    assert second.last_epoch == 0 and second.get_last_lr() == [LR]
    with pytest.raises(StaleAttemptError) as refused:
        first.step()
    assert refused.value.status == 409 and refused.value.current_attempt == f"job-{sid}/1"
    monkeypatch.delenv("TORCHELASTIC_RUN_ID")
    monkeypatch.delenv("TORCHELASTIC_RESTART_COUNT")
    assert RemoteLRScheduler(sgd(), client, new_id(), SPEC).attempt is None


# -- fresh starts, checkpoints and zombies -------------------------------------------------------------


def test_a_new_attempt_without_a_checkpoint_starts_at_epoch_zero(client, new_id) -> None:
    sid = new_id()
    crashed = RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/0")
    run(crashed, 7)
    assert client.get_lr(sid)["last_epoch"] == 7

    # the restarted job: two ranks at once, each with its optimizer, every step posted by both
    want = [lrs[0] for lrs in torch_lrs(COSINE, [LR], 10)]
    seen: dict[int, list[float]] = {}
    errors: list[BaseException] = []

    def rank(index: int) -> None:
        try:
            scheduler = RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/1")
            seen[index] = run(scheduler, 10)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=rank, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert_lrs(seen[0], want)
    assert_lrs(seen[1], want)
    items = client.history(sid)["items"]
    assert [item["epoch"] for item in items] == list(range(11))
    assert {item["attempt"] for item in items} == {"job/1"}
    attempts = client.attempts(sid)["items"]
    assert [(a["attempt"], a["current"], a["started_by"]) for a in attempts] == [
        ("job/0", False, "step"),
        ("job/1", True, "step"),
    ]

    # the zombie of job/0 can neither step nor reset the schedule
    with pytest.raises(StaleAttemptError):
        crashed.step()
    with pytest.raises(StaleAttemptError):
        RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/0")
    assert client.get_lr(sid)["last_epoch"] == 10


def test_a_new_attempt_with_a_checkpoint_resumes_there_once_on_every_rank(client, new_id) -> None:
    sid = new_id()
    crashed = RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/0")
    run(crashed, 4)
    checkpoint = crashed.state_dict()
    run(crashed, 3)  # stepped on after the checkpoint, then crashed

    want = [lrs[0] for lrs in torch_lrs(COSINE, [LR], 12)]
    # rank 1 constructs first (the attempt is adopted: the schedule stands at its start) ...
    rank1 = RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/1")
    assert rank1.last_epoch == 0 and client.get_lr(sid)["last_epoch"] == 0
    # ... rank 0 constructs, loads the checkpoint and steps on before rank 1 loads it
    rank0 = RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/1")
    rank0.load_state_dict(checkpoint)
    assert rank0.last_epoch == 4
    lrs0 = run(rank0, 3)
    rank1.load_state_dict(checkpoint)
    assert rank1.last_epoch == 4, "the second rank's restore must not move the schedule"
    assert client.get_lr(sid)["last_epoch"] == 7
    lrs1 = run(rank1, 8)
    lrs0 += run(rank0, 5)[1:]
    assert_lrs(lrs0, want[4:13])
    assert_lrs(lrs1, want[4:13])
    items = client.history(sid)["items"]
    assert [item["epoch"] for item in items] == list(range(13))
    assert [item["attempt"] for item in items] == ["job/0"] * 5 + ["job/1"] * 8
    current = client.attempts(sid)["items"][-1]
    assert (current["started_by"], current["start_epoch"], current["restored_epoch"]) == ("resume", 4, 4)
    with pytest.raises(StaleAttemptError):
        crashed.load_state_dict(checkpoint)


def test_a_checkpoint_restores_a_wiped_service_once_for_the_new_attempt(client, new_id) -> None:
    sid = new_id()
    crashed = RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/0")
    run(crashed, 5)
    checkpoint = crashed.state_dict()
    client.delete_scheduler(sid)
    ranks = [RemoteLRScheduler(sgd(), client, sid, COSINE, attempt="job/1") for _ in range(2)]
    ranks[0].load_state_dict(checkpoint)
    run(ranks[0], 2)
    ranks[1].load_state_dict(checkpoint)
    assert ranks[1].last_epoch == 5
    assert client.get_lr(sid)["last_epoch"] == 7
    want = [lrs[0] for lrs in torch_lrs(COSINE, [LR], 9)]
    assert_lrs(run(ranks[1], 4), want[5:10])
    assert client.attempts(sid)["items"][-1]["started_by"] == "state"


def test_without_an_attempt_construction_attaches_as_before(client, new_id, monkeypatch) -> None:
    monkeypatch.delenv("TORCHELASTIC_RUN_ID", raising=False)
    sid = new_id()
    run(RemoteLRScheduler(sgd(), client, sid, SPEC), 3)
    again = RemoteLRScheduler(sgd(), client, sid, SPEC)
    assert again.attempt is None and again.last_epoch == 3
    assert {item["attempt"] for item in client.history(sid)["items"]} == {None}


def test_a_stale_attempt_error_is_a_stepwise_error(client, new_id) -> None:
    sid = new_id()
    RemoteLRScheduler(sgd(), client, sid, SPEC, attempt="a/0")
    RemoteLRScheduler(sgd(), client, sid, SPEC, attempt="a/1")
    with pytest.raises(StepwiseError) as refused:
        client.step(sid, epoch=1, attempt="a/0")
    assert isinstance(refused.value, StaleAttemptError)
    assert refused.value.type == "https://stepwise.dev/problems/stale-attempt"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert client.step(sid, epoch=1, attempt="a/1")["replayed"] is False
