"""GraphQL's reports, chat, documents and task edits over the real stack (SQLite, in-process worker): each
field answers what its REST endpoint answers, another user's id is not_found, and a viewer's write is
forbidden, with REST's codes."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.integration.helpers import sign_in, wait_for_task
from tests.integration.test_graphql import QUIET_RELAY, Caller, codes, gql
from tests.migrated import migrated_sqlite

LATER = (datetime.now(UTC) + timedelta(days=1)).isoformat()


@pytest.fixture
def app(tmp_path: Path) -> Litestar:
    url = migrated_sqlite(tmp_path / "graphql.db")
    return build_api(Settings(database_url=url, user_max_waiting=None, rate_limiting=False, **QUIET_RELAY))


async def people(client: Any) -> tuple[Caller, Caller, str, str]:
    """Ada (who owns the project "shared") and Eve (its viewer), with Ada's personal project's id."""
    await sign_in(client, "eve@example.com")
    eve = Caller(client, client.headers.pop("Authorization"))
    await sign_in(client)
    ada = Caller(client, client.headers["Authorization"])
    shared = (await client.post("/api/v1/projects", json={"name": "Shared", "slug": "shared"})).json()["id"]
    invited = await client.post(
        f"/api/v1/projects/{shared}/invitations", json={"email": "eve@example.com", "role": "viewer"}
    )
    accepted = await eve.post(f"/api/v1/invitations/{invited.json()['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    personal = (await gql(ada, "{ projects { items { id personal } } }"))["data"]["projects"]["items"]
    [own] = [p["id"] for p in personal if p["personal"]]
    return ada, eve, shared, own


async def test_reports_answer_what_rest_answers_and_only_over_what_the_caller_may_read(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        ada, eve, shared, own = await people(client)
        ran = (await client.post("/api/v1/tasks", json={"title": "t", "prompt": "p"})).json()
        await wait_for_task(client, ran["id"], {"succeeded"})
        waiting = {"title": "w", "prompt": "p", "scheduled_at": LATER, "project_id": shared}
        assert (await client.post("/api/v1/tasks", json=waiting)).status_code == 201

        stats = "query($p: UUID) { taskStats(projectId: $p) { total successRate counts { status count } " + (
            "backlog { projectId waiting pending queued oldestWaitS project { slug } } } }"
        )
        mine = (await gql(ada, stats))["data"]["taskStats"]
        rest = (await client.get("/api/v1/tasks/stats")).json()
        assert mine["total"] == rest["total"] == 2 and mine["successRate"] == rest["success_rate"]
        assert {c["status"].lower(): c["count"] for c in mine["counts"]} == rest["counts"]
        [backlog] = [b for b in mine["backlog"] if b["waiting"]]
        assert backlog["project"] == {"slug": "shared"} and backlog["pending"] == 1
        assert codes(await gql(eve, stats, p=own)) == ["not_found"]
        assert (await gql(eve, stats))["data"]["taskStats"]["total"] == 1  # the shared project's task only

        usage = (
            "query($g: UsageGroup!, $from: Date, $to: Date) { usageReport(groupBy: $g, from: $from, to: $to) "
            "{ groupBy from to groups { key figures { executions succeeded } } total { executions costUsd } } }"
        )
        report = (await gql(ada, usage, g="PROJECT"))["data"]["usageReport"]
        rest = (await client.get("/api/v1/reports/usage", params={"group_by": "project"})).json()
        assert report["from"] == rest["from"] and report["to"] == rest["to"]
        assert [(g["key"], g["figures"]["executions"]) for g in report["groups"]] == [(own, 1)]
        assert report["total"]["executions"] == rest["total"]["executions"] == 1
        assert (await gql(eve, usage, g="PROJECT"))["data"]["usageReport"]["total"]["executions"] == 0
        backwards = await gql(ada, usage, g="DAY", **{"from": "2026-02-01", "to": "2026-01-01"})
        assert codes(backwards) == ["invalid_value"]


async def test_update_and_delete_task_as_rest_does(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        ada, eve, shared, _ = await people(client)
        body = {"title": "old", "prompt": "p", "scheduled_at": LATER, "project_id": shared}
        task_id = (await client.post("/api/v1/tasks", json=body)).json()["id"]
        update = "mutation($id: UUID!, $in: UpdateTaskInput!) { updateTask(id: $id, input: $in) { title scheduledAt } }"
        updated = await gql(ada, update, id=task_id, **{"in": {"title": "new"}})
        assert updated["data"]["updateTask"]["title"] == "new" and updated["data"]["updateTask"]["scheduledAt"]
        now = await gql(ada, update, id=task_id, **{"in": {"scheduledAt": None}})  # null: as soon as possible
        assert now["data"]["updateTask"]["scheduledAt"] is None
        assert codes(await gql(ada, update, id=task_id, **{"in": {"title": ""}})) == ["invalid_request"]
        assert codes(await gql(eve, update, id=task_id, **{"in": {"title": "x"}})) == ["forbidden"]
        delete = "mutation($id: UUID!) { deleteTask(id: $id) }"
        assert codes(await gql(eve, delete, id=task_id)) == ["forbidden"]
        own = (await client.post("/api/v1/tasks", json={"title": "mine", "prompt": "p", "scheduled_at": LATER})).json()
        assert codes(await gql(eve, delete, id=own["id"])) == ["not_found"]
        assert codes(await gql(eve, update, id=own["id"], **{"in": {"title": "x"}})) == ["not_found"]
        await wait_for_task(client, task_id, {"succeeded"})
        assert (await gql(ada, delete, id=task_id))["data"]["deleteTask"] == task_id
        assert (await client.get(f"/api/v1/tasks/{task_id}")).status_code == 404


async def test_chat_through_graphql_as_through_rest(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        ada, eve, shared, _ = await people(client)
        send = (
            "mutation($in: SendChatMessageInput!) "
            "{ sendChatMessage(input: $in) { sessionId turnId turn status taskId } }"
        )
        sent = (await gql(ada, send, **{"in": {"message": "hello there"}}))["data"]["sendChatMessage"]
        session_id = sent["sessionId"]
        assert sent["turn"] == 1 and sent["taskId"]
        await wait_for_task(client, sent["taskId"], {"succeeded"})
        await settled(client, session_id)

        page = (
            "query($a: Boolean!) "
            "{ chatSessions(archived: $a) { items { id title turns project { slug } } nextCursor } }"
        )
        listed = (await gql(ada, page, a=False))["data"]["chatSessions"]
        assert [s["id"] for s in listed["items"]] == [session_id] and listed["nextCursor"] is None
        assert listed["items"][0]["project"]["slug"] and listed["items"][0]["turns"] == 1
        history = (
            "query($id: UUID!) { chatSession(id: $id) { title history(first: 10) { nextAfter items { turn role text "
            "status usage { inputTokens costUsd } toolCalls { name result isError } } } } }"
        )
        got = (await gql(ada, history, id=session_id))["data"]["chatSession"]
        rest = (await client.get(f"/api/v1/agent/chat/history/{session_id}")).json()
        assert [(m["role"], m["text"]) for m in got["history"]["items"]] == [
            (m["role"], m["text"]) for m in rest["items"]
        ]
        assert [m["role"] for m in got["history"]["items"]] == ["user", "assistant"]
        assert got["history"]["items"][1]["usage"] is not None

        # Another user's session does not exist for them; their writes to it are not_found.
        assert codes(await gql(eve, history, id=session_id)) == ["not_found"]
        assert (await gql(eve, page, a=False))["data"]["chatSessions"]["items"] == []
        rename = 'mutation($id: UUID!) { renameChatSession(id: $id, title: "Mine") { title } }'
        for mutation in (
            rename,
            "mutation($id: UUID!) { archiveChatSession(id: $id) { archived } }",
            "mutation($id: UUID!) { deleteChatSession(id: $id) }",
            "mutation($id: UUID!) { cancelChatTurn(sessionId: $id) { turn } }",
        ):
            assert codes(await gql(eve, mutation, id=session_id)) == ["not_found"], mutation
        assert codes(await gql(eve, send, **{"in": {"message": "hi", "sessionId": session_id}})) == ["not_found"]
        # A viewer may read the shared project but not start a chat in it, as over REST.
        viewer = await gql(eve, send, **{"in": {"message": "hi", "projectId": shared}})
        rest_viewer = await eve.post("/api/v1/agent/chat", json={"message": "hi", "project_id": shared})
        assert codes(viewer) == ["forbidden"] and rest_viewer.status_code == 403

        assert (await gql(ada, rename, id=session_id))["data"]["renameChatSession"] == {"title": "Mine"}
        assert codes(
            await gql(ada, 'mutation($id: UUID!) { renameChatSession(id: $id, title: "") { id } }', id=session_id)
        ) == ["invalid_request"]
        nothing_running = await gql(
            ada, "mutation($id: UUID!) { cancelChatTurn(sessionId: $id) { turn } }", id=session_id
        )
        assert codes(nothing_running) == ["not_found"]
        archived = await gql(ada, "mutation($id: UUID!) { archiveChatSession(id: $id) { archived } }", id=session_id)
        assert archived["data"]["archiveChatSession"] == {"archived": True}
        assert [s["id"] for s in (await gql(ada, page, a=True))["data"]["chatSessions"]["items"]] == [session_id]
        deleted = await gql(ada, "mutation($id: UUID!) { deleteChatSession(id: $id) }", id=session_id)
        assert deleted["data"]["deleteChatSession"] == session_id
        assert codes(await gql(ada, history, id=session_id)) == ["not_found"]


async def settled(client: Any, session_id: str, within: float = 30) -> None:
    """Wait until the session's agent has finished answering (the relay ends the turn after its task)."""
    until = time.monotonic() + within
    while True:
        page = (await client.get("/api/v1/agent/chat/sessions")).json()
        if not any(s["id"] == session_id and s["answering"] for s in page["items"]):
            return
        assert time.monotonic() < until, "the turn did not finish"
        await asyncio.sleep(0.05)


async def test_documents_and_search_through_graphql_as_through_rest(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path / "documents.db")
    # The relay polls, so the worker leases the ingestion job.
    app = build_api(Settings(database_url=url, rate_limiting=False, relay_poll_interval_s=0.2))
    async with AsyncTestClient(app) as client:
        ada, eve, shared, own = await people(client)
        text = "The Analytical Engine weaves algebraic patterns.\n\nJust as the Jacquard loom weaves flowers."
        made = await client.post("/api/v1/documents", json={"title": "Lovelace", "text": text})
        assert made.status_code == 202, made.text
        document_id = made.json()["document"]["id"]
        until = time.monotonic() + 60
        while (await client.get(f"/api/v1/documents/{document_id}")).json()["status"] != "ready":
            assert time.monotonic() < until, "the document was not ingested"
            await asyncio.sleep(0.1)
        listing = (
            "query($p: UUID, $s: DocumentStatus) { documents(projectId: $p, status: $s, first: 10) "
            "{ items { id title status project { slug } } nextCursor } }"
        )
        listed = (await gql(ada, listing, p=own))["data"]["documents"]
        assert [d["id"] for d in listed["items"]] == [document_id] and listed["nextCursor"] is None
        assert listed["items"][0]["project"]["slug"]
        assert (await gql(ada, listing, p=own, s="FAILED"))["data"]["documents"]["items"] == []
        assert listed["items"][0]["status"] == "READY"
        one = "query($id: UUID!) { document(id: $id) { id title chunks { ordinal text } job { id status } } }"
        got = (await gql(ada, one, id=document_id))["data"]["document"]
        rest = (await client.get(f"/api/v1/documents/{document_id}")).json()
        assert got["title"] == "Lovelace" and [c["text"] for c in got["chunks"]] == [c["text"] for c in rest["chunks"]]
        assert got["chunks"] and got["job"] == {"id": rest["job"]["id"], "status": "succeeded"}

        assert codes(await gql(eve, one, id=document_id)) == ["not_found"]
        assert codes(await gql(eve, listing, p=own)) == ["not_found"]
        assert (await gql(eve, listing))["data"]["documents"]["items"] == []
        search = "query($p: UUID!, $q: String!) { search(projectId: $p, q: $q, limit: 5) { documentId title snippet } }"
        assert codes(await gql(eve, search, p=own, q="engine")) == ["not_found"]
        assert codes(await gql(ada, search, p=own, q="   ")) == ["invalid_value"]
        hits = (await gql(ada, search, p=shared, q="engine"))["data"]["search"]
        rest_hits = (await client.get(f"/api/v1/projects/{shared}/search", params={"q": "engine", "limit": 5})).json()
        assert hits == [] and rest_hits["hits"] == []  # nothing in the shared project
        hits = (await gql(ada, search, p=own, q="Analytical Engine"))["data"]["search"]
        rest_hits = await client.get(f"/api/v1/projects/{own}/search", params={"q": "Analytical Engine", "limit": 5})
        assert hits and hits[0]["documentId"] == document_id
        assert [h["snippet"] for h in hits] == [h["snippet"] for h in rest_hits.json()["hits"]]
