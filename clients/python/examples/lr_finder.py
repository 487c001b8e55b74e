"""Find the learning rate with a stepwise.LRRangeTest: the service ramps the lr, this loop trains one
batch at each lr and posts its loss, and the service answers the suggested lr (Lightning's steepest
descent and fastai's valley) once the loss diverges or num_steps batches were taken.

    PYTHONPATH=clients/python python3 clients/python/examples/lr_finder.py [http://127.0.0.1:8080]
"""

from __future__ import annotations

import sys
import uuid

import torch

from stepwise_client import StepwiseClient


def main(url: str) -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs = torch.randn(4096, 16)
    targets = inputs @ torch.randn(16, 1) + 0.1 * torch.randn(4096, 1)
    client = StepwiseClient(url)
    run = f"lr-find-{uuid.uuid4().hex[:8]}"
    state = client.register(
        [{"lr": 0.1}],
        {"type": "stepwise.LRRangeTest", "start_lr": 1e-5, "end_lr": 10.0, "num_steps": 100},
        id=run,
    )
    for epoch in range(1, 101):
        for group in optimizer.param_groups:
            group["lr"] = state["param_groups"][0]["lr"]
        batch = torch.randint(0, len(inputs), (64,))
        loss = torch.nn.functional.mse_loss(model(inputs[batch]), targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        state = client.step(run, epoch=epoch, metric=loss.item())
        if state.get("finished"):  # the loss diverged, or num_steps were taken
            break
    finder = client.lr_finder(run)
    print(f"{finder['points']} batches; finished at epoch {finder['finished_at']}")
    for rule, suggestion in finder["suggestions"].items():
        print(f"{rule:9} lr = {suggestion['lr']}  {suggestion['reason'] or ''}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")
