"""Readiness says whether the database and the broker answer, within a time-out."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.integration.helpers import sign_in
from tests.migrated import migrated_sqlite


async def ready(tmp_path: Path, broker_url: str | None, **settings: Any) -> tuple[int, dict[str, Any]]:
    """What an admin sees; everyone else gets the same status without the checks."""
    url = migrated_sqlite(tmp_path / "health.db")
    async with AsyncTestClient(build_api(Settings(database_url=url, broker_url=broker_url, **settings))) as client:
        assert (await client.get("/health/live")).json() == {"status": "ok"}
        anonymous = await client.get("/health/ready")
        await sign_in(client, "root@example.com")
        with sqlite3.connect(tmp_path / "health.db") as db:
            db.execute("UPDATE users SET role = 'admin' WHERE email = 'root@example.com'")
        response = await client.get("/health/ready")
        assert anonymous.status_code == response.status_code
        assert "checks" not in anonymous.json() and "checks" in response.json()
        assert anonymous.json()["detail" if anonymous.status_code == 503 else "status"] in ("not ready", "ready")
        alias = await client.get("/health")  # for tools that expect that path: the same answer
        assert alias.status_code == response.status_code
        assert alias.json().keys() == response.json().keys()
        return response.status_code, response.json()


async def test_ready_when_the_database_and_the_in_process_broker_answer(tmp_path: Path) -> None:
    status, body = await ready(tmp_path, None)
    assert status == 200 and body["status"] == "ready"


@pytest.mark.parametrize("fixture", ["redis_url", "rabbitmq_url"])
async def test_ready_with_a_reachable_network_broker(
    tmp_path: Path, request: pytest.FixtureRequest, fixture: str
) -> None:
    status, body = await ready(tmp_path, request.getfixturevalue(fixture))
    assert status == 200, body


@pytest.mark.parametrize("broker_url", ["redis://127.0.0.1:1/0", "amqp://guest:guest@127.0.0.1:1/"])
async def test_not_ready_while_the_broker_is_unreachable_with_a_problem_naming_it(
    tmp_path: Path, broker_url: str
) -> None:
    status, body = await ready(tmp_path, broker_url)
    assert status == 503
    assert body["type"] == "/problems/not-ready" and "broker" in str(body["detail"])
    checks = body["checks"]
    assert checks["database"]["ok"] is True  # type: ignore[index]
    assert checks["broker"]["ok"] is False and checks["broker"]["error"]  # type: ignore[index]


def fake_claude(tmp_path: Path, body: str) -> str:
    script = tmp_path / "claude"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


async def test_ready_reports_the_claude_cli_with_its_version_and_the_api_reachable_each_with_a_latency(
    tmp_path: Path,
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as api:  # accepts connections: the API's host is reachable
        status, body = await ready(
            tmp_path,
            None,
            claude_path=fake_claude(tmp_path, 'echo "9.8.7 (Claude Code)"'),
            anthropic_api_key="sk-test",
            anthropic_base_url=f"http://127.0.0.1:{api.getsockname()[1]}",
        )
    assert status == 200 and body["status"] == "ready"
    cli, reached = body["checks"]["claude_cli"], body["checks"]["anthropic_api"]
    assert cli["ok"] is True and cli["version"] == "9.8.7 (Claude Code)" and cli["latency_ms"] > 0
    assert reached["ok"] is True and reached["error"] is None and reached["latency_ms"] >= 0


async def test_gateways_that_cannot_be_used_are_reported_failing_without_taking_the_api_out_of_service(
    tmp_path: Path,
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]  # closed again below: nothing listens there
    status, body = await ready(
        tmp_path,
        None,
        claude_path=fake_claude(tmp_path, "echo broken >&2; exit 3"),
        anthropic_api_key="sk-test",
        anthropic_base_url=f"http://127.0.0.1:{port}",
    )
    assert status == 200 and body["status"] == "ready"  # reported, not required
    cli, reached = body["checks"]["claude_cli"], body["checks"]["anthropic_api"]
    assert cli["ok"] is False and "exited with 3" in cli["error"] and cli["version"] is None
    assert reached["ok"] is False and reached["error"]


async def test_without_a_key_or_a_cli_no_gateway_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `claude` on it
    status, body = await ready(tmp_path, None)
    assert status == 200 and set(body["checks"]) == {"database", "broker"}
