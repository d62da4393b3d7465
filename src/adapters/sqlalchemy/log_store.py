"""The execution log, written and read with Core statements: lines are appended in batches, never edited."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqlalchemy.tables import execution_logs
from domain.logs import LogLine

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


ROWS_PER_INSERT = 1_000


class SqlAlchemyLogStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, lines: Sequence[LogLine]) -> None:
        if not lines:
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
        # Multi-row INSERTs: one statement per chunk, not one per line; chunks keep the bound
        # parameters under the databases' limits (SQLite 32,766, PostgreSQL 65,535).
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await self._session.execute(insert(execution_logs).values(rows[start : start + ROWS_PER_INSERT]))

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
