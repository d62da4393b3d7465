from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.tasks.tables import task_results, tasks
from agentry.application.tasks.ports.agent_gateway import Exchange
from agentry.domain.tasks.results import TaskResult


def _chain_statement() -> Select[Any]:
    """A task and the ones it follows, walked in the database (recursive CTE), each with its answer."""
    link = (
        select(tasks.c.id, tasks.c.follows_task_id, literal(1).label("depth"))
        .where(tasks.c.id == bindparam("start"))
        .cte("chain", recursive=True)
    )
    earlier = tasks.alias("earlier")
    link = link.union_all(
        select(earlier.c.id, earlier.c.follows_task_id, link.c.depth + 1)
        .join(link, earlier.c.id == link.c.follows_task_id)
        .where(link.c.depth < bindparam("limit"))
    )
    return (
        select(tasks.c.prompt, func.coalesce(task_results.c.output, ""))
        .select_from(link)
        .join(tasks, tasks.c.id == link.c.id)
        .outerjoin(task_results, task_results.c.task_id == link.c.id)
        .order_by(link.c.depth.desc())
    )


_CHAIN = _chain_statement()


class SqlAlchemyResultRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, result: TaskResult) -> None:
        self._session.add(result)

    async def get(self, task_id: UUID) -> TaskResult | None:
        return await self._session.get(TaskResult, task_id)

    async def chain(self, task_id: UUID, limit: int) -> list[Exchange]:
        if limit <= 0:
            return []
        rows = await self._session.execute(_CHAIN, {"start": task_id, "limit": limit})
        return [Exchange(row[0], row[1]) for row in rows]
