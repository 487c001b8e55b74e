#!/usr/bin/env python3
"""Hugging Face `transformers.Trainer` with a Stepwise schedule.

    pip install ./clients/python[torch] transformers accelerate
    python3 clients/python/examples/hf_trainer.py --url http://127.0.0.1:8080 --schedule plateau

The remote scheduler goes in as ``Trainer(optimizers=(optimizer, scheduler))``. The Trainer calls
``scheduler.step()`` after every optimizer step that was not skipped, and, because a remote plateau
schedule is a ``torch.optim.lr_scheduler.ReduceLROnPlateau``, ``scheduler.step(eval_metric)`` after
each evaluation instead (``metric_for_best_model``). `StepwiseCallback` checks that set-up at
``on_train_begin`` and posts the metric where the Trainer would not. Checkpoints
(``scheduler.pt``) hold the remote state_dict, so ``trainer.train(resume_from_checkpoint=True)``
restores the schedule, on this service or another one.
"""

from __future__ import annotations

import argparse
from typing import Any

import torch
from torch import nn

from stepwise_client import RemoteLRScheduler, StepwiseClient
from stepwise_client.hf import StepwiseCallback

FEATURES = 8


def schedule(optimizer: torch.optim.Optimizer, client: StepwiseClient, run_id: str, kind: str, total: int) -> Any:
    """The Trainer's scheduler: HF's linear warmup schedule, or ReduceLROnPlateau on the eval loss."""
    if kind == "plateau":
        spec = {"type": "reduce_lr_on_plateau", "factor": 0.5, "patience": 0}
    else:
        spec = {"type": "linear", "num_warmup_steps": total // 10, "num_training_steps": total}
    return RemoteLRScheduler(optimizer, client, run_id, spec)


class Regression(nn.Module):
    """A model in the Trainer's convention: forward(**batch) returns a dict with the loss."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(FEATURES, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"loss": nn.functional.mse_loss(self.net(x), labels)}


class Data(torch.utils.data.Dataset):
    def __init__(self, n: int, seed: int) -> None:
        gen = torch.Generator().manual_seed(seed)
        self.x = torch.randn(n, FEATURES, generator=gen)
        self.y = torch.sin(self.x.sum(dim=1, keepdim=True))

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"x": self.x[i], "labels": self.y[i]}


def main() -> None:
    from transformers import Trainer, TrainingArguments

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--run-id", default="hf-trainer-example")
    parser.add_argument("--schedule", choices=("linear", "plateau"), default="linear")
    parser.add_argument("--output-dir", default="hf-trainer-output")
    args = parser.parse_args()
    model = Regression()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    epochs, train = 4, Data(256, 0)
    total = epochs * len(train) // 32
    scheduler = schedule(optimizer, StepwiseClient(args.url), args.run_id, args.schedule, total)
    training_args = TrainingArguments(
        output_dir=args.output_dir,
        num_train_epochs=epochs,
        per_device_train_batch_size=32,
        eval_strategy="epoch",
        save_strategy="epoch",
        metric_for_best_model="loss",  # the plateau schedule steps on eval_loss
        report_to=[],
    )
    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=train,
        eval_dataset=Data(64, 1),
        optimizers=(optimizer, scheduler),
        callbacks=[StepwiseCallback(scheduler)],
    )
    trainer.train()
    print("last_epoch", scheduler.last_epoch, "lr", scheduler.get_last_lr())


if __name__ == "__main__":
    main()
