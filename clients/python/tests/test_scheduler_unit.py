"""RemoteLRScheduler's bookkeeping against a fake client: what it registers and posts, and what
it writes into the optimizer. (No service needed.)"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch

import stepwise_client
from fake_client import FakeClient
from stepwise_client import RemoteLRScheduler


def params() -> list[dict[str, Any]]:
    return [
        {"params": [torch.zeros(2, requires_grad=True)]},
        {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.01},
    ]


SPEC = {"type": "ExponentialLR", "gamma": 0.5}


@pytest.mark.parametrize(
    "optimizer, sent",
    [
        (
            lambda: torch.optim.SGD(params(), lr=0.1, momentum=0.9),
            [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.9}],
        ),
        (
            lambda: torch.optim.Adam(params(), lr=0.1, betas=(0.8, 0.99)),
            [{"lr": 0.1, "momentum": 0.8}, {"lr": 0.01, "momentum": 0.8}],
        ),
        (lambda: torch.optim.Adagrad(params(), lr=0.1), [{"lr": 0.1}, {"lr": 0.01}]),
    ],
)
def test_registers_the_param_groups(optimizer, sent) -> None:
    client = FakeClient()
    RemoteLRScheduler(optimizer(), client, "run", SPEC)
    assert client.calls == [("register", sent, SPEC, "run")]


def test_registers_initial_values_not_scheduled_ones() -> None:
    optimizer = torch.optim.SGD(params(), lr=0.1, momentum=0.9)
    client = FakeClient(registered_epoch=3)  # registered before: its lr and momentum moved
    first = RemoteLRScheduler(optimizer, client, "run", SPEC)
    assert optimizer.param_groups[0]["lr"] == 0.1 * 0.5**3
    RemoteLRScheduler(optimizer, client, "run", SPEC)
    assert client.calls[0] == client.calls[1]
    assert first.last_epoch == 3


def test_step_posts_the_next_epoch_and_writes_lr_and_momentum() -> None:
    optimizer = torch.optim.SGD(params(), lr=0.1, momentum=0.9)
    client = FakeClient()
    scheduler = RemoteLRScheduler(optimizer, client, "run", SPEC)
    scheduler.step()
    scheduler.step(2)  # torch's (deprecated) step(epoch): posted as the epoch
    assert client.calls[1:] == [("step", "run", 1, None), ("step", "run", 2, None)]
    assert scheduler.last_epoch == 2
    assert scheduler.get_last_lr() == [0.1 * 0.25, 0.01 * 0.25]
    assert [g["lr"] for g in optimizer.param_groups] == scheduler.get_last_lr()
    assert [g["momentum"] for g in optimizer.param_groups] == [pytest.approx(0.7)] * 2


def test_beta1_is_written_for_optimizers_with_betas() -> None:
    optimizer = torch.optim.Adam(params(), lr=0.1, betas=(0.9, 0.99))
    scheduler = RemoteLRScheduler(optimizer, FakeClient(), "run", SPEC)
    scheduler.step()
    assert optimizer.param_groups[1]["betas"] == (pytest.approx(0.8), 0.99)
    assert "momentum" not in optimizer.param_groups[1]


def test_state_dict_survives_torch_save_and_resumes_the_service() -> None:
    optimizer = torch.optim.SGD(params(), lr=0.1, momentum=0.9)
    client = FakeClient()
    scheduler = RemoteLRScheduler(optimizer, client, "run", SPEC)
    for _ in range(4):
        scheduler.step()
    buffer = io.BytesIO()
    torch.save({"scheduler": scheduler.state_dict()}, buffer)
    saved = scheduler.state_dict()
    assert saved == {
        "format": 2,
        "client_version": stepwise_client.__version__,
        "scheduler_id": "run",
        "attempt": None,
        "last_epoch": 4,
        "position": 4.0,
        "scheduler": SPEC,
        "param_groups": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.9}],
        "state": {"type": "ExponentialLR", "last_epoch": 4, "gamma": 0.5},
        "_step_count": 5,
    }
    scheduler.step()

    fresh = RemoteLRScheduler(torch.optim.SGD(params(), lr=0.1, momentum=0.9), client, "run", SPEC)
    buffer.seek(0)
    fresh.load_state_dict(torch.load(buffer)["scheduler"])
    assert client.calls[-2:] == [("resume", "run", 4), ("get_state", "run")]  # same document: no PUT
    assert fresh.last_epoch == 4
    assert [g["lr"] for g in fresh.optimizer.param_groups] == [0.1 / 16, 0.01 / 16]
    with pytest.raises(ValueError):
        fresh.load_state_dict(dict(saved, scheduler_id="another-run"))


def test_a_param_group_count_mismatch_is_an_error() -> None:
    client = FakeClient()
    RemoteLRScheduler(torch.optim.SGD(params(), lr=0.1), client, "run", SPEC)
    single = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(RuntimeError, match="param groups"):
        RemoteLRScheduler(single, client, "run", SPEC)


def test_importing_the_client_does_not_import_torch() -> None:
    code = "import sys, stepwise_client; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


NO_TORCH = """
import sys
sys.modules["torch"] = None  # import torch now raises ImportError
sys.path.insert(0, "tests")
from fake_client import FakeClient
from stepwise_client import RemoteLRScheduler, RemoteReduceLROnPlateau, StepwiseClient

class Optimizer:  # anything with param_groups
    param_groups = [{"lr": 0.1, "momentum": 0.9}]

client = FakeClient()
scheduler = RemoteLRScheduler(Optimizer(), client, "run", {"type": "ExponentialLR", "gamma": 0.5})
scheduler.step()
assert (scheduler.last_epoch, scheduler._step_count, scheduler.get_last_lr()) == (1, 2, [0.05]), scheduler.__dict__
assert Optimizer.param_groups[0]["lr"] == 0.05
plateau = RemoteLRScheduler(Optimizer(), client, "p", {"type": "ReduceLROnPlateau"})
assert type(plateau) is RemoteReduceLROnPlateau
StepwiseClient("http://127.0.0.1:1")
"""


def test_without_torch_the_client_and_a_duck_typed_scheduler_work() -> None:
    subprocess.run([sys.executable, "-c", NO_TORCH], check=True, cwd=Path(__file__).resolve().parents[1])


def test_every_mutating_request_carries_the_attempt(monkeypatch) -> None:
    monkeypatch.setenv("TORCHELASTIC_RUN_ID", "job-7")
    monkeypatch.setenv("TORCHELASTIC_RESTART_COUNT", "3")
    fake = FakeClient()
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = RemoteLRScheduler(optimizer, fake, "run", {"type": "ExponentialLR", "gamma": 0.5})
    optimizer.step()
    scheduler.step()
    scheduler.load_state_dict({"scheduler_id": "run", "last_epoch": 1})
    assert scheduler.attempt == "job-7/3"
    assert fake.attempts == ["job-7/3"] * 3
    explicit = RemoteLRScheduler(optimizer, fake, "run", {"type": "ExponentialLR", "gamma": 0.5}, attempt="mine/0")
    assert explicit.attempt == "mine/0" and fake.attempts[-1] == "mine/0"
