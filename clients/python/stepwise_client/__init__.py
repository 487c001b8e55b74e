"""Python client of Stepwise, the learning-rate schedule server.

`StepwiseClient` (standard library only) speaks the HTTP API. `RemoteLRScheduler` is a
`torch.optim.lr_scheduler` scheduler whose values come from the service; it is imported on first
use, so ``import stepwise_client`` never imports torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .attempts import attempt_from_environment
from .client import (
    StaleAttemptError,
    StepwiseAuthError,
    StepwiseClient,
    StepwiseError,
    StepwiseUnavailableError,
    current_trace_headers,
)

if TYPE_CHECKING:
    from .scheduler import RemoteLRScheduler, RemoteReduceLROnPlateau

__all__ = [
    "RemoteLRScheduler",
    "RemoteReduceLROnPlateau",
    "StaleAttemptError",
    "StepwiseAuthError",
    "StepwiseClient",
    "StepwiseError",
    "StepwiseUnavailableError",
    "__version__",
    "attempt_from_environment",
    "current_trace_headers",
]

_LAZY = {"RemoteLRScheduler", "RemoteReduceLROnPlateau"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import scheduler

        return getattr(scheduler, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
