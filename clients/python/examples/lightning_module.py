#!/usr/bin/env python3
"""PyTorch Lightning with a Stepwise schedule.

    pip install ./clients/python[torch] lightning
    python3 clients/python/examples/lightning_module.py --url http://127.0.0.1:8080 --schedule onecycle

``configure_optimizers`` returns the remote scheduler like a torch one: ``interval: "step"`` (stepped
after every optimizer step) or ``"epoch"``, and a plateau schedule with ``monitor``. Lightning's
``_validate_scheduler_api`` accepts it because it is a torch ``LRScheduler`` (or
``ReduceLROnPlateau``), and Lightning's checkpoints keep its ``state_dict()``.
"""

from __future__ import annotations

import argparse
from typing import Any

import torch

from stepwise_client import RemoteLRScheduler, StepwiseClient


def optimizers_and_schedule(
    parameters: Any, client: StepwiseClient, run_id: str, kind: str, steps_per_epoch: int, epochs: int
) -> dict[str, Any]:
    """What LightningModule.configure_optimizers returns."""
    optimizer = torch.optim.SGD(parameters, lr=0.05, momentum=0.9)
    if kind == "onecycle":
        spec = {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": steps_per_epoch * epochs}
        scheduler = RemoteLRScheduler(optimizer, client, run_id, spec)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}
    if kind == "step":
        scheduler = RemoteLRScheduler(optimizer, client, run_id, {"type": "StepLR", "step_size": 2, "gamma": 0.5})
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "epoch"}}
    spec = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 0}
    scheduler = RemoteLRScheduler(optimizer, client, run_id, spec)
    return {"optimizer": optimizer, "lr_scheduler": scheduler, "monitor": "val_loss"}


def main() -> None:
    import lightning as L
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--run-id", default="lightning-example")
    parser.add_argument("--schedule", choices=("onecycle", "step", "plateau"), default="onecycle")
    args = parser.parse_args()
    x = torch.randn(256, 8, generator=torch.Generator().manual_seed(0))
    data = TensorDataset(x, torch.sin(x.sum(dim=1, keepdim=True)))
    loader, epochs = DataLoader(data, batch_size=32), 4

    class Module(L.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))

        def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
            return nn.functional.mse_loss(self.net(batch[0]), batch[1])

        def validation_step(self, batch: Any, batch_idx: int) -> None:
            self.log("val_loss", nn.functional.mse_loss(self.net(batch[0]), batch[1]))

        def configure_optimizers(self) -> dict[str, Any]:
            client = StepwiseClient(args.url)
            return optimizers_and_schedule(self.parameters(), client, args.run_id, args.schedule, len(loader), epochs)

    L.Trainer(max_epochs=epochs, logger=False).fit(Module(), loader, loader)


if __name__ == "__main__":
    main()
