"""A project's knowledge graph changes heard live, on one embedded `agentry serve` (its relay): a WebSocket
client subscribed to the project receives `entity.created`, `relationship.created` and `entity.deleted`;
a webhook subscribed to `entity.created` gets one signed delivery whose data is the entity as
GET …/entities/{id} shows it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import sign_in
from tests.webhook_receiver import Receiver, receiving

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path: Any) -> Iterator[str]:
    port = free_port()
    env = clean_env(
        AGENTRY_LOG_LEVEL="WARNING",
        AGENTRY_RELAY_POLL_INTERVAL_S="0.2",
        AGENTRY_WEBHOOK_ALLOW_PRIVATE="true",
        AGENTRY_WEBHOOK_ALLOW_HTTP="true",
    )
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=f"http://127.0.0.1:{port}"):
        yield f"127.0.0.1:{port}"


async def receive(socket: ClientConnection, within: float = 30) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
    return message


async def test_graph_changes_reach_the_projects_socket_subscribers_and_its_webhooks(served: str) -> None:
    with receiving() as receiver:
        await _check(served, receiver)


async def _check(host: str, receiver: Receiver) -> None:
    async with httpx.AsyncClient(base_url=f"http://{host}", timeout=30) as ada:
        await sign_in(ada)
        project_id = str((await ada.get("/api/v1/projects")).json()["items"][0]["id"])
        entities = f"/api/v1/projects/{project_id}/entities"
        made = await ada.post(
            f"/api/v1/projects/{project_id}/webhooks", json={"url": receiver.url, "event_types": ["entity.created"]}
        )
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]
        token = ada.headers["Authorization"].removeprefix("Bearer ")
        async with connect(f"ws://{host}/api/v1/ws?access_token={token}") as socket:
            assert await receive(socket) == {"type": "authenticated"}
            await socket.send(json.dumps({"type": "subscribe", "project_id": project_id}))
            assert await receive(socket) == {"type": "subscribed", "project_id": project_id}

            a = (await ada.post(entities, json={"name": "Ada", "type": "person"})).json()
            b = (await ada.post(entities, json={"name": "Babbage", "type": "person"})).json()
            rel = await ada.post(
                f"/api/v1/projects/{project_id}/relationships",
                json={"source_id": a["id"], "target_id": b["id"], "type": "knows"},
            )
            assert rel.status_code == 201, rel.text
            assert (await ada.delete(f"{entities}/{b['id']}")).status_code == 204

            heard: list[tuple[str, str]] = []
            while len(heard) < 5:
                event = await receive(socket)
                if event["type"].startswith(("entity.", "relationship.")):
                    assert event["project_id"] == project_id
                    heard.append((event["type"], event.get("entity_id") or event["relationship_id"]))
        assert heard == [
            ("entity.created", a["id"]),
            ("entity.created", b["id"]),
            ("relationship.created", rel.json()["id"]),
            ("entity.deleted", b["id"]),
            ("relationship.deleted", rel.json()["id"]),
        ]

        await receiver.wait_for(lambda got: len(got) >= 2)
        await asyncio.sleep(0.5)
        assert [r.json["type"] for r in receiver.received] == ["entity.created", "entity.created"]
        created = [r.verified_by(secret) for r in receiver.of_type("entity.created")]
        shown = (await ada.get(f"{entities}/{a['id']}")).json()
        assert shown in [delivery["data"] for delivery in created]
