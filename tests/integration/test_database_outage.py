"""PostgreSQL out of reach for a few seconds (a proxy in front of it is cut: new connections refused,
open ones reset): readiness fails, requests get 503 problem documents in bounded time, never a 500;
once it is back, everything recovers without a restart, and no task is lost. A run going on across
the cut rides it out: it completes in its first execution, with its whole log."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.adapters.sqlalchemy.outages import database_unavailable
from tests.contract.builders import PROJECT, make_line, make_project, make_task, start
from tests.contract.storage import SqlStorage
from tests.integration.conftest import serving_with_worker
from tests.integration.cuttable_proxy import CuttableProxy
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task

pytestmark = pytest.mark.slow
OUTAGE_S = 4.0
ANSWER_WITHIN_S = 3.0  # no request hangs while the database is away
LOST_AFTER_S = 12  # longer than the cut, so a run is not taken for lost: it rides the cut out
# A run that writes its log on either side of the cut and during it, and one that ends during it.
ACROSS_THE_CUT = [
    step for n in range(14) for step in ({"tool": "Bash", "input": {"n": n}, "output": f"out {n}"}, {"sleep": 0.5})
]
ENDS_IN_THE_CUT = [{"say": "working"}, {"sleep": 2}, {"say": "done"}]


@pytest.fixture
def proxy(postgres_server: str) -> Iterator[CuttableProxy]:
    server = urlsplit(postgres_server)
    proxy = CuttableProxy(server.hostname or "127.0.0.1", server.port or 5432)
    proxy.start()
    yield proxy
    proxy.stop()


def through(proxy: CuttableProxy, url: str) -> str:
    """The same database URL, by way of the proxy."""
    parts = urlsplit(url)
    credentials, _, _ = parts.netloc.rpartition("@")
    return parts._replace(
        netloc=f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    ).geturl()


async def test_the_pool_drops_connections_the_server_closed_and_reconnects_by_itself(
    proxy: CuttableProxy, postgres_server: str
) -> None:
    engine = create_async_database(through(proxy, postgres_server), pool_size=4)

    async def one_query() -> int:
        async with engine.connect() as connection:
            return int((await connection.execute(text("SELECT 1"))).scalar_one())

    try:
        assert await asyncio.gather(*(one_query() for _ in range(4))) == [1] * 4  # four pooled connections
        proxy.cut()
        started = time.monotonic()
        with pytest.raises(DBAPIError) as refused:
            await one_query()
        assert database_unavailable(refused.value), refused.value
        assert time.monotonic() - started < ANSWER_WITHIN_S
        proxy.restore()
        # Every pooled connection was reset: none of them is handed out again.
        assert await asyncio.gather(*(one_query() for _ in range(4))) == [1] * 4
    finally:
        await engine.dispose()


async def test_a_restarted_server_is_seen_at_checkout_without_failing_a_query(postgres_server: str) -> None:
    engine = create_async_database(postgres_server, pool_size=2)

    async def backend_pid() -> int:
        async with engine.connect() as connection:
            return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    try:
        before = set(await asyncio.gather(backend_pid(), backend_pid()))
        with psycopg.connect(postgres_server, autocommit=True) as admin:  # as a server restart ends sessions
            for pid in before:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        await asyncio.sleep(0.2)
        after = set(await asyncio.gather(backend_pid(), backend_pid()))
        assert not before & after
    finally:
        await engine.dispose()


async def test_a_unit_of_work_whose_connection_broke_mid_write_works_again_once_rolled_back(
    proxy: CuttableProxy, production_env: dict[str, str]
) -> None:
    """What a worker does across a cut: the log write fails as an outage, the rollback clears the
    broken connection, and the same unit of work writes the lines once the database is back."""
    url = production_env["AGENTRY_DATABASE_URL"]
    upgrade(url)
    engine = create_async_database(through(proxy, url), pool_size=2)
    storage = SqlStorage("postgres", engine)
    try:
        await storage.add_project(make_project(id=PROJECT, slug="main"))
        task = make_task()
        async with storage.scope() as p:
            await p.tasks.add(task)
            await p.uow.commit()
            execution = start(task)
            await p.executions.add(execution)
            await p.uow.commit()
        async with storage.scope() as p:
            await p.tasks.statuses([task.id])  # the unit of work holds a connection: the cut resets it
            proxy.cut()
            with pytest.raises(Exception) as broke:  # noqa: PT011
                await p.logs.append([make_line(execution, 1), make_line(execution, 2)])  # COPY, on PostgreSQL
                await p.uow.commit()
            assert p.uow.unavailable(broke.value), broke.value
            try:
                await p.uow.rollback()
            except Exception as error:
                assert p.uow.unavailable(error), error
            with pytest.raises(Exception) as refused:  # noqa: PT011
                await p.executions.beat(execution.id, execution.started_at)
            assert p.uow.unavailable(refused.value), refused.value
            await p.uow.rollback()
            proxy.restore()
            await p.logs.append([make_line(execution, 1), make_line(execution, 2)])
            assert await p.executions.beat(execution.id, execution.started_at)
            await p.uow.commit()
            assert [line.sequence for line in await p.logs.read(task.id, 1, 0, 10)] == [1, 2]
    finally:
        await engine.dispose()


class Watch:
    """Answers seen while the database was away."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, int, float, dict[str, Any], httpx.Headers]] = []

    async def call(self, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
        started = time.monotonic()
        response = await client.request(method, url, **kwargs)
        body = response.json() if response.content else {}
        self.answers.append(
            (f"{method} {url}", response.status_code, time.monotonic() - started, body, response.headers)
        )
        return response


async def test_requests_get_503_while_postgresql_is_away_and_everything_recovers_without_a_restart(
    proxy: CuttableProxy, production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {
        "AGENTRY_DATABASE_URL": through(proxy, production_env["AGENTRY_DATABASE_URL"]),
        # A run that loses its database for longer than this is recovered as lost; a shorter cut it rides out.
        "AGENTRY_WORKER_LOST_AFTER_S": str(LOST_AFTER_S),
    }
    with serving_with_worker(env, tmp_path, threads=4) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            done_before = await submit(client, {"title": "before", "prompt": "p"}, key="before")
            await wait_for_task(client, done_before["id"], {"succeeded"})
            # Two running across the cut (one ends during it), one submitted just before it.
            spans = await submit(
                client, {"title": "spans the cut", "prompt": "p", "options": {"script": ACROSS_THE_CUT}}, key="spans"
            )
            ends_in_cut = await submit(
                client,
                {"title": "ends in the cut", "prompt": "p", "options": {"script": ENDS_IN_THE_CUT}},
                key="ends-in-cut",
            )
            await wait_for_task(client, spans["id"], {"running"})
            await wait_for_task(client, ends_in_cut["id"], {"running"})
            just_before = await submit(client, {"title": "just before", "prompt": "p"}, key="just-before")

            proxy.cut()
            cut_at = time.monotonic()
            watch = Watch()
            while time.monotonic() - cut_at < OUTAGE_S:
                assert (await client.get("/health/live")).status_code == 200
                await watch.call(client, "GET", "/health/ready")
                await watch.call(client, "GET", f"/api/v1/tasks/{spans['id']}")
                await watch.call(client, "GET", "/api/v1/tasks")
                await watch.call(
                    client,
                    "POST",
                    "/api/v1/tasks",
                    json={"title": "during", "prompt": "p"},
                    headers={"Idempotency-Key": "during"},
                )
                await watch.call(
                    client,
                    "POST",
                    "/api/v1/auth/login",
                    json={"email": "ada@example.com", "password": "correct horse battery"},
                )
                await asyncio.sleep(0.3)
            proxy.restore()
            restored_at = time.monotonic()

            for what, status, took, body, headers in watch.answers:
                assert status == 503, (what, status, body)
                assert took < ANSWER_WITHIN_S, (what, took)
                assert headers["content-type"].startswith("application/problem+json"), what
                assert int(headers["retry-after"]) > 0, what
                if what == "GET /health/ready":  # no one is known for an admin while the database is down
                    assert body["type"] == "/problems/not-ready" and "checks" not in body, body
                else:
                    assert body["type"] == "/problems/database-unavailable", (what, body)
            assert len(watch.answers) >= 12

            while (await client.get("/health/ready")).status_code != 200:
                assert time.monotonic() - restored_at < 10, "readiness comes back by itself"
                await asyncio.sleep(0.1)

            # Requests succeed again, through the same processes.
            assert (await client.get(f"/api/v1/tasks/{spans['id']}")).status_code == 200
            await sign_in(client)
            after = await submit(client, {"title": "after", "prompt": "p"}, key="after")
            for task in (after, just_before, spans, ends_in_cut):
                ended = await wait_for_task(client, task["id"], TERMINAL, within=60)
                assert ended["status"] == "succeeded", ended
            for task in (spans, ends_in_cut):
                runs = (await client.get(f"/api/v1/tasks/{task['id']}/executions")).json()["items"]
                assert [(r["number"], r["status"]) for r in runs] == [(1, "succeeded")], (task["title"], runs)
            listed = (await client.get("/api/v1/tasks", params={"limit": 100})).json()["items"]
            assert "during" not in {t["title"] for t in listed}, "a refused submission wrote nothing"

    with psycopg.connect(production_env["AGENTRY_DATABASE_URL"]) as db:
        running_left = db.execute("SELECT count(*) FROM task_executions WHERE status = 'running'").fetchone()
        successes = db.execute(
            "SELECT count(*) FROM task_executions WHERE status = 'succeeded' GROUP BY task_id"
        ).fetchall()
        logs = {
            title: db.execute(
                "SELECT l.execution_number, l.sequence, l.kind, l.message FROM execution_logs l "
                "JOIN tasks t ON t.id = l.task_id WHERE t.title = %s ORDER BY l.execution_number, l.sequence",
                (title,),
            ).fetchall()
            for title in ("spans the cut", "ends in the cut")
        }
    assert running_left == (0,)
    assert successes == [(1,)] * 5, "each task succeeded exactly once"
    for title, lines in logs.items():
        assert [(number, sequence) for number, sequence, _, _ in lines] == [(1, n) for n in range(1, len(lines) + 1)], (
            f"{title}: one execution, no gap or duplicate in its log"
        )
        assert lines[-1][2] == "result", title
    outputs = [message for _, _, kind, message in logs["spans the cut"] if kind == "tool_result"]
    assert outputs == [f"out {n}" for n in range(14)], "every line the agent wrote across the cut, once, in order"
    said = "".join(message for _, _, kind, message in logs["ends in the cut"] if kind == "assistant")
    assert said == "workingdone", "what the agent said before and during the cut"
