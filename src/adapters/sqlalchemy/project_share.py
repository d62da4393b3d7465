"""A share of a project's row (FOR KEY SHARE, PostgreSQL), taken by writers under the project before any
row of their own: a project's deletion locks the project's row before its cascade takes the rows under
it, so a writer that holds the share is waited for, and one that comes after the deletion waits, then
finds its rows gone. Neither waits for the other while holding what the other needs (the deadlocks of
an ingestion step, a document's deletion and the graph's writers against a project's deletion)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.projects.tables import projects


def on_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def project_share(project_id: UUID | ColumnElement[Any]) -> Select[tuple[UUID]]:
    """The project's id, its row shared when read (`project_id`: the id, or a scalar subquery selecting it)."""
    return select(projects.c.id).where(projects.c.id == project_id).with_for_update(read=True, key_share=True)
