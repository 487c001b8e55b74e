"""The DDP example against the service: ranks agree, the service counts optimizer steps, and a
run SIGKILLed mid-training resumes from its checkpoint with an uninterrupted run's lrs."""

from __future__ import annotations

import importlib.util
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from helpers import close, rank_log, torch_lrs

pytestmark = pytest.mark.slow

CLIENT_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = CLIENT_ROOT / "examples" / "train_ddp.py"
EPOCHS, STEPS_PER_EPOCH, WARMUP = 5, 6, 6
TOTAL = EPOCHS * STEPS_PER_EPOCH
RUN_TIMEOUT = 300  # generous: CI machines may be busy


def load_example():
    spec = importlib.util.spec_from_file_location("train_ddp", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Run:
    """One invocation of examples/train_ddp.py (2 ranks) in its own process group."""

    def __init__(self, url: str, run_id: str, schedule: str, workdir: Path, name: str, step_delay: float = 0.0) -> None:
        self.run_id, self.logdir = run_id, workdir / name
        self.logdir.mkdir(parents=True)
        self.output = self.logdir / "output.txt"
        with open(self.output, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(EXAMPLE),
                    "--url",
                    url,
                    "--run-id",
                    run_id,
                    "--schedule",
                    schedule,
                    "--epochs",
                    str(EPOCHS),
                    "--steps-per-epoch",
                    str(STEPS_PER_EPOCH),
                    "--warmup",
                    str(WARMUP),
                    "--checkpoint-dir",
                    str(workdir / "checkpoints"),
                    "--lr-log-dir",
                    str(self.logdir),
                    "--step-delay",
                    str(step_delay),
                ],
                env=dict(os.environ, PYTHONPATH=str(CLIENT_ROOT)),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait(self) -> None:
        try:
            code = self.process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            # the launcher and each rank print their threads' stacks (train_ddp.py), so the
            # output shows where a hung run waits
            os.killpg(self.process.pid, signal.SIGUSR1)
            time.sleep(2)
            self.kill()
            code = "timeout"
        assert code == 0, f"train_ddp.py ended with {code}:\n{self.output.read_text()[-3000:]}"

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the launcher and both ranks
        self.process.wait()

    def log(self, rank: int) -> list[dict]:
        return rank_log(self.logdir, rank)


@pytest.fixture(scope="session")
def finished_run(service, tmp_path_factory) -> Callable[[str], Run]:
    """An uninterrupted run per schedule, shared by the tests that compare against it."""
    runs: dict[str, Run] = {}

    def get(schedule: str) -> Run:
        if schedule not in runs:
            workdir = tmp_path_factory.mktemp(f"uninterrupted-{schedule}")
            run = Run(service.base_url, f"uninterrupted-{schedule}-{workdir.name}", schedule, workdir, "run")
            run.wait()
            runs[schedule] = run
        return runs[schedule]

    return get


def lrs_by_iteration(*logs: list[dict]) -> dict[int, list[float]]:
    """Later logs win: a resumed run redoes the iterations after its checkpoint."""
    return {r["iteration"]: r["lr"] for log in logs for r in log}


def history(client, run_id: str) -> list[dict]:
    page = client.history(run_id, limit=10000)
    assert page.get("next_from_epoch") is None, "more history than the test expects"
    return page["items"]


def test_ranks_see_identical_lrs_and_service_counts_optimizer_steps(client, finished_run) -> None:
    run = finished_run("cosine")
    rank0, rank1 = run.log(0), run.log(1)
    assert [r["iteration"] for r in rank0] == list(range(TOTAL))
    assert rank0 == rank1
    assert [r["last_epoch"] for r in rank0] == list(range(TOTAL))
    # Both ranks posted every epoch; the service took each once.
    assert client.get_lr(run.run_id)["last_epoch"] == TOTAL
    assert [item["epoch"] for item in history(client, run.run_id)] == list(range(TOTAL + 1))
    spec = load_example().schedule_spec("cosine", TOTAL, WARMUP)
    want = torch_lrs(spec, [0.05], TOTAL)
    for record in rank0:
        assert close(record["lr"][0], want[record["iteration"]][0]), record


@pytest.mark.parametrize(
    "schedule, kill_at",
    [
        ("cosine", 2 * STEPS_PER_EPOCH + STEPS_PER_EPOCH // 2),  # mid-epoch, after two checkpoints
        ("plateau", 2 * STEPS_PER_EPOCH + STEPS_PER_EPOCH // 2),
        ("cosine", STEPS_PER_EPOCH // 2),  # before the first checkpoint: the rerun starts from scratch
    ],
    ids=["cosine", "plateau", "cosine-no-checkpoint"],
)
def test_run_killed_mid_training_resumes_with_uninterrupted_lrs(
    schedule: str, kill_at: int, service, client, finished_run, new_id, tmp_path
) -> None:
    reference = finished_run(schedule)
    run_id = new_id(f"killed-{schedule}")
    killed = Run(service.base_url, run_id, schedule, tmp_path, "killed", step_delay=0.03)
    deadline = time.monotonic() + RUN_TIMEOUT
    while max((r["iteration"] for r in killed.log(0)), default=-1) < kill_at:
        assert killed.process.poll() is None, killed.output.read_text()[-3000:]
        assert time.monotonic() < deadline, "the run never got far enough to be killed"
        time.sleep(0.005)
    killed.kill()
    reached = max(r["iteration"] for r in killed.log(0))
    assert reached < TOTAL - 1, "the run finished before it was killed"

    resumed = Run(service.base_url, run_id, schedule, tmp_path, "resumed")
    resumed.wait()
    redone = resumed.log(0)
    first = redone[0]["iteration"]
    assert first % STEPS_PER_EPOCH == 0, "did not restart from a checkpoint"
    assert first < reached, "not killed mid-epoch: no steps after the checkpoint to take back"
    assert [r["iteration"] for r in redone] == list(range(first, TOTAL))
    assert redone == resumed.log(1)

    # Exactly the lrs of the uninterrupted run, before and after the kill.
    assert len({tuple(lr) for lr in lrs_by_iteration(reference.log(0)).values()}) > 1, (
        "the schedule never changed the lr: nothing to compare"
    )
    assert lrs_by_iteration(killed.log(0), redone) == lrs_by_iteration(reference.log(0))
    # The service's record too: each epoch once, same lrs, same metrics.
    got, want = history(client, run_id), history(client, reference.run_id)
    assert [i["epoch"] for i in got] == [i["epoch"] for i in want]
    for g, w in zip(got, want):
        assert g["param_groups"] == w["param_groups"], f"epoch {g['epoch']}"
        assert (g["metric"] is None) == (w["metric"] is None)
        if g["metric"] is not None:
            assert math.isclose(g["metric"], w["metric"], rel_tol=1e-9), f"epoch {g['epoch']}"
    assert client.get_lr(run_id)["last_epoch"] == client.get_lr(reference.run_id)["last_epoch"]
