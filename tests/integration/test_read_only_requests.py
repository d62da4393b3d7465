"""Reads skip the transaction (one round trip per query); writes keep it; so does the relay."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.entrypoints.config import Settings
from agentry.entrypoints.runtime import build_api
from tests.app_loop import from_app
from tests.integration.helpers import sign_in, wait_for_task
from tests.migrated import migrated_sqlite


async def test_an_autocommit_read_on_sqlite_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/locks.db"
    writer, reader = create_async_database(url), create_async_database(url)
    try:
        async with writer.begin() as held:  # BEGIN IMMEDIATE: holds the write lock
            await held.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
            async with reader.execution_options(isolation_level="AUTOCOMMIT").connect() as read:
                rows = await asyncio.wait_for(read.execute(text("SELECT 1")), timeout=2)
                assert rows.scalar_one() == 1
    finally:
        await writer.dispose()
        await reader.dispose()


async def test_get_requests_run_without_a_transaction_and_writes_with_one(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path / "api.db")
    # The relay then wakes only after commits that wrote jobs, not on a timer during the reads; its
    # recovery rounds (every heartbeat interval, in transactions) run at start, then not for a minute.
    quiet_relay = {"relay_poll_interval_s": 3600, "heartbeat_interval_s": 60, "worker_lost_after_s": 120}
    app = build_api(Settings(database_url=url, **quiet_relay))
    async with AsyncTestClient(app) as client:
        await sign_in(client)
        engine = await from_app(client, AsyncEngine)
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        created = await client.post("/api/v1/tasks", json={"title": "t", "prompt": "p"})
        await wait_for_task(client, created.json()["id"], {"succeeded"})  # type: ignore[arg-type]
        assert any(s.startswith("BEGIN") for s in statements), "the submission, relay and worker use transactions"
        await quiet(statements)  # the relays have done with what the run committed (its events, its next jobs)
        statements.clear()
        for path in ("", "/executions", "/logs", "/result"):
            assert (await client.get(f"/api/v1/tasks/{created.json()['id']}{path}")).status_code == 200
        assert (await client.get("/api/v1/tasks?limit=5")).status_code == 200
        assert statements and not any(s.startswith("BEGIN") for s in statements), statements
        event.remove(engine.sync_engine, "before_cursor_execute", seen)


async def quiet(statements: list[str], for_s: float = 0.3, within_s: float = 10.0) -> None:
    """Wait until no statement has run for `for_s` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while loop.time() < deadline:
        seen = len(statements)
        await asyncio.sleep(for_s)
        if len(statements) == seen:
            return
    raise AssertionError(f"the service was still busy after {within_s} s: {statements[-3:]}")
