"""A 2-rank gloo job killed and restarted under torchrun's environment (TORCHELASTIC_RUN_ID,
TORCHELASTIC_RESTART_COUNT, RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT) continues exactly, with
and without a checkpoint: the lrs every rank sees at every step are a local torch scheduler's for
the same logical run. The ranks are started here as torchrun starts them, and killed (SIGKILL)
together; then by torchrun itself (python -m torch.distributed.run --standalone), which restarts
the workers when one of them dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import torch

from helpers import close, free_port, rank_log, torch_lrs

CLIENT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = CLIENT_ROOT / "examples" / "train_ddp.py"
WORKER = Path(__file__).resolve().parent / "elastic_worker.py"
EPOCHS, STEPS_PER_EPOCH, WARMUP, LR = 4, 6, 6, 0.05
TOTAL = EPOCHS * STEPS_PER_EPOCH
TIMEOUT = 300


def spec() -> dict:
    return {
        "type": "SequentialLR",
        "milestones": [WARMUP],
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.1, "total_iters": WARMUP},
            {"type": "CosineAnnealingLR", "T_max": TOTAL - WARMUP},
        ],
    }


def arguments(url: str, scheduler_id: str, workdir: Path, logdir: Path, step_delay: float) -> list[str]:
    return [
        "--url",
        url,
        "--run-id",
        scheduler_id,
        "--schedule",
        "cosine",
        "--epochs",
        str(EPOCHS),
        "--steps-per-epoch",
        str(STEPS_PER_EPOCH),
        "--warmup",
        str(WARMUP),
        "--lr",
        str(LR),
        "--checkpoint-dir",
        str(workdir / "checkpoints"),
        "--lr-log-dir",
        str(logdir),
        "--step-delay",
        str(step_delay),
    ]


class Attempt:
    """The 2 ranks of one attempt, started as torchrun starts its workers."""

    def __init__(
        self, url: str, scheduler_id: str, run_id: str, restart: int, workdir: Path, step_delay: float = 0.0
    ) -> None:
        self.logdir = workdir / f"attempt{restart}"
        self.logdir.mkdir(parents=True)
        port = free_port()
        self.processes = []
        for rank in range(2):
            env = dict(
                os.environ,
                PYTHONPATH=str(CLIENT_ROOT),
                RANK=str(rank),
                LOCAL_RANK=str(rank),
                WORLD_SIZE="2",
                LOCAL_WORLD_SIZE="2",
                MASTER_ADDR="127.0.0.1",
                MASTER_PORT=str(port),
                TORCHELASTIC_RUN_ID=run_id,
                TORCHELASTIC_RESTART_COUNT=str(restart),
            )
            with open(self.logdir / f"output{rank}.txt", "wb") as out:
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, str(EXAMPLE), *arguments(url, scheduler_id, workdir, self.logdir, step_delay)],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )

    def output(self) -> str:
        return "\n".join((self.logdir / f"output{rank}.txt").read_text()[-2000:] for rank in range(2))

    def wait(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        for process in self.processes:
            try:
                code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill()
                code = "timeout"
            assert code == 0, f"a rank ended with {code}:\n{self.output()}"

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait()

    def kill_at(self, iteration: int) -> int:
        """SIGKILLs both ranks once rank 0 logged `iteration`; the last iteration it logged."""
        deadline = time.monotonic() + TIMEOUT
        while max((r["iteration"] for r in log(self.logdir, 0)), default=-1) < iteration:
            assert all(p.poll() is None for p in self.processes), self.output()
            assert time.monotonic() < deadline, "the run never got far enough to be killed"
            time.sleep(0.005)
        self.kill()
        return max(r["iteration"] for r in log(self.logdir, 0))


def log(logdir: Path, rank: int) -> list[dict]:
    return rank_log(logdir, rank)


def assert_torch_lrs(records: list[dict]) -> None:
    want = torch_lrs(spec(), [LR], TOTAL)
    assert len({round(lrs[0], 12) for lrs in want}) > 1, "the schedule never changes the lr"
    for record in records:
        assert record["last_epoch"] == record["iteration"], record
        assert close(record["lr"][0], want[record["iteration"]][0]), (record, want[record["iteration"]])


def check_history(client, scheduler_id: str, attempts: list[str]) -> None:
    items = client.history(scheduler_id, limit=10000)["items"]
    assert [item["epoch"] for item in items] == list(range(TOTAL + 1)), "every epoch recorded once"
    assert [item["attempt"] for item in items] == attempts
    want = torch_lrs(spec(), [LR], TOTAL)
    for item in items:
        assert close(item["param_groups"][0]["lr"], want[item["epoch"]][0]), item


@pytest.mark.slow
@pytest.mark.parametrize("checkpoint", [True, False], ids=["checkpoint", "no-checkpoint"])
def test_a_job_killed_and_restarted_under_torchrun_variables_continues_exactly(
    checkpoint: bool, service, client, new_id, tmp_path
) -> None:
    scheduler_id, run_id = new_id("elastic"), uuid.uuid4().hex
    first = Attempt(service.base_url, scheduler_id, run_id, 0, tmp_path, step_delay=0.03)
    # mid-epoch: after two checkpoints, or before the first one
    kill_at = 2 * STEPS_PER_EPOCH + STEPS_PER_EPOCH // 2 if checkpoint else STEPS_PER_EPOCH // 2
    reached = first.kill_at(kill_at)
    assert reached < TOTAL - 1, "the run finished before it was killed"
    assert client.get_lr(scheduler_id)["last_epoch"] > 0
    assert (tmp_path / "checkpoints" / "last.pt").exists() == checkpoint

    second = Attempt(service.base_url, scheduler_id, run_id, 1, tmp_path)
    second.wait()
    redone = log(second.logdir, 0)
    assert redone == log(second.logdir, 1), "the ranks saw different lrs"
    start = redone[0]["iteration"]
    assert start == (2 * STEPS_PER_EPOCH if checkpoint else 0)
    assert start < reached, "no steps after the checkpoint to take back"
    assert [r["iteration"] for r in redone] == list(range(start, TOTAL))
    killed = [r for r in log(first.logdir, 0) if r["iteration"] < start] if checkpoint else []
    assert_torch_lrs(log(first.logdir, 0) + log(first.logdir, 1) + redone)
    assert [r["iteration"] for r in killed + redone] == list(range(TOTAL))
    # the checkpoint's epoch and those before it were taken by the first attempt; a fresh start
    # records the start again, as the second attempt's
    kept = start + 1 if checkpoint else 0
    check_history(client, scheduler_id, [f"{run_id}/0"] * kept + [f"{run_id}/1"] * (TOTAL + 1 - kept))
    attempts = client.attempts(scheduler_id)["items"]
    assert [(a["attempt"], a["started_by"]) for a in attempts] == [
        (f"{run_id}/0", "step"),
        (f"{run_id}/1", "resume" if checkpoint else "step"),
    ]


# Opt-in (STEPWISE_TEST_TORCHRUN=1, torch 2): on this 2-core VM under load, torchrun's restarted
# worker group now and then fails gloo's connectFullMesh ("Connection refused" to the other
# rank's port) and the agent then stalls, so it passed 2 of 4 runs; the tests above start the
# ranks with torchrun's variables themselves and are the ones CI relies on. torch 1.13's torchrun
# cannot start workers on Python 3.11 at all (its --redirects default fails in to_map).
@pytest.mark.skipif(int(torch.__version__.split(".")[0]) < 2, reason="torch 1.13's torchrun fails on Python 3.11")
@pytest.mark.skipif(os.environ.get("STEPWISE_TEST_TORCHRUN") != "1", reason="opt-in: STEPWISE_TEST_TORCHRUN=1")
def test_torchrun_restarts_the_workers_as_a_new_attempt(service, client, new_id, tmp_path) -> None:
    """Real torchrun, --standalone (a fresh run id): rank 0 dies by SIGKILL in the first attempt
    mid-epoch, after two checkpoints; torchrun kills rank 1 and restarts both. (Up to 3 restarts:
    under load, gloo's connection of a restarted worker group now and then fails before the
    scheduler is built, and torchrun then restarts the group again.)"""
    scheduler_id = new_id("torchrun")
    crash_at = 2 * STEPS_PER_EPOCH + STEPS_PER_EPOCH // 2
    resumed_at = 2 * STEPS_PER_EPOCH
    logdir = tmp_path / "logs"
    logdir.mkdir()
    env = dict(os.environ, PYTHONPATH=str(CLIENT_ROOT), STEPWISE_TEST_CRASH_AT=str(crash_at))
    for name in ("TORCHELASTIC_RUN_ID", "TORCHELASTIC_RESTART_COUNT", "RANK", "WORLD_SIZE"):
        env.pop(name, None)
    with open(tmp_path / "torchrun.txt", "wb") as out:
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "torch.distributed.run",
                "--standalone",
                "--nproc_per_node",
                "2",
                "--max_restarts",
                "3",
                "--monitor_interval",
                "0.2",
                str(WORKER),
                *arguments(service.base_url, scheduler_id, tmp_path, logdir, 0.0),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT,
        )
    output = (tmp_path / "torchrun.txt").read_text()
    assert process.returncode == 0, output[-4000:]
    attempts = client.attempts(scheduler_id)["items"]
    run_id = attempts[0]["attempt"][: -len("/0")]
    first, last = attempts[0], attempts[-1]
    assert first["attempt"] == f"{run_id}/0" and first["started_by"] == "step"
    assert last["current"] and last["attempt"].startswith(f"{run_id}/") and last["attempt"] != first["attempt"]
    assert (last["started_by"], last["start_epoch"]) == ("resume", resumed_at)
    for rank in range(2):
        records = log(logdir, rank)
        assert_torch_lrs(records)  # every attempt, every step
        iterations = [r["iteration"] for r in records]
        restarts = [i for i in range(1, len(iterations)) if iterations[i] <= iterations[i - 1]]
        assert restarts, "the job was not restarted"
        assert iterations[: restarts[0]] == list(range(crash_at if rank == 0 else len(iterations[: restarts[0]])))
        assert iterations[restarts[-1] :] == list(range(resumed_at, TOTAL))
    check_history(
        client, scheduler_id, [first["attempt"]] * (resumed_at + 1) + [last["attempt"]] * (TOTAL - resumed_at)
    )
