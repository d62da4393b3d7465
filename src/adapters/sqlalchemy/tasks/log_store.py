"""The execution log, written and read with Core statements: lines are appended in batches, never edited.

On PostgreSQL a batch goes in on the session's own connection (so in its transaction), straight
through the driver: a large one with COPY, about 2.5 times the lines per second of the pipelined
INSERT it replaced (52,000–65,000 against 23,000–34,000 in batches of 200, measured side by side);
a small one (a run's first words, an ending's few lines: most batches) with one multi-row INSERT,
one round trip where COPY takes two (none of its own in a transaction: it goes with the next statement),
and less client CPU: 0.25–0.27 against 0.32–0.39 ms a batch of
1–3 lines with its commit, the same at 6, 0.48 against 0.41 at 12 (bench/log_batches.py, load 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from agentry.adapters.sqlalchemy.pipelined_begin import deferring_inserts
from agentry.adapters.sqlalchemy.tasks.tables import execution_logs
from agentry.adapters.sqlalchemy.unit_of_work import execute, translate
from agentry.domain.tasks.logs import LogLine

_COLUMNS = (
    execution_logs.c.task_id,
    execution_logs.c.execution_id,
    execution_logs.c.execution_number,
    execution_logs.c.sequence,
    execution_logs.c.at,
    execution_logs.c.kind,
    execution_logs.c.message,
    execution_logs.c.level,
    execution_logs.c.data,
)


_INSERT = insert(execution_logs)
_NAMES = ", ".join(column.name for column in _COLUMNS)
_COPY = f"COPY {execution_logs.name} ({_NAMES}) FROM STDIN"
# Up to this many lines a batch is one INSERT (its text made once per size, then prepared by the
# driver as any statement it sees often); past it, COPY, which costs less client CPU from about 6 lines.
INSERT_MAX_LINES = 4
_ROW = f"({', '.join(['%s'] * len(_COLUMNS))})"
_INSERTS = [
    f"INSERT INTO {execution_logs.name} ({_NAMES}) VALUES {', '.join([_ROW] * n)}" for n in range(INSERT_MAX_LINES + 1)
]


class SqlAlchemyLogStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, lines: Sequence[LogLine]) -> None:
        if not lines:
            return
        connection = await self._session.connection()
        if connection.dialect.name == "postgresql":
            await self._write(connection, lines)
            return
        rows = [
            {
                "task_id": line.task_id,
                "execution_id": line.execution_id,
                "execution_number": line.execution_number,
                "sequence": line.sequence,
                "at": line.at,
                "kind": line.kind,
                "message": line.message,
                "level": line.level,
                "data": line.data,
            }
            for line in lines
        ]
        # executemany of one cached statement (psycopg pipelines it). A multi-row VALUES insert
        # would be compiled anew for every batch: measured 2.5 times the CPU.
        await execute(self._session, _INSERT, rows)

    async def _write(self, connection: AsyncConnection, lines: Sequence[LogLine]) -> None:
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None, "a connection checked out of the pool has its driver's"
        statement = _INSERTS[len(lines)] if len(lines) <= INSERT_MAX_LINES else _COPY
        try:
            async with driver.cursor() as cursor:
                if statement is _COPY:
                    async with cursor.copy(_COPY) as copy:
                        for line in lines:
                            await copy.write_row(_row(line))
                else:  # in a transaction, it goes out with the next statement or the COMMIT (pipelined_begin.py)
                    with deferring_inserts(driver):
                        await cursor.execute(statement, [value for line in lines for value in _row(line)])
        except psycopg.Error as error:  # the same port errors as a statement through the session
            wrapped = DBAPIError.instance(statement, None, error, psycopg.Error)  # OperationalError, IntegrityError…
            raise translate(wrapped, self._session) from error

    async def read(self, task_id: UUID, execution_number: int, after: int, limit: int) -> list[LogLine]:
        query = (
            select(*_COLUMNS)
            .where(
                execution_logs.c.task_id == task_id,
                execution_logs.c.execution_number == execution_number,
                execution_logs.c.sequence > after,
            )
            .order_by(execution_logs.c.sequence)
            .limit(limit)
        )
        return [LogLine(*row) for row in (await self._session.execute(query)).all()]


def _row(line: LogLine) -> tuple[object, ...]:
    return (
        line.task_id,
        line.execution_id,
        line.execution_number,
        line.sequence,
        line.at,
        str(line.kind),
        line.message,
        str(line.level),
        Jsonb(line.data),
    )
