"""PostgreSQL transactions whose BEGIN costs no round trip of its own.

psycopg sends a transaction's BEGIN by itself and waits for its answer before sending the first
statement: a round trip per transaction. Here the first statement of a transaction goes out in a
pipeline (libpq's pipeline mode) of one, BEGIN queued in front of it, then one Sync: the server
answers both at once. The statement's result, and its error, are those of a plain execute: a failed
statement raises the same psycopg error (a unique violation is still a `UniqueViolation`), the
transaction is left aborted as before, and SQLAlchemy rolls it back as before.

psycopg's own pipeline mode syncs after BEGIN (a round trip again): the connection below queues the
BEGIN of a pipeline's transaction without a Sync, so that it goes out with the statement after it.
A transaction's later statements, COPY (never pipelined: psycopg forbids it) and a connection in
autocommit are as psycopg makes them.

A transaction's last statement can carry its COMMIT the same way: `commit_with_next` on the connection
(set by `commit_with_next_statement`, just before that statement) sends the statement and COMMIT in one
pipeline; the transaction is then over, and the DB-API `commit()` that follows sends nothing (psycopg
sends no COMMIT on an idle connection). A failed statement aborts the COMMIT with it: its own error is
raised, and the transaction is left aborted for the rollback, as before."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import AsyncConnection, AsyncCursor, IsolationLevel, pq
from psycopg.abc import PQGen, Query
from psycopg.rows import Row

_IDLE = pq.TransactionStatus.IDLE


class PipelinedBeginConnection(AsyncConnection[Row]):
    commit_with_next = False  # the next execute or executemany carries the transaction's COMMIT

    def _start_query(self) -> PQGen[None]:
        if self._pipeline is not None and not self._autocommit and self.pgconn.transaction_status == _IDLE:
            # Queued: BEGIN goes out with the statement after it; its result is checked at the Sync.
            yield from self._exec_command(self._get_tx_start_command())
            return
        yield from super()._start_query()

    def set_characteristics_now(self, autocommit: bool, isolation_level: IsolationLevel | None) -> bool:
        """Autocommit and the isolation level set at once, as psycopg's `set_autocommit` and
        `set_isolation_level` set them, where those could only set them too: no transaction open, no
        pipeline, nothing holding the connection's lock. Those are coroutines that take the lock, and
        SQLAlchemy awaits each from its greenlet (a switch out and back): a request whose session runs
        in autocommit had four, set as its connection is checked out and reset as it is returned.
        False (nothing set) otherwise: the caller sets them the awaited way, which refuses in a transaction."""
        if self._pipeline is not None or self.lock.locked() or self.pgconn.transaction_status != _IDLE:
            return False
        self._autocommit = bool(autocommit)
        self._isolation_level = IsolationLevel(isolation_level) if isolation_level is not None else None
        self._begin_statement = b""  # psycopg's BEGIN for the isolation level, made again when next needed
        return True


class PipelinedBeginCursor(AsyncCursor[Row]):
    """Sends a transaction's first statement with its BEGIN (on a `PipelinedBeginConnection`)."""

    __slots__ = ()

    async def execute(
        self, query: Query, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        conn = self._conn
        if not isinstance(conn, PipelinedBeginConnection) or conn._pipeline is not None or conn._autocommit:
            return await super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type]
        commit, conn.commit_with_next = conn.commit_with_next, False
        if not commit and conn.pgconn.transaction_status != _IDLE:
            return await super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type]
        # As psycopg's executemany makes its pipeline: the lock held throughout, one Sync at the end.
        async with conn.lock, conn._pipeline_nolock():
            await conn.wait(self._execute_gen(query, params, prepare=prepare, binary=binary))
            if commit:
                await conn.wait(conn._exec_command(b"COMMIT"))
        return self

    async def executemany(self, query: Query, params_seq: Iterable[Any], *, returning: bool = False) -> None:
        conn = self._conn
        if not isinstance(conn, PipelinedBeginConnection) or not conn.commit_with_next or conn._autocommit:
            await super().executemany(query, params_seq, returning=returning)
            return
        conn.commit_with_next = False
        if conn._pipeline is not None:  # someone else's pipeline: psycopg's way
            await super().executemany(query, params_seq, returning=returning)
            return
        # psycopg's executemany (always in a pipeline), with the COMMIT before its Sync
        async with conn.lock, conn._pipeline_nolock():
            await conn.wait(self._executemany_gen_pipeline(query, params_seq, returning))
            await conn.wait(conn._exec_command(b"COMMIT"))


def commit_with_next_statement(driver_connection: Any) -> bool:
    """Let the next statement on this DB-API connection carry its transaction's COMMIT; False where it
    cannot (not a `PipelinedBeginConnection`: SQLite, or another driver). The caller clears
    `commit_with_next` after the statement, whatever happened, so that it never reaches another
    (`carrying_commit` does both)."""
    if isinstance(driver_connection, PipelinedBeginConnection) and not driver_connection.autocommit:
        driver_connection.commit_with_next = True
        return True
    return False


@contextmanager
def carrying_commit(driver_connection: Any) -> Iterator[bool]:
    """While open, the next statement on this DB-API connection carries its transaction's COMMIT where
    it can (`commit_with_next_statement`; whether it can is what is yielded). On leaving, whatever
    happened, the request is cleared, so that it never reaches a later statement."""
    carried = commit_with_next_statement(driver_connection)
    try:
        yield carried
    finally:
        if carried:
            driver_connection.commit_with_next = False
