"""Database round trips per task, from the submit request to the stored result, on PostgreSQL.

Every message the service sends PostgreSQL after PostgreSQL last spoke is a round trip, counted by a
TCP proxy in front of the database (bench/roundtrips.py): statements, BEGIN and COMMIT, and the log's
COPY alike. The embedded profile runs the whole path in one process over the proxy: the submit
request (its token check, the budget and quota checks, the task, its queue job and event), the relay
(dispatching the job, delivering the events to the live channels and webhooks), the worker's claim
and start, its log lines, and the ending (result, usage roll-ups, events). The test waits for the
result reading the database directly, past the proxy, so its own polling is not counted."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

import psycopg
from bench.roundtrips import RoundTripProxy, proxy_for, through
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.app_loop import from_app
from tests.integration.helpers import sign_in

# No heartbeat or recovery round falls inside the measured run (they are timed, not per task).
QUIET = {"relay_poll_interval_s": 3600, "heartbeat_interval_s": 60, "worker_lost_after_s": 120}
# Measured 71 round trips and 45 statements before the webhook dispatch ran only when needed, a pass
# read a project's endpoints once, the ending's roll-ups became one statement and the claim read the
# budget with its task; 52-61 round trips and 34-39 statements after (whether two relay passes fall
# together varies from run to run). Then 43 and 29, after the event relay's claim took its turn and
# marked its batch in one statement, the job relay's lease read its tasks with it and ran (with the
# sent mark) without BEGIN and COMMIT, and an ending that offered nothing stopped waking the job
# relay. Then 47 (held at 49): a run writes the first piece of its answer at once, in a transaction of its own, so
# that a chat's first words reach the client before the run's closing commit (+3), and the unit of work's
# flush, event insert and commit became one call (-1). Then 46 and 28 (held at 48): the submit reads its
# project's spend this month with the project (-1). Then 44 (held at 46): a small log batch is one INSERT,
# not a COPY of two round trips (-2: the first words, the ending). Then 42 (held at 44): the first words,
# their unit of work's one write, commit as they are written, without BEGIN and COMMIT (-2). Then 37 and 26
# (held at 41 and 28): a run that ends without a pause writes its first words with its ending (-1); and the
# claim's and the ending's events, now closer together, went out in one relay pass, not two (-4, 2
# statements: timing, not held). Then 40 and 27: the chat subscriber reads chat_turns only for endings of
# tasks tagged as a turn's (-1). Then 39 and 26 (held there): the ending's task and execution rows are one
# statement (execution_endings.py, -1); on a quiet machine 35 and 24 (the events in two relay passes). The issue's
# goal is 10 (not met: see the README, "The worker's path"). The task is submitted with an Idempotency-Key
# since a fresh key costs no read (it cost a SELECT: 29 statements). Then 34 and 23 (held at 38 and 25): the
# claim's start is one statement, the task's update and the execution's insert (execution_starts.py, -1).
# Then 32 with 25 statements (the task's three events in three relay passes; 29 when two), held at 32: a
# transaction's BEGIN goes out with its first statement (pipelined_begin.py; -1 for each transaction: the
# submit, the claim, the ending, each event relay pass). Then 29 (held there): the events' insert, a unit
# of work's last statement, carries its COMMIT (-1 each: the submit, the claim, the ending). Then 27 and 21
# (three relay passes; 24 and 19 with two), held there: the user's turn and the count after it go out
# together, past SQLAlchemy (user_usage.py; -1 round trip each for the submit and the claim; their two
# statements each are no longer seen by SQLAlchemy's events, which this test counts statements with).
# Then 20 (three relay passes; 17 with two), held at 20, statements unchanged: an INSERT whose answer no one
# reads waits for its transaction's next statement or COMMIT (pipelined_begin.py; the submit's task and job
# -2, the ending's roll-up, result and log lines -3), the claim's start and the ending's first statement
# fail themselves on a stale task and so go out with the COMMIT too (-1 each), and a relay pass that finds
# nothing commits, where its rollback cost psycopg's DEALLOCATE ALL (-1).
ROUND_TRIPS = 20
STATEMENTS = 21


async def test_one_task_from_submit_to_result(postgres_database: str) -> None:
    upgrade(postgres_database)
    proxy = proxy_for(postgres_database)
    proxy_loop = asyncio.new_event_loop()  # its own thread: the app blocks its loop now and then
    threading.Thread(target=proxy_loop.run_forever, daemon=True).start()
    port = asyncio.run_coroutine_threadsafe(proxy.start(), proxy_loop).result(10)
    proxied = through(postgres_database, port)
    app = build_api(Settings(database_url=proxied, **QUIET))
    try:
        async with AsyncTestClient(app) as client:
            await sign_in(client)
            engine = await from_app(client, AsyncEngine)
            statements: list[str] = []

            def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
                statements.append(" ".join(statement.split()[:3]))

            for attempt in range(2):  # the first task warms the pools and the statement caches
                await settled(proxy)
                before = proxy.counter.round_trips
                statements.clear()
                event.listen(engine.sync_engine, "before_cursor_execute", seen)
                # with a fresh key, which costs no read of its own
                key = {"Idempotency-Key": f"round-trips-{attempt}"}
                created = await client.post("/api/v1/tasks", json={"title": "t", "prompt": "p"}, headers=key)
                assert created.status_code == 201, created.text
                await succeeded(postgres_database, created.json()["id"])
                await settled(proxy)
                event.remove(engine.sync_engine, "before_cursor_execute", seen)
                round_trips = proxy.counter.round_trips - before
    finally:
        asyncio.run_coroutine_threadsafe(proxy.stop(), proxy_loop).result(10)
        proxy_loop.call_soon_threadsafe(proxy_loop.stop)
    shown = "\n".join(f"{n:3} x {s}" for s, n in Counter(statements).most_common())
    print(f"\n{round_trips} round trips, {len(statements)} statements:\n{shown}")
    assert round_trips <= ROUND_TRIPS, shown
    assert len(statements) <= STATEMENTS, shown


async def settled(proxy: RoundTripProxy, for_s: float = 0.3, within_s: float = 15.0) -> None:
    """Wait until nothing has gone to the database for `for_s` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while loop.time() < deadline:
        seen = proxy.counter.round_trips
        await asyncio.sleep(for_s)
        if proxy.counter.round_trips == seen:
            return
    raise AssertionError(f"the service was still busy after {within_s} s")


async def succeeded(database: str, task_id: str, within_s: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    async with await psycopg.AsyncConnection.connect(database, autocommit=True) as db:
        while loop.time() < deadline:
            row = await (await db.execute("SELECT status FROM tasks WHERE id = %s", (task_id,))).fetchone()
            if row and row[0] == "succeeded":
                return
            await asyncio.sleep(0.02)
    raise AssertionError(f"task {task_id} did not succeed")
