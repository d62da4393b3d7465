"""PipelinedBeginConnection: a transaction's BEGIN goes out with its first statement (one round trip, not
two), and the transaction is the same: what it wrote rolls back, a failed first statement raises
psycopg's own error and leaves the transaction aborted, executemany and COPY still work. A statement
marked to carry the COMMIT commits with it; if it fails, nothing of its transaction is committed. An
INSERT deferred waits for the next statement or the COMMIT, which raises its error."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import psycopg
import pytest
import pytest_asyncio
from bench.roundtrips import RoundTripProxy, proxy_for, through
from psycopg import pq

from agentry.adapters.sqlalchemy.described_cursor import DescribedOnceCursor
from agentry.adapters.sqlalchemy.pipelined_begin import (
    PipelinedBeginConnection,
    _blind_insert,
    _inserts_after_ctes,
    carrying_commit,
    commit_with_next_statement,
    deferring_inserts,
    first_error,
)

INTRANS = pq.TransactionStatus.INTRANS
INERROR = pq.TransactionStatus.INERROR
IDLE = pq.TransactionStatus.IDLE


@pytest_asyncio.fixture
async def proxied(postgres_database: str) -> AsyncIterator[tuple[str, RoundTripProxy]]:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as setup:
        await setup.execute("CREATE TABLE items (id int PRIMARY KEY, note text)")
    proxy = proxy_for(url)
    port = await proxy.start()
    yield through(url, port), proxy
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


async def count(connection: PipelinedBeginConnection[tuple[object, ...]]) -> object:
    """The rows committed: read in a transaction of its own, then rolled back."""
    row = await (await connection.execute("SELECT count(*) FROM items")).fetchone()
    await connection.rollback()
    return row[0] if row else None


@pytest.mark.parametrize("many", [False, True])
async def test_a_statement_can_carry_its_transactions_commit(proxied: tuple[str, RoundTripProxy], many: bool) -> None:
    url, proxy = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        before = proxy.counter.round_trips
        assert commit_with_next_statement(connection)
        if many:
            await connection.cursor().executemany("INSERT INTO items VALUES (%s, %s)", [(2, "two"), (3, "three")])
        else:
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (2, "two"))
        assert not connection.commit_with_next
        assert connection.info.transaction_status == IDLE
        await connection.commit()  # sends nothing: the transaction is over
        assert proxy.counter.round_trips - before == 1
        assert await count(connection) == (3 if many else 2)
        # a transaction of one statement, BEGIN and COMMIT with it: one round trip
        before = proxy.counter.round_trips
        commit_with_next_statement(connection)
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (9, "nine"))
        await connection.commit()
        assert proxy.counter.round_trips - before == 1
        assert await count(connection) == (4 if many else 3)


@pytest.mark.parametrize("many", [False, True])
async def test_a_failed_statement_carrying_the_commit_commits_nothing(
    proxied: tuple[str, RoundTripProxy], many: bool
) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        await connection.commit()
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (2, "two"))
        commit_with_next_statement(connection)
        with pytest.raises(psycopg.errors.UniqueViolation, match="items_pkey"):
            if many:
                await connection.cursor().executemany("INSERT INTO items VALUES (%s, %s)", [(3, "x"), (1, "again")])
            else:
                await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "again"))
        assert not connection.commit_with_next
        assert connection.info.transaction_status == INERROR
        await connection.rollback()
        assert await count(connection) == 1


async def test_autocommit_carries_no_commit(proxied: tuple[str, RoundTripProxy]) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        await connection.set_autocommit(True)
        assert not commit_with_next_statement(connection)
        assert not commit_with_next_statement(object())  # SQLite's, another driver's


async def test_a_commit_asked_for_is_never_left_for_a_later_statement(proxied: tuple[str, RoundTripProxy]) -> None:
    # The statement meant to carry it failed before reaching the connection (SQLAlchemy raised first)
    url, _ = proxied
    async with await connect(url) as connection:
        with pytest.raises(RuntimeError), carrying_commit(connection) as carried:
            assert carried and connection.commit_with_next
            raise RuntimeError("the statement never went out")
        assert not connection.commit_with_next
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        assert connection.info.transaction_status != IDLE  # still open: no COMMIT went with it
        await connection.rollback()
    with carrying_commit(object()) as carried:  # SQLite's, another driver's
        assert not carried


async def test_deferred_inserts_go_out_with_the_next_statement(proxied: tuple[str, RoundTripProxy]) -> None:
    url, proxy = proxied
    async with await connect(url) as connection:
        before = proxy.counter.round_trips
        with deferring_inserts(connection) as deferring:
            assert deferring
            cursor = connection.cursor()
            await cursor.execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
            assert cursor.description is None and cursor.rowcount == -1  # not sent: no answer yet
            await connection.cursor().executemany("INSERT INTO items VALUES (%s, %s)", [(2, "two"), (3, "three")])
        assert proxy.counter.round_trips == before  # nothing sent, not even BEGIN
        assert connection.info.transaction_status == IDLE
        cursor = await connection.cursor().execute("SELECT count(*) FROM items")
        assert await cursor.fetchone() == (3,)  # BEGIN, the three rows and the count: one round trip
        assert proxy.counter.round_trips - before == 1
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (4, "four"))
        await connection.commit()  # the insert carries the COMMIT
        assert proxy.counter.round_trips - before == 2
        assert await count(connection) == 4
        # a transaction of deferred inserts alone: BEGIN, the insert and COMMIT in one round trip
        before = proxy.counter.round_trips
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (5, "five"))
        await connection.commit()
        assert proxy.counter.round_trips - before == 1
        assert await count(connection) == 5


async def test_a_deferred_inserts_error_is_raised_by_what_carries_it(proxied: tuple[str, RoundTripProxy]) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        await connection.commit()
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "again"))
        with pytest.raises(psycopg.errors.UniqueViolation, match="items_pkey"):
            await connection.cursor().execute("SELECT count(*) FROM items")
        assert connection.info.transaction_status == INERROR
        await connection.rollback()
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (2, "two"))
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "again"))
        with pytest.raises(psycopg.errors.UniqueViolation, match="items_pkey"):
            await connection.commit()  # the COMMIT is aborted with them
        await connection.rollback()
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "again"))
        commit_with_next_statement(connection)
        with pytest.raises(psycopg.errors.UniqueViolation, match="items_pkey"):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (3, "three"))
        await connection.rollback()
        assert await count(connection) == 1


@pytest.mark.parametrize("after", [0, 1, 50, 2000])
async def test_the_first_error_is_raised_however_many_statements_it_aborted(
    proxied: tuple[str, RoundTripProxy], after: int
) -> None:
    """A failed deferred write's own error is what its carrier raises, however many statements it aborted."""
    url, _ = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        await connection.commit()
        for carrier in ("commit", "statement"):
            with deferring_inserts(connection):
                await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "again"))
                for n in range(after):
                    await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (10 + n, "x" * 200))
            with pytest.raises(psycopg.errors.UniqueViolation, match="items_pkey"):
                if carrier == "commit":
                    await connection.commit()
                else:
                    await connection.cursor().execute("SELECT count(*) FROM items")
            await connection.rollback()
        assert await count(connection) == 1


def test_the_error_raised_for_an_aborted_pipeline_is_the_one_that_aborted_it() -> None:
    """psycopg raises the failed statement's error as it sends, and then, ending the pipeline in a `finally`,
    the PipelineAborted of the statements after it, which replaces it; under load (the results split across
    reads) a taken Idempotency-Key surfaced so, as a database failure (503). `carrying` raises the first."""
    violation = psycopg.errors.UniqueViolation("duplicate key")
    aborted = psycopg.errors.PipelineAborted("pipeline aborted")
    aborted.__context__ = violation
    again = psycopg.errors.PipelineAborted("pipeline aborted")
    again.__context__ = aborted
    assert first_error(again) is violation
    lone = psycopg.errors.PipelineAborted("pipeline aborted")
    assert first_error(lone) is lone


async def test_a_rollback_drops_the_deferred_inserts(proxied: tuple[str, RoundTripProxy]) -> None:
    url, proxy = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (2, "two"))
        await connection.rollback()
        before = proxy.counter.round_trips
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (3, "three"))
        await connection.rollback()  # never sent, and no transaction to end
        assert proxy.counter.round_trips == before
        assert await count(connection) == 0


async def test_only_inserts_without_returning_are_deferred(proxied: tuple[str, RoundTripProxy]) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        with deferring_inserts(connection):
            cursor = await connection.cursor().execute("INSERT INTO items VALUES (%s, %s) RETURNING id", (1, "one"))
            assert await cursor.fetchall() == [(1,)]
            cursor = await connection.cursor().execute("UPDATE items SET note = 'uno' WHERE id = 1")
            assert cursor.rowcount == 1  # an update's count is read (the ORM's version check)
            cursor = await connection.cursor().execute("WITH n AS (SELECT 1 AS one) SELECT one FROM n")
            assert await cursor.fetchall() == [(1,)]
        await connection.rollback()
        await connection.set_autocommit(True)
        with deferring_inserts(connection) as deferring:
            assert not deferring
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (2, "two"))
        assert await (await connection.execute("SELECT id FROM items")).fetchall() == [(2,)]
    with deferring_inserts(object()) as deferring:  # SQLite's, another driver's
        assert not deferring


async def test_copy_and_a_pipeline_send_the_deferred_inserts_first(proxied: tuple[str, RoundTripProxy]) -> None:
    url, _ = proxied
    async with await connect(url) as connection:
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        async with connection.cursor() as cursor, cursor.copy("COPY items FROM STDIN") as copy:
            await copy.write_row((2, "two"))
        with deferring_inserts(connection):
            await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (3, "three"))
        async with connection.pipeline():
            counted = await connection.execute("SELECT count(*) FROM items")
        assert await counted.fetchone() == (3,)
        await connection.commit()
        assert await count(connection) == 3


def test_a_blind_insert_is_an_insert_without_returning_or_after_its_ctes() -> None:
    assert _blind_insert("INSERT INTO items VALUES (1, 'one')")
    assert not _blind_insert("INSERT INTO items VALUES (1, 'one') RETURNING id")
    assert _blind_insert("WITH d AS (INSERT INTO a (x) VALUES (1) ON CONFLICT (x) DO NOTHING) INSERT INTO b VALUES (2)")
    assert not _blind_insert("WITH d AS (INSERT INTO a (x) VALUES (1)) SELECT 1")
    assert not _blind_insert("WITH d AS (SELECT 1) UPDATE items SET note = 'x'")
    assert not _blind_insert("UPDATE items SET note = 'x'")
    assert not _blind_insert(b"INSERT INTO items VALUES (1, 'one')")  # not the text SQLAlchemy sends


def test_a_statements_ctes_are_read_through_once_however_often_it_runs() -> None:
    """An ending's usage roll-up is 1,600 characters, looked at one by one: 44 us, at every ending."""
    query = "WITH d AS (INSERT INTO a (x) VALUES (1) ON CONFLICT (x) DO NOTHING) INSERT INTO b VALUES (3)"
    _inserts_after_ctes.cache_clear()
    assert all(_blind_insert(query) for _ in range(3))
    assert _inserts_after_ctes.cache_info().misses == 1


async def test_any_statement_can_be_deferred_when_the_scope_says_so(proxied: tuple[str, RoundTripProxy]) -> None:
    url, proxy = proxied
    async with await connect(url) as connection:
        await connection.cursor().execute("INSERT INTO items VALUES (%s, %s)", (1, "one"))
        await connection.commit()
        before = proxy.counter.round_trips
        with deferring_inserts(connection, any_statement=True):
            cursor = await connection.cursor().execute("UPDATE items SET note = 'uno' WHERE id = 1")
            assert cursor.rowcount == -1  # not sent
        assert not connection.defer_any and not connection.defer_inserts
        await connection.commit()  # BEGIN, the update and COMMIT: one round trip
        assert proxy.counter.round_trips - before == 1
        row = await (await connection.execute("SELECT note FROM items")).fetchone()
        assert row == ("uno",)
        await connection.rollback()
        with deferring_inserts(connection, any_statement=True):  # a statement that fails itself
            await connection.cursor().execute("UPDATE items SET note = 'x' WHERE id = 1 AND 1 / 0 = 0")
        with pytest.raises(psycopg.errors.DivisionByZero):
            await connection.commit()
        await connection.rollback()
        row = await (await connection.execute("SELECT note FROM items")).fetchone()
        assert row == ("uno",)


def test_psycopgs_echo_of_an_aborted_pipeline_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    """The error that aborted it was raised; psycopg's warning that it ignored the PipelineAborted after it
    is dropped, any other of its warnings kept."""
    psycopg_log = logging.getLogger("psycopg")
    with caplog.at_level(logging.WARNING, logger="psycopg"):
        psycopg_log.warning("error ignored terminating %r: %s", "<pipeline>", psycopg.errors.PipelineAborted("aborted"))
        psycopg_log.warning("error ignored terminating %r: %s", "<pipeline>", psycopg.OperationalError("gone"))
    assert [r.getMessage() for r in caplog.records] == ["error ignored terminating '<pipeline>': gone"]
