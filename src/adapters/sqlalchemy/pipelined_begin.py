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
raised, and the transaction is left aborted for the rollback, as before.

A write whose answer nobody reads can wait for the statement after it: in a `deferring_inserts` scope, an
`INSERT` without `RETURNING` (the flush's new rows, an ending's roll-up and result; or any statement, when
the scope says so) is not sent; it goes
out, in order, in the pipeline of the transaction's next statement, or of its COMMIT (`commit()`), with
one Sync. Its error is raised there, by the statement that carried it (a unique violation is still a
`UniqueViolation`, the transaction aborted as before), so a scope is opened only where any error of the
transaction ends it the same way; a rollback drops the writes not sent. COPY and someone else's pipeline
send them first; anything else that would pass them fails loudly (`_start_query`)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import AsyncConnection, AsyncCopy, AsyncCursor, AsyncPipeline, IsolationLevel, ProgrammingError, pq
from psycopg.abc import Params, PQGen, Query
from psycopg.errors import PipelineAborted
from psycopg.rows import Row

from agentry.adapters.sqlalchemy.cached_writes import WatchedWrites

_IDLE = pq.TransactionStatus.IDLE


class PipelinedBeginConnection(AsyncConnection[Row], WatchedWrites):
    commit_with_next = False  # the next execute or executemany carries the transaction's COMMIT
    defer_inserts = False  # in a `deferring_inserts` scope
    defer_any = False  # ... which defers any statement, not only INSERTs without RETURNING
    # The writes deferred, in order, not yet sent: (query, params, many)
    _deferred: list[tuple[Query, Any, bool]] | None = None

    def _start_query(self) -> PQGen[None]:
        if self._deferred:
            raise ProgrammingError("a statement would have gone out before the writes deferred ahead of it")
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
        if self._deferred or self._pipeline is not None or self.lock.locked():
            return False
        if self.pgconn.transaction_status != _IDLE:
            return False
        self._autocommit = bool(autocommit)
        self._isolation_level = IsolationLevel(isolation_level) if isolation_level is not None else None
        self._begin_statement = b""  # psycopg's BEGIN for the isolation level, made again when next needed
        return True

    def _defer(self, query: Query, params: Any, many: bool) -> bool:
        """Keep a write for the next statement's pipeline, if it may wait (see the module's docstring)."""
        if not self.defer_inserts or self._autocommit or self._pipeline is not None:
            return False
        if not self.defer_any and not _blind_insert(query):
            return False
        if self._deferred is None:
            self._deferred = []
        self._deferred.append((query, list(params) if many else params, many))
        return True

    async def _send_deferred(self) -> None:
        """Into the open pipeline (the lock held): the deferred writes, in order, on cursors of their own."""
        deferred, self._deferred = self._deferred, None
        for query, params, many in deferred or ():
            cursor: AsyncCursor[Any] = AsyncCursor(self)
            if many:
                await self.wait(cursor._executemany_gen_pipeline(query, params, returning=False))
            else:
                await self.wait(cursor._execute_gen(query, params))

    async def commit(self) -> None:
        if not self._deferred:
            await super().commit()
            return
        if self._pipeline is not None:  # entering a pipeline sends them, and none is deferred in one
            raise ProgrammingError("a COMMIT would have gone out before the writes deferred ahead of it")
        await self.carry(None, commit=True)  # the deferred writes carry the COMMIT

    async def carry(self, statement: PQGen[Any] | None, *, commit: bool) -> None:
        """In one pipeline of our own, the connection's lock held, with one Sync: the deferred writes, then
        `statement` (a cursor's generator) if any, then the COMMIT if asked. Of the errors one failed
        statement causes, the first is raised: psycopg raises it while it sends, then, ending the pipeline,
        the `PipelineAborted` of those after it, which would hide it (a taken Idempotency-Key's
        `UniqueViolation` then looked like a database failure, a 503)."""
        try:
            async with self.lock, self._pipeline_nolock():
                await self._send_deferred()
                if statement is not None:
                    await self.wait(statement)
                if commit:
                    await self.wait(self._exec_command(b"COMMIT"))
        except PipelineAborted as aborted:
            raise first_error(aborted) from None

    async def rollback(self) -> None:
        self._deferred = None  # never sent: nothing of them to roll back
        await super().rollback()

    @asynccontextmanager
    async def pipeline(self) -> AsyncIterator[AsyncPipeline]:
        async with super().pipeline() as pipeline:
            if self._deferred:
                async with self.lock:
                    await self._send_deferred()
            yield pipeline

    async def send_deferred(self) -> None:
        """The deferred writes, now, in a pipeline of their own (before what cannot carry them: COPY)."""
        if self._deferred and self._pipeline is None:
            await self.carry(None, commit=False)


def first_error(aborted: PipelineAborted) -> Exception:
    """The error that aborted the pipeline (the first of the chain `aborted` ends), or `aborted` if none."""
    error: BaseException | None = aborted.__context__
    while isinstance(error, PipelineAborted):
        error = error.__context__
    return error if isinstance(error, psycopg.Error) else aborted


class _AbortedEcho(logging.Filter):
    """Drops psycopg's warning that it ignored a PipelineAborted as it ended a pipeline whose block raised:
    the error that aborted it is the one raised (a taken Idempotency-Key's replay, say), so the line only
    echoes it, once for every such replay."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.msg != "error ignored terminating %r: %s" or not isinstance(args, tuple) or len(args) != 2:
            return True
        return not isinstance(args[1], PipelineAborted)


logging.getLogger("psycopg").addFilter(_AbortedEcho())

_WRITE_VERB = re.compile(r"\)\s*(INSERT|UPDATE|DELETE|SELECT|MERGE)\b")


def _blind_insert(query: Query) -> bool:
    """An `INSERT` without `RETURNING`: its own (`INSERT INTO ...`), or after its common table expressions
    (`WITH ... (...) INSERT INTO ...`, the first verb outside their parentheses)."""
    if not isinstance(query, str) or "RETURNING" in query:
        return False
    if query.startswith("INSERT INTO "):
        return True
    return query.startswith("WITH ") and _inserts_after_ctes(query)


@lru_cache(maxsize=256)
def _inserts_after_ctes(query: str) -> bool:
    """Looked at once per statement (one of a few compiled statements, each run again and again): its
    characters one by one took 44 us for an ending's usage roll-up (1,600 characters)."""
    depth, outside = 0, []
    for char in query:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if depth == 0:
            outside.append(char)
    verb = _WRITE_VERB.search("".join(outside))
    return verb is not None and verb[1] == "INSERT"


class PipelinedBeginCursor(AsyncCursor[Row]):
    """Sends a transaction's first statement with its BEGIN (on a `PipelinedBeginConnection`)."""

    __slots__ = ()

    async def execute(
        self, query: Query, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        conn = self._conn
        if isinstance(conn, WatchedWrites):
            conn.note_statement(query)
        if not isinstance(conn, PipelinedBeginConnection) or conn._pipeline is not None or conn._autocommit:
            return await super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type]
        if not conn.commit_with_next and conn._defer(query, params, many=False):
            self._reset()  # no result: as after an INSERT
            return self
        commit, conn.commit_with_next = conn.commit_with_next, False
        if not commit and not conn._deferred and conn.pgconn.transaction_status != _IDLE:
            return await super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type]
        # As psycopg's executemany makes its pipeline: the lock held throughout, one Sync at the end.
        await conn.carry(self._execute_gen(query, params, prepare=prepare, binary=binary), commit=commit)
        return self

    async def executemany(self, query: Query, params_seq: Iterable[Any], *, returning: bool = False) -> None:
        conn = self._conn
        if isinstance(conn, WatchedWrites):
            conn.note_statement(query)
        if not isinstance(conn, PipelinedBeginConnection) or conn._autocommit:
            await super().executemany(query, params_seq, returning=returning)
            return
        commit, conn.commit_with_next = conn.commit_with_next, False
        if conn._pipeline is not None:  # someone else's pipeline: psycopg's way
            await super().executemany(query, params_seq, returning=returning)
            return
        if not commit and not returning and conn._defer(query, params_seq, many=True):
            self._reset()
            return
        if not commit and not conn._deferred:
            await super().executemany(query, params_seq, returning=returning)
            return
        # psycopg's executemany (always in a pipeline), with the deferred writes before it, and the COMMIT
        # (if it carries it) before its Sync
        await conn.carry(self._executemany_gen_pipeline(query, params_seq, returning), commit=commit)

    @asynccontextmanager
    async def copy(
        self, statement: Query, params: Params | None = None, *, writer: Any = None
    ) -> AsyncIterator[AsyncCopy]:
        if isinstance(self._conn, PipelinedBeginConnection):
            await self._conn.send_deferred()  # COPY cannot go in a pipeline
        async with super().copy(statement, params, writer=writer) as copy:
            yield copy


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


@contextmanager
def deferring_inserts(driver_connection: Any, *, any_statement: bool = False) -> Iterator[bool]:
    """While open, an `INSERT` without `RETURNING` on this DB-API connection waits for the transaction's
    next statement or its COMMIT (see the module's docstring), where it can (a `PipelinedBeginConnection`
    in a transaction: whether it can is what is yielded). For a caller whose transaction any error ends:
    the error of a deferred write is raised by whatever carries it. `any_statement`: every statement
    waits, whatever it is: for one whose answer no one reads (a check that fails the statement itself)."""
    if not isinstance(driver_connection, PipelinedBeginConnection) or driver_connection.autocommit:
        yield False
        return
    driver_connection.defer_inserts, driver_connection.defer_any = True, any_statement
    try:
        yield True
    finally:
        driver_connection.defer_inserts = driver_connection.defer_any = False
