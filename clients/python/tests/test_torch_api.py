"""The torch scheduler API of RemoteLRScheduler against a local torch scheduler, side by side:
initialisation without a double post, the call-order warning and _step_count, step(epoch) with
fractional epochs, step(metrics=...), get_lr(), print_lr, and checkpoints torch.load reads with
weights_only. Runs on whichever torch the interpreter has (1.13 and 2.x in .ci/run)."""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
import torch

from helpers import close, torch_scheduler
from stepwise_client import RemoteLRScheduler, RemoteReduceLROnPlateau

LRScheduler = getattr(torch.optim.lr_scheduler, "LRScheduler", None) or torch.optim.lr_scheduler._LRScheduler
ORDER_WARNING = "Detected call of `lr_scheduler.step()` before `optimizer.step()`"


def sgd(lrs: tuple[float, ...] = (0.1, 0.01)) -> torch.optim.Optimizer:
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def caught(action: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        action()
    return [str(w.message) for w in seen]


def lrs(optimizer: torch.optim.Optimizer) -> list[float]:
    return [group["lr"] for group in optimizer.param_groups]


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "StepLR", "step_size": 2},
        {"type": "CosineAnnealingWarmRestarts", "T_0": 3},
        {"type": "OneCycleLR", "max_lr": 0.5, "total_steps": 10},
        {
            "type": "SequentialLR",
            "milestones": [2],
            "schedulers": [{"type": "ConstantLR", "factor": 0.5}, {"type": "ExponentialLR", "gamma": 0.9}],
        },
    ],
    ids=lambda spec: spec["type"],
)
@pytest.mark.parametrize("optimizer_first", [True, False], ids=["optimizer-first", "scheduler-first"])
def test_step_count_and_call_order_warning_match_torch(client, new_id, spec, optimizer_first) -> None:
    def run(make: Any) -> tuple[list[Any], list[bool]]:
        optimizer = sgd()
        scheduler = make(optimizer)
        counts, warned = [getattr(scheduler, "_step_count", None)], []
        for _ in range(3):

            def one_step() -> None:
                if optimizer_first:
                    optimizer.step()
                scheduler.step()
                if not optimizer_first:
                    optimizer.step()

            warned.append(any(ORDER_WARNING in m for m in caught(one_step)))
            counts.append(getattr(scheduler, "_step_count", None))
        return counts, warned

    sid = new_id()
    local_counts, local_warned = run(lambda opt: torch_scheduler(opt, spec))
    remote_counts, remote_warned = run(lambda opt: RemoteLRScheduler(opt, client, sid, spec))
    assert remote_warned == local_warned
    if spec["type"] != "SequentialLR":  # torch's SequentialLR keeps no _step_count (its children do)
        assert remote_counts == local_counts
    # The constructor registered and did not post a step: one record per step() call.
    assert [item["epoch"] for item in client.history(sid)["items"]] == [0, 1, 2, 3]


def test_a_second_scheduler_on_the_optimizer_does_not_wrap_it_twice(client, new_id) -> None:
    optimizer = sgd()
    first = RemoteLRScheduler(optimizer, client, new_id("a"), {"type": "ExponentialLR", "gamma": 0.5})
    step = optimizer.step
    RemoteLRScheduler(optimizer, client, new_id("b"), {"type": "ExponentialLR", "gamma": 0.5})
    assert optimizer.step is step
    optimizer.step()
    assert not any(ORDER_WARNING in m for m in caught(first.step))


def test_fractional_epochs_of_cosine_warm_restarts_match_torch(client, new_id) -> None:
    """The torch docs' loop, scheduler.step(epoch + i / iters), then plain step()s and step(epoch)."""
    spec = {"type": "CosineAnnealingWarmRestarts", "T_0": 2, "T_mult": 2, "eta_min": 0.001}
    local_opt, remote_opt = sgd(), sgd()
    local = torch_scheduler(local_opt, spec)
    remote = RemoteLRScheduler(remote_opt, client, new_id(), spec)
    iters = 4
    calls: list[tuple[Any, ...]] = [(epoch + i / iters,) for epoch in range(5) for i in range(iters)]
    calls += [(), (), (7,), (), (8.5,), ()]  # the service refuses a jump over a whole epoch (409)
    for args in calls:
        local_opt.step()
        remote_opt.step()
        local.step(*args)
        remote.step(*args)
        assert remote.last_epoch == local.last_epoch, args
        assert all(close(a, b) for a, b in zip(lrs(remote_opt), lrs(local_opt))), (args, lrs(remote_opt))
        assert remote._step_count == local._step_count == 0  # torch's CAWR.step never counts


def test_step_with_an_epoch_warns_like_torch_and_posts_it(client, new_id) -> None:
    spec = {"type": "ExponentialLR", "gamma": 0.5}
    local_opt, remote_opt = sgd(), sgd()
    local, remote = torch_scheduler(local_opt, spec), RemoteLRScheduler(remote_opt, client, new_id(), spec)
    for optimizer in (local_opt, remote_opt):
        optimizer.step()
    assert any("epoch parameter" in m for m in caught(lambda: local.step(1)))
    assert any("epoch parameter" in m for m in caught(lambda: remote.step(1)))
    assert (remote.last_epoch, lrs(remote_opt)) == (local.last_epoch, lrs(local_opt))
    with pytest.raises(Exception, match="422|integral"):
        remote.step(1.5)  # only CosineAnnealingWarmRestarts takes fractional epochs


def test_plateau_is_a_torch_reduce_lr_on_plateau_with_torchs_step(client, new_id) -> None:
    spec = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 0}
    remote_opt, local_opt = sgd(), sgd()
    remote = RemoteLRScheduler(remote_opt, client, new_id(), spec)
    local = torch_scheduler(local_opt, spec)
    assert type(remote) is RemoteReduceLROnPlateau
    assert isinstance(remote, torch.optim.lr_scheduler.ReduceLROnPlateau) and isinstance(remote, RemoteLRScheduler)
    assert (remote.mode, remote.factor, remote.patience, remote.min_lrs) == ("min", 0.5, 0, [0.0, 0.0])
    # torch's positional, keyword and 0-dim tensor forms
    for call in (lambda s: s.step(1.0), lambda s: s.step(metrics=2.0), lambda s: s.step(torch.tensor(3.0))):
        call(remote)
        call(local)
        assert remote.last_epoch == local.last_epoch and lrs(remote_opt) == lrs(local_opt)
    with pytest.raises(TypeError):
        remote.step()  # as torch's: the metric is required
    assert client.get_state(remote.scheduler_id)["num_bad_epochs"] == 0


def test_get_lr_and_print_lr(client, new_id) -> None:
    optimizer = sgd()
    scheduler = RemoteLRScheduler(optimizer, client, new_id(), {"type": "StepLR", "step_size": 1, "gamma": 0.5})
    optimizer.step()
    scheduler.step()
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert scheduler.get_lr() == [0.05, 0.005]
        messages = [str(w.message) for w in seen]
    assert any("get_last_lr()" in m for m in messages)  # torch warns outside step() too
    assert scheduler.get_last_lr() == [0.05, 0.005]
    local = torch.optim.lr_scheduler.StepLR(sgd(), step_size=1)
    assert hasattr(scheduler, "print_lr") == hasattr(local, "print_lr")  # torch 1.13 has it, 2.x not


def test_state_dict_is_plain_data_for_weights_only_loads(client, new_id) -> None:
    optimizer = sgd()
    spec = {"type": "ReduceLROnPlateau", "patience": 0, "factor": 0.5}
    scheduler = RemoteLRScheduler(optimizer, client, new_id(), spec)
    scheduler.step(1.0)
    scheduler.step(2.0)
    buffer = io.BytesIO()
    torch.save(scheduler.state_dict(), buffer)
    buffer.seek(0)
    # torch 1.13's weights_only unpickler cannot read floats at all (nor a torch scheduler's state_dict).
    kwargs = {"weights_only": True} if int(torch.__version__.split(".")[0]) >= 2 else {}
    saved = torch.load(buffer, **kwargs)
    assert saved["state"]["best"] == 1.0 and saved["state"]["last_epoch"] == 2
    assert saved["param_groups"] == [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.9}]


def test_a_url_is_enough(service, new_id) -> None:
    scheduler = RemoteLRScheduler(sgd(), service.base_url, new_id(), {"type": "StepLR", "step_size": 2})
    assert isinstance(scheduler, LRScheduler) and scheduler.client.retry_deadline == 300
