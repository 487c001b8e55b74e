"""Many steps in one request (``step(count=k)``, the Accelerate path) and schedules in tokens
(``unit="tokens"``, ``step(consumed=n)``), against the live service and torch."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import torch

import frameworks as fw
from helpers import close, torch_scheduler
from stepwise_client import RemoteLRScheduler, StepwiseError
from stepwise_client.accelerate import counting_step, steps_per_call

STEP_LR = {"type": "StepLR", "step_size": 3, "gamma": 0.5}


def optimizer() -> torch.optim.Optimizer:
    torch.manual_seed(0)
    return torch.optim.SGD(torch.nn.Linear(4, 1).parameters(), lr=0.1, momentum=0.9)


def lr(opt: torch.optim.Optimizer) -> float:
    return float(opt.param_groups[0]["lr"])


def test_step_count_is_k_torch_steps_in_one_request(client, new_id) -> None:
    remote_opt, local_opt = optimizer(), optimizer()
    remote = RemoteLRScheduler(remote_opt, client, new_id(), STEP_LR)
    local = torch_scheduler(local_opt, STEP_LR)
    for k in (1, 4, 2, 5):
        remote_opt.step()
        remote.step(count=k)
        for _ in range(k):
            local_opt.step()
            local.step()
        assert remote.last_epoch == local.last_epoch
        assert remote._step_count == local._step_count
        assert close(lr(remote_opt), lr(local_opt))
    history = client.history(remote.scheduler_id)["items"]
    assert [item["epoch"] for item in history] == list(range(13))


def test_a_retried_count_request_is_answered_from_the_history(client, new_id) -> None:
    sid = new_id()
    client.register([{"lr": 1.0}], STEP_LR, id=sid)
    first = client.step(sid, epoch=6, count=6)
    again = client.step(sid, epoch=6, count=6)
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["last_epoch"] == 6 and again["param_groups"] == first["param_groups"]
    assert len(client.history(sid)["items"]) == 7


def test_a_count_beyond_the_limit_names_count(client, new_id) -> None:
    sid = new_id()
    client.register([{"lr": 1.0}], STEP_LR, id=sid)
    with pytest.raises(StepwiseError) as refused:
        client.step(sid, count=1001)
    assert refused.value.status == 422
    assert refused.value.body["errors"][0]["field"] == "count"


class _Wrapper(SimpleNamespace):
    """What counting_step reads of Accelerate's AcceleratedScheduler (accelerate/scheduler.py)."""


@pytest.mark.parametrize("spec", [STEP_LR, {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 12}])
def test_the_accelerate_path_takes_num_processes_steps_in_one_request(client, new_id, spec) -> None:
    processes, calls = 3, 6
    counted_opt, looped_opt = optimizer(), optimizer()
    counted = RemoteLRScheduler(counted_opt, client, new_id("counted"), spec)
    looped = fw.AcceleratedScheduler(torch_scheduler(looped_opt, spec), processes)
    wrapper = _Wrapper(
        scheduler=counted,
        step_with_optimizer=True,
        split_batches=False,
        gradient_state=SimpleNamespace(sync_gradients=True, adjust_scheduler=False),
        optimizers=[SimpleNamespace(step_was_skipped=False)],
    )
    posts: list[Any] = []
    original = counted.client.step

    def counting_posts(*args: Any, **kwargs: Any) -> Any:
        posts.append(kwargs.get("count"))
        return original(*args, **kwargs)

    counted.client.step = counting_posts  # type: ignore[method-assign]
    try:
        for _ in range(calls):
            counted_opt.step()
            looped_opt.step()
            counting_step(wrapper, processes)
            looped.step()
            assert close(lr(counted_opt), lr(looped_opt))
            assert counted.last_epoch == looped.scheduler.last_epoch
    finally:
        del counted.client.step
    # OneCycleLR: 12 steps, Accelerate's guard stops at total_steps: 3 + 3 + 3 + 3, then none
    assert len(posts) == (4 if spec["type"] == "OneCycleLR" else calls)
    assert set(posts) == {processes}


def test_steps_per_call_follows_accelerate() -> None:
    assert steps_per_call(SimpleNamespace(), 4, split_batches=True) == 1
    assert steps_per_call(SimpleNamespace(), 4, split_batches=False) == 4
    assert steps_per_call(SimpleNamespace(total_steps=10, _step_count=9), 4, split_batches=False) == 2
    assert steps_per_call(SimpleNamespace(total_steps=10, _step_count=11), 4, split_batches=False) == 0


LINEAR = {"type": "linear", "num_warmup_steps": 1000, "num_training_steps": 10000}


def hf_linear(t: int) -> float:
    """transformers.get_linear_schedule_with_warmup's lr_lambda at t (here tokens)."""
    return t / 1000 if t < 1000 else max(0.0, (10000 - t) / 9000)


def test_a_schedule_in_tokens_reads_its_position_in_tokens(client, new_id) -> None:
    opt = optimizer()
    scheduler = RemoteLRScheduler(opt, client, new_id(), LINEAR, unit="tokens")
    assert scheduler.normalized_spec["unit"] == "tokens"
    assert scheduler.consumed == 0
    position = 0
    for batch in (256, 256, 512, 1024, 2048, 4096):
        opt.step()
        scheduler.step(consumed=batch)
        position += batch
        assert scheduler.consumed == position
        assert close(lr(opt), 0.1 * hf_linear(position))
    opt.step()
    scheduler.step(count=2, consumed=512)
    assert scheduler.last_epoch == 8 and scheduler.consumed == position + 1024
    assert close(lr(opt), 0.1 * hf_linear(position + 1024))
    assert client.get_lr(scheduler.scheduler_id)["consumed"] == position + 1024


def test_one_token_per_step_is_the_schedule_in_steps(client, new_id) -> None:
    in_steps, in_tokens = optimizer(), optimizer()
    steps = RemoteLRScheduler(in_steps, client, new_id("steps"), LINEAR)
    tokens = RemoteLRScheduler(in_tokens, client, new_id("tokens"), LINEAR, unit="tokens")
    for _ in range(20):
        steps.step()
        tokens.step(consumed=1)
        assert lr(in_tokens) == lr(in_steps)


def test_a_step_of_a_schedule_in_tokens_needs_consumed(client, new_id) -> None:
    scheduler = RemoteLRScheduler(optimizer(), client, new_id(), LINEAR, unit="tokens")
    with pytest.raises(StepwiseError) as missing:
        scheduler.step()
    assert missing.value.status == 400
    assert missing.value.body["errors"][0]["field"] == "consumed"
    with pytest.raises(StepwiseError) as refused:
        RemoteLRScheduler(optimizer(), client, new_id(), STEP_LR, unit="tokens")
    assert refused.value.status == 422
    assert [error["field"] for error in refused.value.body["errors"]] == ["scheduler.unit", "scheduler.type"]


def test_a_preview_in_tokens(client) -> None:
    preview = client.preview([{"lr": 1.0}], {**LINEAR, "unit": "tokens"}, 3, consumed=[500])
    assert [state["consumed"] for state in preview["states"]] == [0, 500, 1000, 1500]
    assert [state["param_groups"][0]["lr"] for state in preview["states"]] == [
        hf_linear(t) for t in (0, 500, 1000, 1500)
    ]
