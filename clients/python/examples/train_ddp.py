#!/usr/bin/env python3
"""Train a small model on synthetic data with torch.distributed (gloo, CPU), its learning rate
scheduled by a Stepwise service through RemoteLRScheduler.

    PYTHONPATH=clients/python python3 clients/python/examples/train_ddp.py \
        --url http://127.0.0.1:8080 --schedule cosine --checkpoint-dir /tmp/ckpt

or under torchrun, which restarts the workers when one fails (each restart is a new attempt):

    PYTHONPATH=clients/python torchrun --standalone --nproc-per-node 2 --max-restarts 3 \
        clients/python/examples/train_ddp.py --url http://127.0.0.1:8080 --checkpoint-dir /tmp/ckpt

Every rank builds the same RemoteLRScheduler and calls step(): they post the same epoch and get
the same values back. Each launch is a training attempt, shared by its ranks: under torchrun the
client takes it from TORCHELASTIC_RUN_ID and TORCHELASTIC_RESTART_COUNT, otherwise this script
makes one per invocation (--attempt to choose it). Rank 0 writes a checkpoint after every epoch;
a new attempt that finds one resumes from it, and the service goes back to the checkpoint's epoch
(the checkpoint holds the service's state document, so it also restores on a wiped or another
deployment). Without a checkpoint the new attempt starts the schedule from scratch at epoch 0, so
a job that crashed before its first checkpoint does not continue the old schedule; and a rank of
the crashed attempt that still runs is refused by the service (StaleAttemptError).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import signal
import socket
import time
import uuid
from pathlib import Path
from typing import Any, TextIO

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch import nn

from stepwise_client import RemoteLRScheduler, StepwiseClient

FEATURES = 16
TARGET = torch.linspace(-1.0, 1.0, FEATURES)


def schedule_spec(kind: str, total_steps: int, warmup: int) -> dict[str, Any]:
    """Warmup+cosine, stepped per optimizer step; or plateau on the validation loss, per epoch."""
    if kind == "cosine":
        return {
            "type": "SequentialLR",
            "milestones": [warmup],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.1, "total_iters": warmup},
                {"type": "CosineAnnealingLR", "T_max": total_steps - warmup},
            ],
        }
    return {"type": "ReduceLROnPlateau", "mode": "min", "factor": 0.5, "patience": 0, "threshold": 0.05}


def batch(seed: int, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    # Seeded per batch, not from the global RNG, so a resumed run sees the same data.
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(size, FEATURES, generator=gen)
    y = torch.sin(x @ TARGET) + 0.05 * torch.randn(size, generator=gen)
    return x, y.unsqueeze(1)


def validation_loss(model: nn.Module, rank: int, world_size: int) -> float:
    x, y = batch(1_000_000 + rank, 256)
    with torch.no_grad():
        loss = F.mse_loss(model(x), y)
    dist.all_reduce(loss)  # every rank gets the same mean, so every rank posts the same metric
    return loss.item() / world_size


def save_atomically(obj: Any, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)  # a kill mid-save leaves the previous checkpoint intact


def dump_stacks_on_sigusr1() -> None:
    """SIGUSR1 prints every thread's stack to stderr: where a hung run waits."""
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)


def train(rank: int, args: argparse.Namespace) -> None:
    dump_stacks_on_sigusr1()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if args.master_port is None:  # launched by torchrun (or alike): MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
        dist.init_process_group("gloo", init_method="env://", rank=rank, world_size=args.world_size)
    else:
        dist.init_process_group(
            "gloo", init_method=f"tcp://127.0.0.1:{args.master_port}", rank=rank, world_size=args.world_size
        )
    model = nn.Sequential(nn.Linear(FEATURES, 32), nn.Tanh(), nn.Linear(32, 1))
    ddp = nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    total_steps = args.epochs * args.steps_per_epoch
    scheduler = RemoteLRScheduler(
        optimizer,
        StepwiseClient(args.url, retry_deadline=args.retry_deadline),
        args.run_id,
        schedule_spec(args.schedule, total_steps, args.warmup),
        attempt=args.attempt,  # None under torchrun: the client takes torchrun's run id and restart count
    )
    # A new attempt stands at epoch 0 (a fresh start) unless it loads a checkpoint: every rank loads
    # the same one, the first restore moves the schedule there, the others change nothing.
    checkpoint = Path(args.checkpoint_dir) / "last.pt"
    first_epoch = 0
    if checkpoint.exists():
        state = torch.load(checkpoint)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        first_epoch = state["epoch"]
    log: TextIO | None = None
    if args.lr_log_dir:
        log = open(Path(args.lr_log_dir) / f"rank{rank}.jsonl", "a", buffering=1)
    for epoch in range(first_epoch, args.epochs):
        ddp.train()
        for i in range(args.steps_per_epoch):
            iteration = epoch * args.steps_per_epoch + i
            x, y = batch(iteration * args.world_size + rank, args.batch_size)
            optimizer.zero_grad()
            F.mse_loss(ddp(x), y).backward()
            optimizer.step()
            if log:
                log.write(
                    json.dumps(
                        {"iteration": iteration, "last_epoch": scheduler.last_epoch, "lr": scheduler.get_last_lr()}
                    )
                    + "\n"
                )
            if args.schedule == "cosine":
                scheduler.step()
            time.sleep(args.step_delay)
        val = validation_loss(model, rank, args.world_size)
        if args.schedule == "plateau":
            scheduler.step(val)
        if rank == 0:
            Path(args.checkpoint_dir).mkdir(parents=True, exist_ok=True)
            save_atomically(
                {
                    "epoch": epoch + 1,
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                },
                checkpoint,
            )
            print(
                f"epoch {epoch + 1}/{args.epochs} val_loss {val:.5f} "
                f"lr {scheduler.get_last_lr()[0]:.6f} last_epoch {scheduler.last_epoch}",
                flush=True,
            )
    if log:
        log.close()
    dist.barrier()  # leave together: rank 0 may still be writing the checkpoint
    dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("STEPWISE_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--run-id", default="train-ddp-example", help="the scheduler's id")
    parser.add_argument(
        "--attempt",
        help="the training attempt (default: torchrun's TORCHELASTIC_RUN_ID/TORCHELASTIC_RESTART_COUNT, "
        "else a new one per invocation)",
    )
    parser.add_argument("--schedule", choices=("cosine", "plateau"), default="cosine")
    parser.add_argument("--world-size", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--steps-per-epoch", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=8, help="warmup steps (cosine)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--retry-deadline", type=float, default=300.0, help="seconds to ride out a service outage")
    parser.add_argument("--checkpoint-dir", default="checkpoints")
    parser.add_argument("--lr-log-dir", help="write each rank's lrs per optimizer step here")
    parser.add_argument(
        "--step-delay", type=float, default=0.0, help="seconds to sleep after each step (to watch or interrupt a run)"
    )
    args = parser.parse_args()
    dump_stacks_on_sigusr1()
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        # torchrun started this process as one rank (env:// rendezvous)
        args.master_port = None
        args.world_size = int(os.environ["WORLD_SIZE"])
        train(int(os.environ["RANK"]), args)
        return
    if args.attempt is None and "TORCHELASTIC_RUN_ID" not in os.environ:
        args.attempt = f"{args.run_id}-{uuid.uuid4().hex[:12]}/0"  # this invocation, shared by its ranks
    args.master_port = free_port()
    mp.spawn(train, args=(args,), nprocs=args.world_size)


if __name__ == "__main__":
    main()
