"""PipelinedBeginConnection: a transaction's BEGIN goes out with its first statement (one round trip, not
two), and the transaction is the same: what it wrote rolls back, a failed first statement raises
psycopg's own error and leaves the transaction aborted, executemany and COPY still work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import psycopg
import pytest
import pytest_asyncio
from bench.roundtrips import RoundTripProxy
from psycopg import pq

from agentry.adapters.sqlalchemy.described_cursor import DescribedOnceCursor
from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginConnection

INTRANS = pq.TransactionStatus.INTRANS
INERROR = pq.TransactionStatus.INERROR


@pytest_asyncio.fixture
async def proxied(postgres_database: str) -> AsyncIterator[tuple[str, RoundTripProxy]]:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as setup:
        await setup.execute("CREATE TABLE items (id int PRIMARY KEY, note text)")
    parts = urlsplit(url)
    proxy = RoundTripProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    port = await proxy.start()
    user = parts.netloc.rpartition("@")[0]
    yield url.replace(parts.netloc, f"{user}@127.0.0.1:{port}" if user else f"127.0.0.1:{port}"), proxy
    await proxy.stop()


async def connect(url: str) -> PipelinedBeginConnection[tuple[object, ...]]:
    return await PipelinedBeginConnection.connect(url, cursor_factory=DescribedOnceCursor)


async def test_a_transaction_of_one_statement_is_two_round_trips(proxied: tuple[str, RoundTripProxy]) -> None:
    url, proxy = proxied
    async with await connect(url) as connection:
        before = proxy.counter.round_trips
        cursor = connection.cursor()
        await cursor.execute("INSERT INTO items VALUES (%s, %s) RETURNING note", (1, "one"))
        assert await cursor.fetchall() == [("one",)]
        assert cursor.description is not None and cursor.description[0].name == "note"
        assert connection.info.transaction_status == INTRANS
        await cursor.execute("SELECT count(*) FROM items")  # in the same transaction: no BEGIN
        assert await cursor.fetchone() == (1,)
        await connection.commit()
        # BEGIN with the insert, the count, COMMIT (psycopg alone: four)
        assert proxy.counter.round_trips - before == 3


async def test_what_a_transaction_wrote_rolls_back(proxied: tuple[str, RoundTripProxy]) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        await connection.rollback()
        await connection.cursor().executemany("INSERT INTO items VALUES (%s, %s)", [(2, "two"), (3, "three")])
        assert connection.info.transaction_status == INTRANS
        await connection.rollback()
        async with connection.cursor() as cursor, cursor.copy("COPY items FROM STDIN") as copy:
            await copy.write_row((4, "four"))
        await connection.rollback()
        cursor = await connection.cursor().execute("SELECT count(*) FROM items")
        assert await cursor.fetchone() == (0,)


async def test_a_failed_first_statement_raises_its_error_and_aborts_the_transaction(
    proxied: tuple[str, RoundTripProxy],
) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        await connection.commit()
        with pytest.raises(psycopg.errors.UniqueViolation, match="items_pkey"):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "again"))
        assert connection.info.transaction_status == INERROR
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            await connection.cursor().execute("SELECT 1")
        await connection.rollback()
        with pytest.raises(psycopg.errors.UniqueViolation):
            await connection.cursor().executemany("INSERT INTO items VALUES (%s, %s)", [(2, "two"), (1, "again")])
        await connection.rollback()
        cursor = await connection.cursor().execute("SELECT id, note FROM items")
        assert await cursor.fetchall() == [(1, "one")]


async def test_autocommit_sends_no_begin(proxied: tuple[str, RoundTripProxy]) -> None:
    url, proxy = proxied
    async with await connect(url) as connection:
        await connection.set_autocommit(True)
        before = proxy.counter.round_trips
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        assert connection.info.transaction_status == pq.TransactionStatus.IDLE
        assert proxy.counter.round_trips - before == 1
