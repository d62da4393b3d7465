"""The GraphQL API over the real stack (SQLite, in-process worker; and the production profile's processes
for subscriptions): the same use cases, principal, authorization and error codes as REST, and a page of
tasks in a constant number of SQL statements."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.app_loop import from_app
from tests.integration.conftest import free_port, serving_with_worker
from tests.integration.helpers import TERMINAL, sign_in, wait_for_task
from tests.integration.test_read_only_requests import quiet
from tests.migrated import migrated_sqlite

QUIET_RELAY = {"relay_poll_interval_s": 3600, "heartbeat_interval_s": 60, "worker_lost_after_s": 120}
TASK = (
    "query($id: UUID!) { task(id: $id) { id status project { slug } latestExecution { number status } "
    "executions { items { number status } } logs(first: 2) { executionNumber items { sequence } } "
    "result { summary } } }"
)


@pytest.fixture
def app(tmp_path: Path) -> Litestar:
    url = migrated_sqlite(tmp_path / "graphql.db")
    return build_api(Settings(database_url=url, user_max_waiting=None, rate_limiting=False, **QUIET_RELAY))


async def gql(client: Any, query: str, headers: dict[str, str] | None = None, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or ()]


async def test_queries_and_mutations_call_the_use_cases_as_the_caller(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        assert codes(await gql(client, "{ me { id } }")) == ["unauthenticated"]
        await sign_in(client)
        me = await gql(client, "{ me { email displayName } projects { items { slug yourRole members { email } } } }")
        assert me["data"]["me"] == {"email": "ada@example.com", "displayName": "Ada"}
        [personal] = me["data"]["projects"]["items"]
        assert personal["yourRole"] == "OWNER" and personal["members"] == [{"email": "ada@example.com"}]

        submit = (
            'mutation { submitTask(input: {title: "t", prompt: "p"}, idempotencyKey: "k1") { replayed task { id } } }'
        )
        first, again = await gql(client, submit), await gql(client, submit)
        task_id = first["data"]["submitTask"]["task"]["id"]
        assert not first["data"]["submitTask"]["replayed"]
        assert again["data"]["submitTask"] == {"replayed": True, "task": {"id": task_id}}
        await wait_for_task(client, task_id, {"succeeded"})
        task = (await gql(client, TASK, id=task_id))["data"]["task"]
        assert task["status"] == "SUCCEEDED" and task["project"]["slug"] == personal["slug"]
        assert task["latestExecution"] == {"number": 1, "status": "SUCCEEDED"}
        assert task["executions"]["items"] == [{"number": 1, "status": "SUCCEEDED"}]
        assert [line["sequence"] for line in task["logs"]["items"]] == [1, 2]
        assert task["result"]["summary"] == (await client.get(f"/api/v1/tasks/{task_id}/result")).json()["summary"]

        # The REST list's cursor pages the connection.
        page = await gql(
            client, "{ tasks(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"
        )
        assert page["data"]["tasks"]["edges"][0]["node"]["id"] == task_id
        assert page["data"]["tasks"]["pageInfo"]["hasNextPage"] is False
        # Errors carry REST's codes and statuses.
        cancel = await gql(client, "mutation($id: UUID!) { cancelTask(id: $id) { id } }", id=task_id)
        assert cancel["errors"][0]["extensions"] == {
            "code": "illegal_transition",
            "status": 409,
            "type": "/problems/illegal-transition",
        }
        bad = await gql(client, 'mutation { submitTask(input: {title: "", prompt: "p"}) { task { id } } }')
        assert bad["errors"][0]["extensions"]["status"] == 422
        retry = await gql(client, "mutation($id: UUID!) { retryTask(id: $id) { id } }", id=task_id)
        assert codes(retry) == ["illegal_transition"]
        follow = await gql(
            client,
            'mutation($id: UUID!) { followUpTask(id: $id, input: {prompt: "more"}) { task { followsTaskId } } }',
            id=task_id,
        )
        assert follow["data"]["followUpTask"]["task"]["followsTaskId"] == task_id

        created = await gql(client, 'mutation { createProject(input: {name: "Team", slug: "team"}) { id yourRole } }')
        project_id = created["data"]["createProject"]["id"]
        assert created["data"]["createProject"]["yourRole"] == "OWNER"
        assert codes(await gql(client, 'mutation { createProject(input: {name: "T", slug: "team"}) { id } }')) == [
            "slug_taken"
        ]
        invited = await gql(
            client,
            'mutation($p: UUID!) { addMember(projectId: $p, email: "bob@example.com", role: MEMBER) { email role } }',
            p=project_id,
        )
        assert invited["data"]["addMember"] == {"email": "bob@example.com", "role": "MEMBER"}
        # GET takes queries, not mutations.
        got = await client.get("/graphql", params={"query": "{ me { email } }"})
        assert got.json() == {"data": {"me": {"email": "ada@example.com"}}}
        over_get = await client.get("/graphql", params={"query": submit})
        assert over_get.status_code == 400 and over_get.headers["content-type"] == "application/problem+json"
        not_json = await client.post("/graphql", content=b"{", headers={"content-type": "application/json"})
        assert not_json.status_code == 400 and not_json.json()["type"] == "/problems/invalid-graphql-request"


class Caller:
    """One signed-in user on a shared client: `gql(caller, ...)` sends their token."""

    def __init__(self, client: Any, authorization: str) -> None:
        self.client, self.headers = client, {"Authorization": authorization}

    async def post(self, url: str, **kwargs: Any) -> Any:
        kwargs["headers"] = {**(kwargs.get("headers") or {}), **self.headers}
        return await self.client.post(url, **kwargs)


async def test_what_rest_hides_graphql_hides_and_says_not_found(app: Litestar) -> None:
    async with AsyncTestClient(app) as client:
        await sign_in(client, "eve@example.com")
        eve = Caller(client, client.headers.pop("Authorization"))
        await sign_in(client)
        ada = Caller(client, client.headers["Authorization"])
        created = await gql(ada, 'mutation { createProject(input: {name: "Secret", slug: "secret"}) { id } }')
        project_id = created["data"]["createProject"]["id"]
        submitted = await gql(
            ada,
            'mutation($p: UUID!) { submitTask(input: {title: "t", prompt: "p", projectId: $p}) { task { id } } }',
            p=project_id,
        )
        task_id = submitted["data"]["submitTask"]["task"]["id"]
        assert (await client.get(f"/api/v1/tasks/{task_id}", headers=eve.headers)).status_code == 404
        assert codes(await gql(eve, "query($id: UUID!) { task(id: $id) { id } }", id=task_id)) == ["not_found"]
        assert codes(await gql(eve, "query($id: UUID!) { project(id: $id) { id } }", id=project_id)) == ["not_found"]
        listed = await gql(eve, "query($p: UUID!) { tasks(filter: {projectIds: [$p]}) { nodes { id } } }", p=project_id)
        assert listed["data"]["tasks"]["nodes"] == []
        for mutation in ("cancelTask", "retryTask"):
            refused = await gql(eve, f"mutation($id: UUID!) {{ {mutation}(id: $id) {{ id }} }}", id=task_id)
            assert codes(refused) == ["not_found"], refused
        sneaked = await gql(
            eve,
            'mutation($p: UUID!) { submitTask(input: {title: "t", prompt: "p", projectId: $p}) { task { id } } }',
            p=project_id,
        )
        rest = await client.post(
            "/api/v1/tasks", json={"title": "t", "prompt": "p", "project_id": project_id}, headers=eve.headers
        )
        assert sneaked["errors"][0]["extensions"]["status"] == rest.status_code
        added = await gql(
            eve,
            'mutation($p: UUID!) { addMember(projectId: $p, email: "eve@example.com", role: OWNER) { id } }',
            p=project_id,
        )
        assert codes(added) == ["not_found"]


@pytest.fixture(params=["sqlite", "postgres"])
def counted_app(request: pytest.FixtureRequest, tmp_path: Path) -> Litestar:
    """The app on each database the service runs on (PostgreSQL: a throwaway database; CI=true fails the
    test when PostgreSQL is unreachable)."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_database")
        upgrade(url)
    else:
        url = migrated_sqlite(tmp_path / "graphql.db")
    return build_api(Settings(database_url=url, user_max_waiting=None, rate_limiting=False, **QUIET_RELAY))


async def test_a_page_of_tasks_with_their_project_and_latest_execution_costs_a_constant_number_of_statements(
    counted_app: Litestar,
) -> None:
    app = counted_app
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    async with AsyncTestClient(app) as client:
        await sign_in(client)
        ran = await gql(client, 'mutation { submitTask(input: {title: "ran", prompt: "p"}) { task { id } } }')
        await wait_for_task(client, ran["data"]["submitTask"]["task"]["id"], {"succeeded"})
        created = await gql(client, 'mutation { createProject(input: {name: "Other", slug: "other"}) { id } }')
        for i in range(99):  # scheduled for tomorrow: they wait, so nothing else runs while we count
            body = {"title": f"t{i}", "prompt": "p", "scheduled_at": later}
            if i % 2:
                body["project_id"] = created["data"]["createProject"]["id"]
            assert (await client.post("/api/v1/tasks", json=body)).status_code == 201
        engine = await from_app(client, AsyncEngine)
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        page = "query($n: Int!) { tasks(first: $n) { nodes { id project { slug } latestExecution { status } } } }"
        await quiet(statements)
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            counts = {}
            for size in (2, 100):
                statements.clear()
                body = await gql(client, page, n=size)
                assert len(body["data"]["tasks"]["nodes"]) == size, body
                counts[size] = len(statements)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        nodes = body["data"]["tasks"]["nodes"]
        assert {n["project"]["slug"] for n in nodes} == {"other", nodes[-1]["project"]["slug"]}
        assert [n["latestExecution"] for n in nodes if n["latestExecution"]] == [{"status": "SUCCEEDED"}]
        assert counts[100] == counts[2], (counts, statements)
        assert counts[100] <= 8, statements


async def test_a_page_of_documents_with_their_project_costs_a_constant_number_of_statements(
    counted_app: Litestar,
) -> None:
    app = counted_app
    async with AsyncTestClient(app) as client:
        await sign_in(client)
        created = await gql(client, 'mutation { createProject(input: {name: "Other", slug: "other"}) { id } }')
        for i in range(20):  # their ingestion waits for the relay's poll, an hour away: nothing runs meanwhile
            body: dict[str, Any] = {"title": f"d{i}", "text": f"document number {i}"}
            if i % 2:
                body["project_id"] = created["data"]["createProject"]["id"]
            assert (await client.post("/api/v1/documents", json=body)).status_code == 202
        engine = await from_app(client, AsyncEngine)
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        page = "query($n: Int!) { documents(first: $n) { items { id project { slug } } } }"
        await quiet(statements)
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            counts = {}
            for size in (2, 20):
                statements.clear()
                body = await gql(client, page, n=size)
                assert len(body["data"]["documents"]["items"]) == size, body
                counts[size] = len(statements)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        assert len({item["project"]["slug"] for item in body["data"]["documents"]["items"]}) == 2
        assert counts[20] == counts[2], (counts, statements)


@asynccontextmanager
async def served(app: Litestar) -> AsyncIterator[int]:
    """The app on a loopback port in this event loop (uvicorn), for a real WebSocket client."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not serving.done(), "the server did not start"
            await asyncio.sleep(0.02)
        yield port
    finally:
        server.should_exit = True
        await serving


async def next_message(socket: Any, within: float = 30) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
    return message


SUBSCRIBE = "subscription($id: UUID!) { taskEvents(taskId: $id) { type taskId event } }"


async def test_a_subscription_receives_one_runs_events_in_order_and_refuses_what_the_caller_may_not_read(
    tmp_path: Path,
) -> None:
    url = migrated_sqlite(tmp_path / "live.db")
    # The relay polls (scheduled tasks start); subscriptions re-check their caller's rights twice a second.
    app = build_api(Settings(database_url=url, rate_limiting=False, live_recheck_s=0.5))
    async with served(app) as port, httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        await sign_in(client, "eve@example.com")
        eve = client.headers.pop("Authorization")
        await sign_in(client)
        soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
        script = [{"say": "one"}, {"tool": "Read", "input": {"file": "a.py"}, "output": "x"}, {"say": "done"}]
        body = {"title": "live", "prompt": "p", "scheduled_at": soon, "options": {"script": script}}
        task = (await client.post("/api/v1/tasks", json=body)).json()
        graphql = f"ws://127.0.0.1:{port}/graphql"
        async with connect(graphql, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": eve}}))
            assert (await next_message(socket))["type"] == "connection_ack"
            await socket.send(
                json.dumps(
                    {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"id": task["id"]}}}
                )
            )
            refused = await next_message(socket)
            assert refused["type"] == "next" and refused["payload"]["errors"][0]["extensions"]["code"] == "not_found"
        authorization = client.headers["Authorization"]
        async with connect(graphql, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": authorization}}))
            assert (await next_message(socket))["type"] == "connection_ack"
            await socket.send(
                json.dumps(
                    {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"id": task["id"]}}}
                )
            )
            events: list[dict[str, Any]] = []
            while True:
                message = await next_message(socket)
                assert message["type"] == "next", message
                event = message["payload"]["data"]["taskEvents"]
                events.append(event)
                if event["type"] == "task.status_changed" and event["event"]["status"] in TERMINAL:
                    break
        stored = (await client.get(f"/api/v1/tasks/{task['id']}/logs", params={"limit": 1000})).json()["items"]
        # A subscription whose task goes away (here: deleted) is ended with not_found at the next re-check.
        later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        doomed = (await client.post("/api/v1/tasks", json={"title": "d", "prompt": "p", "scheduled_at": later})).json()
        async with connect(graphql, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": authorization}}))
            assert (await next_message(socket))["type"] == "connection_ack"
            subscribe = {"query": SUBSCRIBE, "variables": {"id": doomed["id"]}}
            await socket.send(json.dumps({"id": "2", "type": "subscribe", "payload": subscribe}))
            await asyncio.sleep(0.2)
            assert (await client.delete(f"/api/v1/tasks/{doomed['id']}")).status_code == 204
            ended = await next_message(socket, within=10)
            while ended["type"] == "next" and not ended["payload"].get("errors"):  # the submission's own event
                ended = await next_message(socket, within=10)  # may be delivered after the subscription began
            assert ended["id"] == "2" and "not_found" in json.dumps(ended), ended
    assert all(e["taskId"] == task["id"] for e in events)
    statuses = [e["event"]["status"] for e in events if e["type"] == "task.status_changed"]
    # The relay may hand out the submission's own `pending` after the subscription began (a loaded machine).
    assert statuses in (["queued", "running", "succeeded"], ["pending", "queued", "running", "succeeded"])
    lines = [line for e in events if e["type"] == "execution.log" for line in e["event"]["lines"]]
    assert [line["sequence"] for line in lines] == [line["sequence"] for line in stored], "in order, without gaps"
    assert len(lines) >= 3
    [result] = [e for e in events if e["type"] == "task.result"]
    assert result["event"]["status"] == "succeeded"


async def subscribed(port: int, authorization: str, task_id: str) -> Any:
    """A graphql-transport-ws connection to the app on `port`, subscribed to the task's events."""
    socket = await connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")])
    await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": authorization}}))
    assert (await next_message(socket))["type"] == "connection_ack"
    subscribe = {"query": SUBSCRIBE, "variables": {"id": task_id}}
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
    return socket


@pytest.mark.slow  # two processes to start; the run itself takes about 3 s
async def test_a_subscription_on_the_api_process_receives_a_worker_processes_run_in_order_through_redis(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    """The production profile: `agentry serve` and a separate `agentry worker` on PostgreSQL; the run's
    events reach the subscription only through the Redis live channels."""
    with serving_with_worker(production_env, tmp_path, threads=1) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
            script = [{"say": "one"}, {"tool": "Read", "input": {"file": "a.py"}, "output": "x"}, {"say": "done"}]
            body = {"title": "live", "prompt": "p", "scheduled_at": soon, "options": {"script": script}}
            task = (await client.post("/api/v1/tasks", json=body)).json()
            events: list[dict[str, Any]] = []
            async with await subscribed(stack.port, client.headers["Authorization"], task["id"]) as socket:
                while (
                    not events
                    or events[-1]["type"] != "task.status_changed"
                    or (events[-1]["event"]["status"] not in TERMINAL)
                ):
                    message = await next_message(socket)
                    assert message["type"] == "next", message
                    events.append(message["payload"]["data"]["taskEvents"])
            stored = (await client.get(f"/api/v1/tasks/{task['id']}/logs", params={"limit": 1000})).json()["items"]
    assert all(e["taskId"] == task["id"] for e in events)
    statuses = [e["event"]["status"] for e in events if e["type"] == "task.status_changed"]
    assert statuses in (["queued", "running", "succeeded"], ["pending", "queued", "running", "succeeded"])
    lines = [line for e in events if e["type"] == "execution.log" for line in e["event"]["lines"]]
    assert [line["sequence"] for line in lines] == [line["sequence"] for line in stored], "in order, without gaps"
    assert len(lines) >= 3
    [result] = [e for e in events if e["type"] == "task.result"]
    assert result["event"]["status"] == "succeeded"
