"""A task read to answer with, not to change: one Core statement, its row made into the domain object
without the ORM's loading (no identity map, no session state; a GET's commonest read)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.tasks.tables import tasks
from agentry.domain.tasks.task import AgentTask

# The mapped attributes' names, in the columns' order: each column's, but the version's (mapped as _version).
_NAMES = tuple("_version" if column.name == "version" else column.name for column in tasks.columns)
_BY_ID = select(*tasks.columns).where(tasks.c.id == bindparam("task_id"))


async def read_task(session: AsyncSession, task_id: UUID) -> AgentTask | None:
    """The task as committed (or as this session wrote it), a transient object the session does not hold:
    no later flush writes it, and it is not the object a `get` of the same session returns."""
    row = (await session.execute(_BY_ID, {"task_id": task_id})).first()
    return None if row is None else task_of(row)


def task_of(row: Any) -> AgentTask:
    manager = inspect(AgentTask).class_manager
    task: AgentTask = manager.new_instance()
    task.__dict__.update(zip(_NAMES, row, strict=True))
    return task
