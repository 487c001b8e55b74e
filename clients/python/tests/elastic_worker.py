"""examples/train_ddp.py as one rank under torchrun, crashing on purpose: with
STEPWISE_TEST_CRASH_AT=k, rank 0 of the first attempt (TORCHELASTIC_RESTART_COUNT 0) SIGKILLs
itself just before its scheduler would post epoch k, so that torchrun restarts the workers as a
new attempt. Used by test_elastic_restart.py; not an example."""

from __future__ import annotations

import importlib.util
import os
import signal
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "train_ddp.py"


def main() -> None:
    crash_at = int(os.environ.get("STEPWISE_TEST_CRASH_AT", "-1"))
    if crash_at >= 0 and os.environ.get("RANK") == "0" and os.environ.get("TORCHELASTIC_RESTART_COUNT") == "0":
        from stepwise_client.scheduler import RemoteLRScheduler

        step = RemoteLRScheduler.step

        def crashing_step(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if not getattr(self, "_registering", False) and self.last_epoch + 1 >= crash_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return step(self, *args, **kwargs)

        RemoteLRScheduler.step = crashing_step  # type: ignore[method-assign]
    spec = importlib.util.spec_from_file_location("train_ddp", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.argv[0] = str(EXAMPLE)
    spec.loader.exec_module(module)
    module.main()


if __name__ == "__main__":
    main()
