"""A document's ingestion outcome heard live, on one embedded `agentry serve` (its in-process worker
and relay): a WebSocket client subscribed to the project receives `document.ingested` and
`document.failed`; another user cannot subscribe to it; a webhook subscribed to both event types gets
one signed delivery of each (verified with `standardwebhooks`), whose data is the document as
GET /api/v1/documents/{id} shows it, without its chunks."""

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
TEXT = "The Analytical Engine weaves algebraic patterns.\n\nJust as the Jacquard loom weaves flowers and leaves."
DOCUMENT_EVENTS = ("document.ingested", "document.failed")


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


def socket_url(host: str, client: httpx.AsyncClient) -> str:
    return f"ws://{host}/api/v1/ws?access_token={client.headers['Authorization'].removeprefix('Bearer ')}"


async def test_a_documents_outcome_reaches_the_projects_socket_subscribers_and_its_webhooks(served: str) -> None:
    with receiving() as receiver:
        await _check(served, receiver)


async def _check(host: str, receiver: Receiver) -> None:
    async with (
        httpx.AsyncClient(base_url=f"http://{host}", timeout=30) as ada,
        httpx.AsyncClient(base_url=f"http://{host}", timeout=30) as eve,
    ):
        await sign_in(ada)
        await sign_in(eve, email="eve@example.com")
        project_id = str((await ada.get("/api/v1/projects")).json()["items"][0]["id"])
        made = await ada.post(
            f"/api/v1/projects/{project_id}/webhooks", json={"url": receiver.url, "event_types": list(DOCUMENT_EVENTS)}
        )
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]

        async with connect(socket_url(host, eve)) as intruder:
            assert await receive(intruder) == {"type": "authenticated"}
            await intruder.send(json.dumps({"type": "subscribe", "project_id": project_id}))
            assert (await receive(intruder))["code"] == "not_found"

        async with connect(socket_url(host, ada)) as socket:
            assert await receive(socket) == {"type": "authenticated"}
            await socket.send(json.dumps({"type": "subscribe", "project_id": project_id}))
            assert await receive(socket) == {"type": "subscribed", "project_id": project_id}

            good = await ada.post("/api/v1/documents", json={"title": "Lovelace", "text": TEXT})
            assert good.status_code == 202, good.text
            files = {"file": ("broken.pdf", b"%PDF-1.4\nnot a pdf at all", "application/pdf")}
            bad = await ada.post("/api/v1/documents", files=files)
            assert bad.status_code == 202, bad.text
            good_id, bad_id = good.json()["document"]["id"], bad.json()["document"]["id"]

            heard: dict[str, dict[str, Any]] = {}
            while len(heard) < 2:
                event = await receive(socket)
                if event["type"] in DOCUMENT_EVENTS:
                    heard[event["document_id"]] = event
        assert heard[good_id]["type"] == "document.ingested" and heard[good_id]["status"] == "ready"
        assert heard[good_id]["chunk_count"] >= 1 and heard[good_id]["project_id"] == project_id
        assert heard[bad_id]["type"] == "document.failed" and "PDF" in heard[bad_id]["error"]

        await receiver.wait_for(lambda got: len(got) >= 2)
        await asyncio.sleep(0.5)  # a second delivery of either would have arrived by now
        assert sorted(r.json["type"] for r in receiver.received) == sorted(DOCUMENT_EVENTS)
        ingested = receiver.of_type("document.ingested")[0].verified_by(secret)
        shown = (await ada.get(f"/api/v1/documents/{good_id}")).json()
        assert ingested["data"] == {k: v for k, v in shown.items() if k != "chunks"}
        failed = receiver.of_type("document.failed")[0].verified_by(secret)
        assert failed["data"]["id"] == bad_id and failed["data"]["status"] == "failed"
