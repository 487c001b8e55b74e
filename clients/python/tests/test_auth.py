"""Bearer tokens: the client sends STEPWISE_TOKEN (or token=) and raises StepwiseAuthError at once on
401 and 403; against a stub, and against the real service with authentication on."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import Service, running, service_jar
from test_client_transport import OK, Stub

from stepwise_client import StepwiseAuthError, StepwiseClient

ADMIN = "python-tests-admin-token-0123456789abcdef"
UNAUTHORIZED = {
    "type": "https://stepwise.dev/problems/unauthorized",
    "title": "Unauthorized",
    "status": 401,
    "detail": "The bearer token was revoked.",
}


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub([OK])
    yield s
    s.close()


def test_sends_the_token_of_the_environment(stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEPWISE_TOKEN", "sw_from-the-environment")
    StepwiseClient(stub.url).get_lr("s")
    StepwiseClient(stub.url, token="sw_from-the-argument").get_lr("s")
    monkeypatch.delenv("STEPWISE_TOKEN")
    StepwiseClient(stub.url).get_lr("s")
    assert [r["authorization"] for r in stub.requests] == [
        "Bearer sw_from-the-environment",
        "Bearer sw_from-the-argument",
        None,
    ]


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_raises_at_once_and_is_not_retried(status: int) -> None:
    stub = Stub([(status, {"WWW-Authenticate": 'Bearer realm="stepwise", error="invalid_token"'}, UNAUTHORIZED)])
    try:
        client = StepwiseClient(stub.url, token="sw_secret-value", retry_deadline=30)
        with pytest.raises(StepwiseAuthError) as raised:
            client.step("s", epoch=1)
        assert len(stub.requests) == 1
        assert raised.value.status == status
        assert "sw_secret-value" not in str(raised.value)
        assert ("STEPWISE_TOKEN" in str(raised.value)) == (status == 401)
    finally:
        stub.close()


@pytest.fixture(scope="module")
def auth_service() -> Iterator[Service]:
    if os.environ.get("STEPWISE_URL"):
        pytest.skip("STEPWISE_URL is set: the tests cannot start a service with authentication on")
    args = (f"--stepwise.auth.admin-token={ADMIN}",)
    with running(Service(jar=service_jar(), args=args, ready_path="/actuator/health/readiness")) as svc:
        yield svc


def mint(service: Service, scope: str, access: str) -> str:
    request = urllib.request.Request(
        service.base_url + "/api/v1/tokens",
        data=json.dumps({"name": "python tests", "scope": scope, "access": access}).encode(),
        headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        secret: str = json.load(response)["secret"]
        return secret


SPEC = {"type": "StepLR", "step_size": 2}


def test_a_job_uses_its_token_within_its_scope(auth_service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    token = mint(auth_service, "py-job-*", "write")
    monkeypatch.setenv("STEPWISE_TOKEN", token)
    with StepwiseClient(auth_service.base_url, timeout=30, retry_deadline=30) as client:
        client.register([{"lr": 0.1}], SPEC, id="py-job-1")
        assert client.step("py-job-1", epoch=1)["last_epoch"] == 1
        assert client.get_lr("py-job-1")["last_epoch"] == 1
        assert [s["id"] for s in client.list_schedulers()["items"]] == ["py-job-1"]
        with pytest.raises(StepwiseAuthError) as outside:
            client.register([{"lr": 0.1}], SPEC, id="other-job")
        assert outside.value.status == 403
    reader = StepwiseClient(auth_service.base_url, token=mint(auth_service, "py-job-*", "read"), retry_deadline=30)
    assert reader.get_lr("py-job-1")["last_epoch"] == 1
    with pytest.raises(StepwiseAuthError) as read_only:
        reader.step("py-job-1", epoch=2)
    assert read_only.value.status == 403
    monkeypatch.delenv("STEPWISE_TOKEN")
    with pytest.raises(StepwiseAuthError) as anonymous:
        StepwiseClient(auth_service.base_url, retry_deadline=30).get_lr("py-job-1")
    assert anonymous.value.status == 401
    assert "STEPWISE_TOKEN" in str(anonymous.value)
