"""The real Stepwise service for the acceptance tests.

By default the jar (env STEPWISE_JAR, else ../../target/stepwise-0.1.0-SNAPSHOT.jar, built by
`./mvnw -q -B -DskipTests package`) is started once per session on a free loopback port with
its H2 database in a temp dir. With env STEPWISE_URL the tests use that service instead (and the
test that kills and restarts the service is skipped). A missing jar fails the tests, it never
skips them.

The database is placed with `--stepwise.data-dir`, not `--spring.datasource.url`: the service's
own H2 URL carries WRITE_DELAY=0, without which H2 acknowledges steps it has not written yet
and a SIGKILL loses them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Callable

import pytest

from helpers import free_port
from stepwise_client import StepwiseClient

DEFAULT_JAR = Path(__file__).resolve().parents[3] / "target" / "stepwise-0.1.0-SNAPSHOT.jar"
STARTUP_TIMEOUT = 180.0
SERVICE_ENV_OVERRIDES = {
    "STEPWISE_DATABASE_URL",
    "STEPWISE_DATABASE_USERNAME",
    "STEPWISE_DATABASE_PASSWORD",
    "SPRING_PROFILES_ACTIVE",
    "STEPWISE_AUTH_ADMIN_TOKEN",
    "STEPWISE_AUTH_METRICS_TOKEN",
    "STEPWISE_AUTH_ENABLED",
}


class Service:
    """A Stepwise process with a fixed port and database, so a test can kill and restart it."""

    def __init__(
        self, jar: Path | None = None, url: str | None = None, args: Sequence[str] = (), ready_path: str | None = None
    ) -> None:
        self.jar: Path | None = None
        self.args = list(args)  # extra service arguments, e.g. --stepwise.rate-limit.burst=5
        self.ready_path = ready_path or "/api/v1/schedulers?size=1"
        self.process: subprocess.Popen | None = None
        if url:
            self.base_url = url.rstrip("/")
            return
        assert jar is not None
        self.workdir = Path(tempfile.mkdtemp(prefix="stepwise-tests-"))
        # A copy, so that a rebuild during the session cannot swap the binary under the restart test.
        self.jar = Path(shutil.copy(jar, self.workdir / jar.name))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"

    @property
    def restartable(self) -> bool:
        return self.jar is not None

    def start(self) -> None:
        java = shutil.which("java")
        if java is None:
            pytest.fail("`java` is not on PATH; the tests need it to start the service", pytrace=False)
        # Drop database settings the environment may carry (as .ci/run does): H2 in data-dir.
        env = {k: v for k, v in os.environ.items() if k not in SERVICE_ENV_OVERRIDES}
        log = open(self.workdir / "service.log", "ab")
        self.process = subprocess.Popen(
            [
                java,
                "-jar",
                str(self.jar),
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                f"--stepwise.data-dir={self.workdir / 'data'}",
                *self.args,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                pytest.fail(f"the service exited with {self.process.returncode}:\n{self.log_tail()}", pytrace=False)
            try:
                with urllib.request.urlopen(self.base_url + self.ready_path, timeout=5):
                    return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.25)
        pytest.fail(
            f"the service did not answer GET {self.ready_path} within {STARTUP_TIMEOUT:.0f}s:\n{self.log_tail()}",
            pytrace=False,
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 60) -> str:
        if self.jar is None:
            return ""
        text = (self.workdir / "service.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def service_jar() -> Path:
    """The jar the tests start (STEPWISE_JAR, else the build's); a missing one fails the tests."""
    jar = Path(os.environ.get("STEPWISE_JAR", DEFAULT_JAR))
    if not jar.is_file():
        pytest.fail(
            f"service jar {jar} not found: build it with `cd {DEFAULT_JAR.parents[1]} && "
            "./mvnw -q -B -DskipTests package`, or set STEPWISE_JAR to a jar or "
            "STEPWISE_URL to a running service",
            pytrace=False,
        )
    return jar


@contextlib.contextmanager
def running(svc: Service) -> Iterator[Service]:
    """Starts `svc`, yields it once it is ready, then stops it and removes its data."""
    svc.start()
    try:
        svc.wait_ready()
        yield svc
    finally:
        svc.stop()
        shutil.rmtree(svc.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def service() -> Iterator[Service]:
    url = os.environ.get("STEPWISE_URL")
    if url:
        yield Service(url=url)
        return
    with running(Service(jar=service_jar())) as svc:
        yield svc


@pytest.fixture
def client(service: Service) -> Iterator[StepwiseClient]:
    with StepwiseClient(service.base_url, timeout=30, retry_deadline=60) as c:
        yield c


@pytest.fixture(scope="session")
def spare_service(service: Service) -> Iterator[Service]:
    """A second service process on a fresh data dir: another deployment, for checkpoint moves."""
    if not service.restartable:
        pytest.skip("STEPWISE_URL is set: the tests cannot start a second service")
    assert service.jar is not None
    with running(Service(jar=service.jar)) as svc:
        yield svc


@pytest.fixture
def new_id(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Unique scheduler ids, so tests never collide on a long-lived STEPWISE_URL service."""
    used: list[str] = []

    def make(label: str = "") -> str:
        base = "".join(c if c.isalnum() else "-" for c in (label or request.node.name))[:60]
        used.append(f"{base.strip('-')}-{uuid.uuid4().hex[:12]}")
        return used[-1]

    return make
