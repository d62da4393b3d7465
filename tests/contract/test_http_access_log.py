"""One access-log line per request, refusals made while routing too: method, route template (never the
ids in the path), status, duration, user id, and the request's correlation id, which the response's
X-Request-ID returns."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from agentry.entrypoints.logs import JsonFormatter, _ContextFilter
from tests.contract.http_app import build_embedded_api
from tests.contract.http_client import bearer, new_task, sign_up


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """The access logger's lines, as the process's handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_ContextFilter())
    logger = logging.getLogger("agentry.access")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_each_request_writes_one_access_line_with_its_route_template_user_and_correlation_id(
    tmp_path: Path, access_log: io.StringIO
) -> None:
    async with AsyncTestClient(build_embedded_api(tmp_path)) as client:
        headers = bearer(await sign_up(client, "ada@example.com"))
        task = (await client.post("/api/v1/tasks", json=new_task(), headers=headers)).json()
        access_log.truncate(0)
        access_log.seek(0)
        answer = await client.get(f"/api/v1/tasks/{task['id']}", headers=headers | {"X-Request-ID": "req-abc"})
        anonymous = await client.get("/health/live")
        unknown = await client.get(f"/api/v1/nowhere/{task['id']}")
    assert answer.status_code == 200 and answer.headers["x-request-id"] == "req-abc"
    mine, health, unrouted = lines(access_log)
    assert (mine["logger"], mine["level"], mine["method"], mine["status"]) == ("agentry.access", "INFO", "GET", 200)
    assert mine["route"] == "/api/v1/tasks/{task_id}"  # the template: no id
    assert task["id"] not in mine["message"]
    assert mine["user_id"] == task["owner_id"] and mine["duration_ms"] > 0
    assert mine["correlation_id"] == "req-abc"
    assert health["route"] == "/health/live" and health["user_id"] is None
    assert health["correlation_id"] == anonymous.headers["x-request-id"]
    assert (unrouted["route"], unrouted["status"]) == ("unmatched", 404) and task["id"] not in unrouted["message"]
    assert unrouted["correlation_id"] == unknown.headers["x-request-id"] == unknown.json()["correlation_id"]
