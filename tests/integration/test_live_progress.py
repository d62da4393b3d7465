"""Live progress on the real stack: a WebSocket client on the API process receives the log a worker
process writes, through Redis, in order and without gaps; subscriptions are held to who may read what."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.integration.conftest import clean_env, free_port, running, serving_with_worker
from tests.integration.helpers import TERMINAL, sign_in, submit

pytestmark = pytest.mark.slow
STEPS = 300  # two lines each (tool_use, tool_result)


def many_lines() -> list[dict[str, Any]]:
    script: list[dict[str, Any]] = []
    for i in range(STEPS):
        script.append({"tool": "Read", "input": {"file": f"f{i}.py"}, "output": f"content {i}"})
        if i % 50 == 49:
            script.append({"sleep": 0.3})  # a pause: the log goes out in several flushes
    return script


async def receive(socket: ClientConnection, within: float = 30) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
    return message


async def test_a_websocket_client_on_the_api_receives_a_worker_processes_log_in_order_without_gaps(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    with serving_with_worker(production_env, tmp_path, threads=2) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            token = client.headers["Authorization"].removeprefix("Bearer ")
            soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
            body = {"title": "Many lines", "prompt": "p", "scheduled_at": soon, "options": {"script": many_lines()}}
            task = await submit(client, body, key="live-1")

            events: list[dict[str, Any]] = []
            async with connect(f"ws://127.0.0.1:{stack.port}/api/v1/ws?access_token={token}") as socket:
                assert await receive(socket) == {"type": "authenticated"}
                await socket.send(json.dumps({"type": "subscribe", "task_id": task["id"]}))
                assert await receive(socket) == {"type": "subscribed", "task_id": task["id"]}
                while True:
                    event = await receive(socket)
                    events.append(event)
                    if event["type"] == "task.status_changed" and event["status"] in TERMINAL:
                        break

            stored: list[dict[str, Any]] = []
            after = 0
            while True:
                page = (
                    await client.get(f"/api/v1/tasks/{task['id']}/logs", params={"after": after, "limit": 1000})
                ).json()
                stored += page["items"]
                if not page["items"]:
                    break
                after = page["next_after"]

    assert {e["type"] for e in events} >= {"task.status_changed", "execution.log", "task.result"}
    assert all(e["task_id"] == task["id"] for e in events)
    lines = [line for e in events if e["type"] == "execution.log" for line in e["lines"]]
    assert [line["sequence"] for line in lines] == list(range(1, len(stored) + 1)), "in order, without gaps"
    assert len(stored) > 2 * STEPS
    assert [(line["kind"], line["message"]) for line in lines] == [(s["kind"], s["message"]) for s in stored]
    assert sum(e["type"] == "execution.log" for e in events) > 1, "the log arrived in several batches"
    statuses = [e["status"] for e in events if e["type"] == "task.status_changed"]
    # The relay may hand out the submission's own `pending` after the subscription began (a loaded machine).
    assert statuses in (["queued", "running", "succeeded"], ["pending", "queued", "running", "succeeded"])
    [result] = [e for e in events if e["type"] == "task.result"]
    assert result["status"] == "succeeded" and result["execution"] == 1


async def test_the_websocket_refuses_tasks_and_projects_the_caller_may_not_read_and_bad_credentials(
    tmp_path: Path,
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = clean_env(AGENTRY_LOG_LEVEL="WARNING")
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url):
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=30) as ada,
            httpx.AsyncClient(base_url=base_url, timeout=30) as eve,
        ):
            await sign_in(ada)
            await sign_in(eve, email="eve@example.com")
            later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
            adas_task = await submit(ada, {"title": "Ada's", "prompt": "p", "scheduled_at": later}, key="a")
            eves_task = await submit(eve, {"title": "Eve's", "prompt": "p", "scheduled_at": later}, key="e")
            adas_project = adas_task["project_id"]

            async with connect(f"ws://127.0.0.1:{port}/api/v1/ws") as socket:
                token = eve.headers["Authorization"].removeprefix("Bearer ")
                await socket.send(json.dumps({"type": "auth", "token": token}))
                assert await receive(socket) == {"type": "authenticated"}
                for topic, value in (("task_id", adas_task["id"]), ("project_id", adas_project)):
                    await socket.send(json.dumps({"type": "subscribe", topic: value}))
                    refused = await receive(socket)
                    assert (refused["type"], refused["code"]) == ("error", "not_found"), refused
                await socket.send(json.dumps({"type": "subscribe", "task_id": eves_task["id"]}))
                assert await receive(socket) == {"type": "subscribed", "task_id": eves_task["id"]}

                await ada.post(f"/api/v1/tasks/{adas_task['id']}/cancel")  # Eve hears nothing of it
                await eve.post(f"/api/v1/tasks/{eves_task['id']}/cancel")
                heard = [await receive(socket)]  # (her task's `pending` may come first: it is delivered after
                while heard[-1]["status"] != "cancelled":  # its commit, perhaps after she subscribed)
                    heard.append(await receive(socket))
                assert {event["task_id"] for event in heard} == {eves_task["id"]}

            for url, first in (
                (f"ws://127.0.0.1:{port}/api/v1/ws?access_token=not-a-token", None),
                (f"ws://127.0.0.1:{port}/api/v1/ws", {"type": "subscribe", "task_id": eves_task["id"]}),
            ):
                async with connect(url) as socket:
                    if first is not None:
                        await socket.send(json.dumps(first))
                    with pytest.raises(ConnectionClosed) as closed:
                        await receive(socket)
                    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_the_websocket_rechecks_its_token_and_subscriptions_and_takes_a_fresh_token(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = clean_env(AGENTRY_LOG_LEVEL="WARNING", AGENTRY_LIVE_RECHECK_S="0.2")
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url):
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=30) as ada,
            httpx.AsyncClient(base_url=base_url, timeout=30) as eve,
        ):
            await sign_in(ada)
            await sign_in(eve, email="eve@example.com")
            shared = (await ada.post("/api/v1/projects", json={"name": "Shared", "slug": "shared"})).json()
            invited = await ada.post(
                f"/api/v1/projects/{shared['id']}/invitations", json={"email": "eve@example.com", "role": "viewer"}
            )
            assert invited.status_code == 202, invited.text
            added = await eve.post(f"/api/v1/invitations/{invited.json()['id']}/accept")
            assert added.status_code == 200, added.text
            eve_token = eve.headers["Authorization"].removeprefix("Bearer ")

            async with connect(f"ws://127.0.0.1:{port}/api/v1/ws?access_token={eve_token}") as socket:
                assert await receive(socket) == {"type": "authenticated"}
                await socket.send(json.dumps({"type": "subscribe", "project_id": shared["id"]}))
                assert await receive(socket) == {"type": "subscribed", "project_id": shared["id"]}
                eves = await eve.get("/api/v1/auth/me")
                assert (await ada.delete(f"/api/v1/projects/{shared['id']}/members/{eves.json()['id']}")).is_success
                dropped = await receive(socket, within=5)
                assert (dropped["type"], dropped["project_id"]) == ("unsubscribed", shared["id"]), dropped

                await sign_in(eve, email="eve@example.com")  # a second session: a fresh token
                fresh = eve.headers["Authorization"].removeprefix("Bearer ")
                await socket.send(json.dumps({"type": "auth", "token": fresh}))
                assert await receive(socket) == {"type": "authenticated"}
                adas = ada.headers["Authorization"].removeprefix("Bearer ")
                await socket.send(json.dumps({"type": "auth", "token": adas}))
                assert (await receive(socket))["code"] == "bad_request", "a socket keeps its user"

                eve.headers["Authorization"] = f"Bearer {eve_token}"
                assert (await eve.post("/api/v1/auth/logout")).is_success  # the first session: still served
                await asyncio.sleep(1)
                await socket.send(json.dumps({"type": "subscribe", "task_id": shared["id"]}))
                assert (await receive(socket))["code"] == "not_found", "the socket lives on with the fresh token"

                eve.headers["Authorization"] = f"Bearer {fresh}"
                assert (await eve.post("/api/v1/auth/logout")).is_success
                with pytest.raises(ConnectionClosed) as closed:
                    await receive(socket, within=5)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
