#!/usr/bin/env python3
"""Hugging Face Accelerate with a Stepwise schedule.

    pip install ./clients/python[torch] accelerate
    accelerate launch --num_processes 2 clients/python/examples/accelerate_train.py --url http://127.0.0.1:8080

``accelerator.prepare(scheduler)`` would wrap the remote scheduler in ``AcceleratedScheduler``
because it is a torch ``LRScheduler``: it is stepped only when the optimizer really stepped (not
during gradient accumulation, not after an fp16 overflow), and, without ``split_batches``,
``num_processes`` times per call on every process, as torch schedulers are: ``num_processes``
requests. ``stepwise_client.accelerate.prepare`` wraps it the same way but posts those steps as one
request (``step(count=num_processes)``). Every process posts the same explicit epoch, so the service
takes the steps once and all processes get the same lrs.
"""

from __future__ import annotations

import argparse
from typing import Any

import torch

from stepwise_client import RemoteLRScheduler, StepwiseClient
from stepwise_client import accelerate as stepwise_accelerate


def schedule_spec(total_steps: int) -> dict[str, Any]:
    """Warmup then cosine over the optimizer steps of all processes (Accelerate steps it that often)."""
    warmup = total_steps // 10
    return {
        "type": "SequentialLR",
        "milestones": [warmup],
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.1, "total_iters": warmup},
            {"type": "CosineAnnealingLR", "T_max": total_steps - warmup},
        ],
    }


def schedule(
    optimizer: torch.optim.Optimizer, client: StepwiseClient, run_id: str, total_steps: int
) -> RemoteLRScheduler:
    return RemoteLRScheduler(optimizer, client, run_id, schedule_spec(total_steps))


def main() -> None:
    from accelerate import Accelerator
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--run-id", default="accelerate-example")
    args = parser.parse_args()
    accelerator = Accelerator()
    x = torch.randn(512, 8, generator=torch.Generator().manual_seed(0))
    loader = DataLoader(TensorDataset(x, torch.sin(x.sum(dim=1, keepdim=True))), batch_size=32)
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    epochs = 3
    scheduler = schedule(optimizer, StepwiseClient(args.url), args.run_id, epochs * len(loader))
    model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
    # num_processes steps per optimizer step, in one request
    scheduler = stepwise_accelerate.prepare(accelerator, scheduler)
    for _ in range(epochs):
        for x_batch, y_batch in loader:
            loss = nn.functional.mse_loss(model(x_batch), y_batch)
            accelerator.backward(loss)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
    accelerator.print("lr", scheduler.get_last_lr())


if __name__ == "__main__":
    main()
