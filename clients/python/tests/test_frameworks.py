"""The examples' schedulers under each framework's calling convention (tests/frameworks.py replicates
transformers, Lightning, Accelerate and DeepSpeed from their source), side by side with a local torch
scheduler driven the same way: the same lrs at every step, one service step per torch step."""

from __future__ import annotations

import importlib.util
import io
import math
import sys
import threading
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import torch

import frameworks as fw
from helpers import close, torch_scheduler
from stepwise_client import RemoteLRScheduler
from stepwise_client.hf import StepwiseCallback

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def model_params() -> list[torch.nn.Parameter]:
    torch.manual_seed(0)
    return list(torch.nn.Linear(4, 1).parameters())


def lrs(optimizer: torch.optim.Optimizer) -> list[float]:
    return [float(group["lr"]) for group in optimizer.param_groups]


def assert_same(got: list[list[float]], want: list[list[float]]) -> None:
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert all(close(a, b) for a, b in zip(g, w)), f"call {i}: {g} != torch's {w}"


def hf_linear(optimizer: torch.optim.Optimizer, warmup: int, total: int) -> torch.optim.lr_scheduler.LambdaLR:
    """transformers.get_linear_schedule_with_warmup (optimization.py), for the local side."""

    def factor(step: int) -> float:
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


# -- transformers ------------------------------------------------------------------------------


def test_hf_trainer_steps_the_linear_schedule_after_each_optimizer_step(client, new_id) -> None:
    hf = example("hf_trainer")
    total = 30
    remote_opt = torch.optim.AdamW(model_params(), lr=1e-2)
    local_opt = torch.optim.AdamW(model_params(), lr=1e-2)
    remote = hf.schedule(remote_opt, client, new_id(), "linear", total)
    local = hf_linear(local_opt, total // 10, total)
    got, want = [], []
    for step in range(total):
        skipped = step == 7  # an fp16 overflow: the Trainer does not step the scheduler
        for optimizer, scheduler, out in ((remote_opt, remote, got), (local_opt, local, want)):
            optimizer.step()
            fw.hf_after_optimizer_step(scheduler, optimizer_step_was_skipped=skipped)
            out.append(lrs(optimizer))
    assert_same(got, want)
    assert remote.last_epoch == local.last_epoch == total - 1


def test_hf_trainer_posts_the_eval_metric_of_a_plateau_schedule_once(client, new_id, tmp_path) -> None:
    hf = example("hf_trainer")
    args = SimpleNamespace(metric_for_best_model="loss")
    remote_opt = torch.optim.AdamW(model_params(), lr=1e-2)
    local_opt = torch.optim.AdamW(model_params(), lr=1e-2)
    remote = hf.schedule(remote_opt, client, new_id(), "plateau", 0)
    local = torch.optim.lr_scheduler.ReduceLROnPlateau(local_opt, factor=0.5, patience=0)
    callback = StepwiseCallback(remote)
    callback.on_train_begin(args, None, None)
    evals = [0.9, 0.8, 0.85, 0.84, 0.7, 0.71, 0.72]
    got, want = [], []
    for loss in evals:
        for _ in range(3):  # optimizer steps: the Trainer leaves a ReduceLROnPlateau alone here
            for optimizer, scheduler in ((remote_opt, remote), (local_opt, local)):
                optimizer.step()
                fw.hf_after_optimizer_step(scheduler)
        fw.hf_evaluate(remote, [callback], args, {"eval_loss": loss, "epoch": 1.0})
        fw.hf_evaluate(local, [], args, {"eval_loss": loss, "epoch": 1.0})
        got.append(lrs(remote_opt))
        want.append(lrs(local_opt))
    assert_same(got, want)
    assert len(set(map(tuple, want))) > 1
    assert callback.posted == 0  # the Trainer posted each metric; the callback did not post it again
    history = client.history(remote.scheduler_id)["items"]
    assert [item["metric"] for item in history[1:]] == evals

    # The Trainer's checkpoint: torch.save(state_dict) to scheduler.pt, loaded with weights_only.
    torch.save(remote.state_dict(), tmp_path / "scheduler.pt")
    kwargs = {"weights_only": True} if int(torch.__version__.split(".")[0]) >= 2 else {}
    restored = hf.schedule(torch.optim.AdamW(model_params(), lr=1e-2), client, remote.scheduler_id, "plateau", 0)
    restored.load_state_dict(torch.load(tmp_path / "scheduler.pt", **kwargs))
    assert restored.last_epoch == len(evals) and lrs(restored.optimizer) == got[-1]


def test_stepwise_callback_posts_where_the_trainer_does_not_and_checks_the_set_up(client, new_id) -> None:
    spec = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 0}
    remote = RemoteLRScheduler(torch.optim.SGD(model_params(), lr=0.1), client, new_id(), spec)
    callback = StepwiseCallback(remote, metric="loss")
    with pytest.raises(ValueError, match="metric_for_best_model"):
        StepwiseCallback(remote).on_train_begin(SimpleNamespace(metric_for_best_model=None), None, None)
    # The Trainer holds another scheduler (here: none): the callback is the one that posts.
    args = SimpleNamespace(metric_for_best_model=None)
    for loss in (1.0, 2.0, 3.0):
        callback.on_evaluate(args, None, None, metrics={"eval_loss": loss}, lr_scheduler=None)
    assert callback.posted == 3 and remote.last_epoch == 3
    assert lrs(remote.optimizer) == [pytest.approx(0.025)]


# -- Lightning ---------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Seems like `optimizer.step\\(\\)` has been overridden")  # record() below
@pytest.mark.parametrize("kind", ["onecycle", "step", "plateau"])
def test_lightning_configure_optimizers_and_its_loop(client, new_id, kind) -> None:
    lightning = example("lightning_module")
    epochs, batches = 4, 5
    configs = fw.lightning_configure_schedulers(
        lightning.optimizers_and_schedule(model_params(), client, new_id(), kind, batches, epochs)
    )
    remote = configs[0].scheduler
    # The local twin: the same spec through torch, the same Lightning config.
    local_opt = torch.optim.SGD(model_params(), lr=0.05, momentum=0.9)
    local_conf = {"optimizer": local_opt, "lr_scheduler": torch_scheduler(local_opt, remote.spec)}
    if kind == "plateau":
        local_conf["monitor"] = "val_loss"
    else:
        local_conf["lr_scheduler"] = {"scheduler": local_conf["lr_scheduler"], "interval": configs[0].interval}
    local_configs = fw.lightning_configure_schedulers(local_conf)
    assert (configs[0].interval, configs[0].reduce_on_plateau) == (local_configs[0].interval, kind == "plateau")

    def val_loss(epoch: int) -> torch.Tensor:
        return torch.tensor([1.0, 0.9, 0.95, 0.96][epoch])  # Lightning's monitor values are tensors

    traces = []
    for conf_list, optimizer in ((configs, remote.optimizer), (local_configs, local_opt)):
        trace: list[list[float]] = []
        original = optimizer.step

        def record(*args: Any, _opt: Any = optimizer, _trace: Any = trace, _step: Any = original) -> Any:
            _trace.append(lrs(_opt))
            return _step(*args)

        optimizer.step = record  # the lr each optimizer step used
        fw.lightning_fit(conf_list, optimizer, epochs, batches, val_loss)
        trace.append(lrs(optimizer))
        traces.append(trace)
    assert_same(traces[0], traces[1])
    assert len(set(map(tuple, traces[1]))) > 1


def test_lightning_refuses_what_is_no_torch_scheduler() -> None:
    class Custom:
        optimizer = None

        def step(self) -> None: ...

        def state_dict(self) -> dict[str, Any]:
            return {}

        def load_state_dict(self, state: Any) -> None: ...

    with pytest.raises(fw.MisconfigurationException, match="LRScheduler API"):
        fw.lightning_configure_schedulers({"optimizer": None, "lr_scheduler": Custom()})


# -- Accelerate --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sequential", "onecycle"])
def test_accelerate_steps_num_processes_times_and_ranks_agree(client, new_id, kind) -> None:
    accelerate = example("accelerate_train")
    ranks, calls = 2, 9
    sid = new_id()
    spec_total = 12  # OneCycleLR: fewer steps than 2 x 9, so AcceleratedScheduler's total_steps guard bites

    def make(optimizer: torch.optim.Optimizer, remote: bool) -> Any:
        if kind == "onecycle":
            spec = {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": spec_total}
            return RemoteLRScheduler(optimizer, client, sid, spec) if remote else torch_scheduler(optimizer, spec)
        if remote:
            return accelerate.schedule(optimizer, client, sid, ranks * calls)
        return torch_scheduler(optimizer, accelerate.schedule_spec(ranks * calls))

    # accelerator.prepare() is collective (DDP broadcasts the model): every rank has constructed its
    # scheduler before any rank steps it, as in a real job.
    prepared = threading.Barrier(ranks)

    def run(remote: bool, out: list[list[float]], errors: list[BaseException]) -> None:
        try:
            optimizer = torch.optim.AdamW(model_params(), lr=1e-2)
            scheduler = fw.accelerate_prepare(make(optimizer, remote), ranks)
            assert isinstance(scheduler, fw.AcceleratedScheduler)
            if remote:
                prepared.wait(timeout=60)
            for _ in range(calls):
                optimizer.step()
                scheduler.step()
                out.append(lrs(optimizer))
        except BaseException as error:  # noqa: B036 - reported by the main thread
            errors.append(error)

    traces: list[list[list[float]]] = [[] for _ in range(ranks)]
    errors: list[BaseException] = []
    threads = [threading.Thread(target=run, args=(True, traces[r], errors)) for r in range(ranks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    local: list[list[float]] = []
    run(False, local, errors)
    assert not errors, errors
    assert traces[0] == traces[1]  # the ranks agree, value for value
    assert_same(traces[0], local)
    want_epoch = min(ranks * calls, spec_total) if kind == "onecycle" else ranks * calls
    assert client.get_lr(sid)["last_epoch"] == want_epoch


# -- DeepSpeed ---------------------------------------------------------------------------------


def test_deepspeed_steps_with_lr_kwargs_and_keeps_the_state_dict_in_its_checkpoint(client, new_id) -> None:
    deepspeed = example("deepspeed_train")
    total, sid = 40, new_id()
    factory = deepspeed.scheduler_factory(client, sid, total)
    engine = fw.DeepSpeedEngine(torch.optim.AdamW(model_params(), lr=1e-2), factory)
    assert isinstance(engine.lr_scheduler, RemoteLRScheduler)  # the callable was called with the optimizer
    got = []
    for step in range(25):
        engine.overflow = step == 3  # fp16 overflow: the engine skips the scheduler
        engine.step(lr_kwargs=None if step % 2 else {})
        got.append(lrs(engine.optimizer))
    buffer = io.BytesIO()
    torch.save(engine.checkpoint_state(), buffer)  # rank 0 writes it; the restart reads it
    buffer.seek(0)
    resumed = fw.DeepSpeedEngine(torch.optim.AdamW(model_params(), lr=1e-2), factory)
    resumed.load_checkpoint_state(torch.load(buffer))
    for _ in range(10):
        resumed.step()
        got.append(lrs(resumed.optimizer))

    local_opt = torch.optim.AdamW(model_params(), lr=1e-2)
    min_ratio = 1e-4 / 1e-2

    def cosine_with_min_lr(step: int) -> float:  # transformers.optimization's lambda
        if step < 10:
            return step / max(1, 10)
        progress = (step - 10) / max(1, total - 10)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)) * (1 - min_ratio) + min_ratio)

    local_engine = fw.DeepSpeedEngine(local_opt, torch.optim.lr_scheduler.LambdaLR(local_opt, cosine_with_min_lr))
    want = []
    for step in range(35):
        local_engine.overflow = step == 3
        local_engine.step()
        want.append(lrs(local_opt))
    assert_same(got, want)


def test_deepspeed_config_scheduler_section_is_served_as_deepspeed_computes_it(client, new_id) -> None:
    deepspeed = example("deepspeed_train")
    spec = deepspeed.spec_from_deepspeed_config(deepspeed.DEEPSPEED_SCHEDULER)
    assert spec == {
        "type": "deepspeed.WarmupDecayLR",
        "total_num_steps": 100,
        "warmup_max_lr": 1e-2,
        "warmup_num_steps": 10,
        "warmup_type": "linear",
    }
    engine = fw.DeepSpeedEngine(
        torch.optim.AdamW(model_params(), lr=1e-3), deepspeed.scheduler_factory(client, new_id(), 100, spec)
    )
    got = [lrs(engine.optimizer)]
    for _ in range(105):
        engine.step()
        got.append(lrs(engine.optimizer))

    def warmup_decay(iteration: int) -> float:  # WarmupDecayLR.get_lr at last_batch_iteration, DeepSpeed edaa722
        if iteration < 0:
            return 0.0
        gamma = iteration / 10 if iteration < 10 else max(0.0, float(100 - iteration) / float(max(1.0, 100 - 10)))
        return 0.0 + (1e-2 - 0.0) * gamma

    # the constructor writes iteration -1's lr; each step() the next iteration's
    assert_same(got, [[warmup_decay(i - 1)] * len(got[0]) for i in range(106)])


def test_deepspeed_with_a_plateau_schedule_does_what_it_does_to_torchs(client, new_id) -> None:
    """The engine calls step() without a metric; torch's ReduceLROnPlateau raises TypeError and the
    engine's fallback posts the batch size as the metric. Same for the remote one: no silent step."""
    spec = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 0}
    remote = fw.DeepSpeedEngine(
        torch.optim.SGD(model_params(), lr=0.1), lambda opt: RemoteLRScheduler(opt, client, new_id(), spec)
    )
    local_opt = torch.optim.SGD(model_params(), lr=0.1)
    local = fw.DeepSpeedEngine(local_opt, torch_scheduler(local_opt, spec))
    for _ in range(3):
        remote.step()
        local.step()
    assert lrs(remote.optimizer) == lrs(local_opt)
    history = client.history(remote.lr_scheduler.scheduler_id)["items"]
    assert [item["metric"] for item in history[1:]] == [32.0, 32.0, 32.0]
