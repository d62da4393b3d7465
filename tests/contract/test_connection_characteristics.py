"""On PostgreSQL, autocommit (a read-only request's session) and the isolation level are set on a connection
at once as it is checked out and reset as it is returned, not awaited through psycopg's coroutines; the
connection behaves as if they had been: in autocommit no transaction is left open, and back in the pool it
opens transactions again, at the server's default isolation level."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import pq
from sqlalchemy import text

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginConnection

IDLE = pq.TransactionStatus.IDLE
INTRANS = pq.TransactionStatus.INTRANS


async def test_autocommit_is_set_and_reset_without_awaiting_psycopg(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    awaited: list[str] = []

    async def refused(self: Any, value: Any) -> None:
        awaited.append(repr(value))

    monkeypatch.setattr(psycopg.AsyncConnection, "set_autocommit", refused)
    monkeypatch.setattr(psycopg.AsyncConnection, "set_isolation_level", refused)
    engine = create_async_database(postgres_database, pool_size=1)
    try:
        for _ in range(2):
            async with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
                await connection.execute(text("SELECT 1"))
                driver = (await connection.get_raw_connection()).driver_connection
                assert isinstance(driver, PipelinedBeginConnection)
                assert driver.autocommit and driver.info.transaction_status == IDLE
            async with engine.connect() as connection:
                isolation = (await connection.execute(text("SHOW transaction_isolation"))).scalar_one()
                same = (await connection.get_raw_connection()).driver_connection
                assert same is driver and not same.autocommit
                assert same.info.transaction_status == INTRANS and isolation == "read committed"
                await connection.rollback()
        assert awaited == []
    finally:
        await engine.dispose()


async def test_nothing_is_set_at_once_in_a_transaction(postgres_database: str) -> None:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await PipelinedBeginConnection.connect(url) as connection:
        await connection.execute("SELECT 1")
        assert connection.info.transaction_status == INTRANS
        assert not connection.set_characteristics_now(True, None)
        assert not connection.autocommit
        await connection.rollback()
        assert connection.set_characteristics_now(True, None) and connection.autocommit
