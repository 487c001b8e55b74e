#!/usr/bin/env python3
"""DeepSpeed with a Stepwise schedule.

    pip install ./clients/python[torch] deepspeed
    deepspeed --num_gpus 1 clients/python/examples/deepspeed_train.py --url http://127.0.0.1:8080

Pass the remote scheduler (or a callable that builds it from DeepSpeed's optimizer) as
``deepspeed.initialize(lr_scheduler=...)`` and give the DeepSpeed config no "scheduler". The engine
calls ``lr_scheduler.step(**(lr_kwargs or {}))`` after each optimizer step without overflow, and
``engine.save_checkpoint`` / ``load_checkpoint`` keep ``lr_scheduler.state_dict()`` in its checkpoint,
so the schedule is restored with the model, on this service or another one.

DeepSpeed's own schedules (WarmupLR, WarmupDecayLR, WarmupCosineLR, OneCycle, LRRangeTest) are
served too, as ``deepspeed.<type>`` with the config's ``scheduler.params`` unchanged: move the
config's "scheduler" section to ``spec_from_deepspeed_config`` (``--deepspeed-schedule`` does so with
``DEEPSPEED_SCHEDULER``). OneCycle's momentum then goes to ``betas[0]`` of Adam & co.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

import torch

from stepwise_client import RemoteLRScheduler, StepwiseClient

# A DeepSpeed config's "scheduler" section, which Stepwise serves instead of DeepSpeed.
DEEPSPEED_SCHEDULER: dict[str, Any] = {
    "type": "WarmupDecayLR",
    "params": {"total_num_steps": 100, "warmup_max_lr": 1e-2, "warmup_num_steps": 10, "warmup_type": "linear"},
}


def spec_from_deepspeed_config(section: dict[str, Any]) -> dict[str, Any]:
    """The Stepwise spec of a DeepSpeed config's "scheduler" section: same params, namespaced type."""
    return {"type": "deepspeed." + section["type"], **section.get("params", {})}


def scheduler_factory(
    client: StepwiseClient, run_id: str, total_steps: int, spec: dict[str, Any] | None = None
) -> Callable[[torch.optim.Optimizer], RemoteLRScheduler]:
    """DeepSpeed calls a callable lr_scheduler with its (possibly wrapped) optimizer."""
    if spec is None:
        spec = {"type": "cosine_with_min_lr", "num_warmup_steps": 10, "num_training_steps": total_steps, "min_lr": 1e-4}

    def build(optimizer: torch.optim.Optimizer) -> RemoteLRScheduler:
        return RemoteLRScheduler(optimizer, client, run_id, spec)

    return build


def main() -> None:
    import deepspeed
    from torch import nn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--run-id", default="deepspeed-example")
    parser.add_argument("--checkpoint-dir", default="deepspeed-checkpoints")
    parser.add_argument("--local_rank", type=int, default=-1)
    parser.add_argument("--deepspeed-schedule", action="store_true", help="serve DEEPSPEED_SCHEDULER")
    args = parser.parse_args()
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
    config = {"train_batch_size": 32, "optimizer": {"type": "AdamW", "params": {"lr": 1e-2}}}
    steps = 100
    engine, _, _, scheduler = deepspeed.initialize(
        model=model,
        model_parameters=model.parameters(),
        config=config,
        lr_scheduler=scheduler_factory(
            StepwiseClient(args.url),
            args.run_id,
            steps,
            spec_from_deepspeed_config(DEEPSPEED_SCHEDULER) if args.deepspeed_schedule else None,
        ),
    )
    engine.load_checkpoint(args.checkpoint_dir)  # restores the schedule too, if there is one
    gen = torch.Generator().manual_seed(0)
    for step in range(steps):
        x = torch.randn(32, 8, generator=gen).to(engine.device)
        loss = nn.functional.mse_loss(engine(x), torch.sin(x.sum(dim=1, keepdim=True)))
        engine.backward(loss)
        engine.step()
        if (step + 1) % 25 == 0:
            engine.save_checkpoint(args.checkpoint_dir)
    print("lr", scheduler.get_last_lr())


if __name__ == "__main__":
    main()
