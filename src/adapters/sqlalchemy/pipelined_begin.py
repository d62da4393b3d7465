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
autocommit are as psycopg makes them."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection, AsyncCursor, pq
from psycopg.abc import PQGen, Query
from psycopg.rows import Row

_IDLE = pq.TransactionStatus.IDLE


class PipelinedBeginConnection(AsyncConnection[Row]):
    def _start_query(self) -> PQGen[None]:
        if self._pipeline is not None and not self._autocommit and self.pgconn.transaction_status == _IDLE:
            # Queued: BEGIN goes out with the statement after it; its result is checked at the Sync.
            yield from self._exec_command(self._get_tx_start_command())
            return
        yield from super()._start_query()


class PipelinedBeginCursor(AsyncCursor[Row]):
    """Sends a transaction's first statement with its BEGIN (on a `PipelinedBeginConnection`)."""

    __slots__ = ()

    async def execute(
        self, query: Query, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
    ) -> Any:
        conn = self._conn
        if (
            conn._pipeline is not None
            or conn._autocommit
            or conn.pgconn.transaction_status != _IDLE
            or not isinstance(conn, PipelinedBeginConnection)
        ):
            return await super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type]
        # As psycopg's executemany makes its pipeline: the lock held throughout, one Sync at the end.
        async with conn.lock, conn._pipeline_nolock():
            await conn.wait(self._execute_gen(query, params, prepare=prepare, binary=binary))
        return self
