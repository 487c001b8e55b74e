"""Training attempts: which launch of a job a request belongs to (standard library only).

Every rank of one attempt sends the same attempt id. Under torchrun (``torch.distributed.run``,
torchelastic) it is ``f"{TORCHELASTIC_RUN_ID}/{TORCHELASTIC_RESTART_COUNT}"``, e.g. ``"3f2c…/0"`` for
the first launch and ``"3f2c…/1"`` after torchrun restarted the workers once: the run id is the
rendezvous id (``--rdzv-id``, a fresh UUID with ``--standalone``), the restart count goes up with
every restart of the worker group. So a restarted job is a new attempt, and its ranks agree on it
without talking to each other.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping

RUN_ID_VARIABLE = "TORCHELASTIC_RUN_ID"
RESTART_COUNT_VARIABLE = "TORCHELASTIC_RESTART_COUNT"
# What the service accepts: printable ASCII without spaces, 1 to 200 characters.
ATTEMPT_PATTERN = re.compile(r"[!-~]{1,200}")


def attempt_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """``"{TORCHELASTIC_RUN_ID}/{TORCHELASTIC_RESTART_COUNT}"`` when torchrun set them (a missing
    restart count counts as 0), else None.

    torchrun's default run id without ``--standalone`` and without ``--rdzv-id`` is ``"none"``,
    the same for every launch: a later launch under the same scheduler id would be taken for an
    earlier one's attempt (or refused as stale). This warns then; give ``--rdzv-id`` (or
    ``attempt=``) a value unique to the job."""
    env = os.environ if environ is None else environ
    run_id = env.get(RUN_ID_VARIABLE)
    if not run_id:
        return None
    restart = env.get(RESTART_COUNT_VARIABLE) or "0"
    if run_id == "none":
        warnings.warn(
            f"{RUN_ID_VARIABLE} is 'none' (torchrun without --rdzv-id): the training attempt "
            f"'none/{restart}' is not unique across launches of the job; pass --rdzv-id or attempt=",
            RuntimeWarning,
            stacklevel=3,
        )
    return check_attempt(f"{run_id}/{restart}")


def check_attempt(attempt: str) -> str:
    """The attempt id, or ValueError when the service would refuse it."""
    if not isinstance(attempt, str) or not ATTEMPT_PATTERN.fullmatch(attempt):
        raise ValueError(f"attempt must be 1 to 200 printable ASCII characters without spaces, got {attempt!r}")
    return attempt


def resolve_attempt(attempt: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The explicit attempt if given, else the one torchrun's environment names, else None."""
    if attempt is not None:
        return check_attempt(attempt)
    return attempt_from_environment(environ)
