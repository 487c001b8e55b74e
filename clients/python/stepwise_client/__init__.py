"""Python client of Stepwise, the learning-rate schedule server."""

from .client import StepwiseClient, StepwiseError
from .scheduler import RemoteLRScheduler

__all__ = ["StepwiseClient", "StepwiseError", "RemoteLRScheduler"]
__version__ = "0.1.0"
