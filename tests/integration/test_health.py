"""Readiness says whether the database and the broker answer, within a time-out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.integration.helpers import sign_in


async def ready(tmp_path: Path, broker_url: str | None) -> tuple[int, dict[str, object]]:
    """What an admin sees; everyone else gets the same status without the checks."""
    url = f"sqlite:///{tmp_path}/health.db"
    upgrade(url)
    async with AsyncTestClient(build_api(Settings(database_url=url, broker_url=broker_url))) as client:
        assert (await client.get("/health/live")).json() == {"status": "ok"}
        anonymous = await client.get("/health/ready")
        await sign_in(client, "root@example.com")
        with sqlite3.connect(tmp_path / "health.db") as db:
            db.execute("UPDATE users SET role = 'admin' WHERE email = 'root@example.com'")
        response = await client.get("/health/ready")
        assert anonymous.status_code == response.status_code
        assert "checks" not in anonymous.json() and "checks" in response.json()
        assert anonymous.json()["detail" if anonymous.status_code == 503 else "status"] in ("not ready", "ready")
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
