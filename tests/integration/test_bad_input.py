"""Bad input gets a 4xx problem document saying what is wrong, and nothing is written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import sign_in, wait_for_task

TABLES = ("tasks", "task_tags", "task_executions", "execution_logs", "task_results", "queue_jobs")
UNKNOWN = "01a20000-0000-7000-8000-000000000000"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[tuple[AsyncTestClient[Any], Path]]:
    database = tmp_path / "bad-input.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    async with AsyncTestClient(build_api(Settings(database_url=url))) as client:
        await sign_in(client)
        yield client, database


def snapshot(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(database) as db:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}


def assert_problem(response: Any, status: int, mentions: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["type"]
    assert problem.get("correlation_id") == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    if mentions:
        assert mentions in response.text, response.text
    return dict(problem)


CASES = [
    ("POST", "/api/v1/tasks", {"content": b'{"title": "x", "prompt": '}, 400, None),
    ("POST", "/api/v1/tasks", {"content": b"not json at all"}, 400, None),
    ("POST", "/api/v1/tasks", {"json": {"title": 42, "prompt": "p"}}, 422, "title"),
    ("POST", "/api/v1/tasks", {"json": {"title": "t", "prompt": "p", "priority": "asap"}}, 422, "priority"),
    ("POST", "/api/v1/tasks", {"json": {"title": "t", "prompt": "p" * 100_001}}, 422, "prompt"),
    ("POST", "/api/v1/tasks", {"json": {"title": "t", "prompt": "p", "colour": "red"}}, 422, "colour"),
    ("POST", "/api/v1/tasks", {"json": {"title": "t", "prompt": "p", "tags": ["x"] * 11}}, 422, "tags"),
    (
        "POST",
        "/api/v1/tasks",
        {"json": {"title": "t", "prompt": "p", "options": {"script": [{"shout": 1}]}}},
        422,
        "options.script[0]",
    ),
    ("POST", "/api/v1/tasks", {"json": {"title": "t", "prompt": "p", "options": {"runner": "gpt-9"}}}, 422, "gpt-9"),
    (
        "POST",
        "/api/v1/tasks",
        {"json": {"title": "t", "prompt": "p", "scheduled_at": "2026-01-01T10:00:00"}},
        422,
        "scheduled_at",
    ),
    ("GET", f"/api/v1/tasks/{UNKNOWN}", {}, 404, UNKNOWN),
    ("PATCH", f"/api/v1/tasks/{UNKNOWN}", {"json": {"title": "x"}}, 404, UNKNOWN),
    ("DELETE", f"/api/v1/tasks/{UNKNOWN}", {}, 404, UNKNOWN),
    ("POST", f"/api/v1/tasks/{UNKNOWN}/cancel", {}, 404, UNKNOWN),
    ("POST", f"/api/v1/tasks/{UNKNOWN}/retry", {}, 404, UNKNOWN),
    ("GET", f"/api/v1/tasks/{UNKNOWN}/result", {}, 404, UNKNOWN),
    ("GET", "/api/v1/tasks/not-a-uuid", {}, 404, None),
    ("GET", "/api/v1/tasks?cursor=garbage", {}, 400, "cursor"),
    ("GET", "/api/v1/tasks?limit=0", {}, 400, "limit"),
    ("GET", "/api/v1/tasks?limit=101", {}, 400, "limit"),
    ("GET", "/api/v1/tasks?status=sleeping", {}, 400, "status"),
    ("GET", "/api/v1/tasks?created_after=yesterday", {}, 400, "created_after"),
    ("GET", "/api/v1/tasks?created_after=2026-01-01T00:00:00", {}, 422, "time zone"),
    ("PUT", "/api/v1/tasks", {}, 405, None),
    ("GET", "/api/v1/nowhere", {}, 404, None),
]


@pytest.mark.parametrize(("method", "path", "send", "status", "mentions"), CASES)
async def test_bad_input_is_a_problem_document_and_writes_nothing(
    api: tuple[AsyncTestClient[Any], Path],
    method: str,
    path: str,
    send: dict[str, Any],
    status: int,
    mentions: str | None,
) -> None:
    client, database = api
    seeded = await client.post("/api/v1/tasks", json={"title": "keep me", "prompt": "untouched"})
    await wait_for_task(client, seeded.json()["id"], {"succeeded"})  # type: ignore[arg-type]
    before = snapshot(database)
    headers = {"content-type": "application/json"} if "content" in send else {}
    response = await client.request(method, path, headers=headers, **send)
    assert_problem(response, status, mentions)
    assert snapshot(database) == before


async def test_an_illegal_transition_is_a_409_and_the_task_is_unchanged(api: tuple[AsyncTestClient[Any], Path]) -> None:
    client, database = api
    task = (await client.post("/api/v1/tasks", json={"title": "done soon", "prompt": "p"})).json()
    await wait_for_task(client, task["id"], {"succeeded"})  # type: ignore[arg-type]
    before = snapshot(database)
    for action in ("cancel", "retry"):
        problem = assert_problem(await client.post(f"/api/v1/tasks/{task['id']}/{action}"), 409, "succeeded")
        assert problem["type"] == "/problems/illegal-transition"
    assert_problem(await client.patch(f"/api/v1/tasks/{task['id']}", json={"title": "late"}), 409)
    assert snapshot(database) == before


async def test_a_reused_idempotency_key_with_another_body_is_a_409(api: tuple[AsyncTestClient[Any], Path]) -> None:
    client, database = api
    first = await client.post("/api/v1/tasks", json={"title": "a", "prompt": "p"}, headers={"Idempotency-Key": "k"})
    again = await client.post("/api/v1/tasks", json={"title": "a", "prompt": "p"}, headers={"Idempotency-Key": "k"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    await wait_for_task(client, first.json()["id"], {"succeeded"})  # type: ignore[arg-type]
    before = snapshot(database)
    assert_problem(
        await client.post("/api/v1/tasks", json={"title": "b", "prompt": "p"}, headers={"Idempotency-Key": "k"}),
        409,
        "Idempotency-Key",
    )
    assert snapshot(database) == before


async def test_an_oversized_body_is_refused_before_it_is_read(api: tuple[AsyncTestClient[Any], Path]) -> None:
    client, database = api
    before = snapshot(database)
    body = b'{"title": "t", "prompt": "' + b"p" * 2_000_000 + b'"}'
    response = await client.post("/api/v1/tasks", content=body, headers={"content-type": "application/json"})
    assert_problem(response, 413)
    assert snapshot(database) == before


async def test_a_body_nested_10000_deep_on_a_real_server_is_a_422_and_logs_no_traceback(tmp_path: Path) -> None:
    """On `agentry serve` (uvicorn): the anonymous login and a signed-in route, and a WebSocket message.
    The answers name no server software."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    deep = b"[" * 10_000 + b"]" * 10_000
    json_body = {"content-type": "application/json"}
    with running((["serve", "--port", str(port)], clean_env()), cwd=tmp_path, wait_for=base_url) as [service]:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            login = await client.post("/api/v1/auth/login", content=b'{"email": ' + deep + b"}", headers=json_body)
            problem = assert_problem(login, 422, "AGENTRY_MAX_JSON_DEPTH")
            assert problem["type"] == "/problems/json-too-deep"
            await sign_in(client)
            assert_problem(await client.post("/api/v1/tasks", content=deep, headers=json_body), 422, "32 levels")
            for answer in (login, await client.get("/api/v1/tasks"), await client.get("/nowhere")):
                assert "server" not in answer.headers, dict(answer.headers)
                assert answer.headers["x-content-type-options"] == "nosniff"
            token = client.headers["Authorization"].removeprefix("Bearer ")
            async with connect(f"ws://127.0.0.1:{port}/api/v1/ws?access_token={token}") as socket:
                assert json.loads(await socket.recv()) == {"type": "authenticated"}
                await socket.send(deep.decode())
                refused = json.loads(await socket.recv())
                assert (refused["type"], refused["code"]) == ("error", "bad_request"), refused
                assert "AGENTRY_MAX_JSON_DEPTH" in refused["message"]
                await socket.send(json.dumps({"type": "subscribe", "task_id": UNKNOWN}))
                assert json.loads(await socket.recv())["code"] == "not_found"  # the socket still serves
                await socket.send(" " * 1_100_000)  # over AGENTRY_MAX_REQUEST_BYTES: the server closes
                with pytest.raises(ConnectionClosed) as closed:
                    await socket.recv()
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big
        log = service.output()
    assert "Traceback" not in log and "RecursionError" not in log, log
