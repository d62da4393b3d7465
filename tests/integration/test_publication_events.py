"""A publication's changes heard live, on one embedded `agentry serve` (its relay): a WebSocket client
subscribed to the project receives `publication.created`, `.submitted` and `.published` with who made
each move; another user cannot subscribe to the project."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.integration.helpers import sign_in
from tests.integration.test_document_events import receive, served, socket_url

pytestmark = pytest.mark.slow
__all__ = ["served"]  # the fixture, used by name


async def test_a_publications_changes_reach_the_projects_socket_subscribers(served: str) -> None:
    host = served
    async with (
        httpx.AsyncClient(base_url=f"http://{host}", timeout=30) as ada,
        httpx.AsyncClient(base_url=f"http://{host}", timeout=30) as eve,
    ):
        await sign_in(ada)
        await sign_in(eve, email="eve@example.com")
        project_id = str((await ada.get("/api/v1/projects")).json()["items"][0]["id"])
        pubs = f"/api/v1/projects/{project_id}/publications"

        async with connect(socket_url(host, eve)) as intruder:
            assert await receive(intruder) == {"type": "authenticated"}
            await intruder.send(json.dumps({"type": "subscribe", "project_id": project_id}))
            assert (await receive(intruder))["code"] == "not_found"

        async with connect(socket_url(host, ada)) as socket:
            assert await receive(socket) == {"type": "authenticated"}
            await socket.send(json.dumps({"type": "subscribe", "project_id": project_id}))
            assert await receive(socket) == {"type": "subscribed", "project_id": project_id}
            made = await ada.post(pubs, json={"title": "Graphs", "body": "what we know"})
            assert made.status_code == 201, made.text
            publication_id = made.json()["id"]
            for move in ("submit", "publish"):
                moved = await ada.post(f"{pubs}/{publication_id}/{move}")
                assert moved.status_code == 200, moved.text
            heard: list[dict[str, Any]] = []
            while len(heard) < 3:
                event = await receive(socket)
                if event["type"].startswith("publication."):
                    heard.append(event)
        me = made.json()["author_id"]
        assert [(e["type"], e["status"]) for e in heard] == [
            ("publication.created", "draft"),
            ("publication.submitted", "review"),
            ("publication.published", "published"),
        ]
        assert all(e["publication_id"] == publication_id and e["project_id"] == project_id for e in heard)
        assert all(e["by"] == me and e["title"] == "Graphs" for e in heard)
