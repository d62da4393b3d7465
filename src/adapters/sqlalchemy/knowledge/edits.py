"""The knowledge graph's edit log on SQLAlchemy (SQLite and PostgreSQL alike): rows written and read as
they are, without a mapping (an edit never changes)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.knowledge.tables import kg_edits
from agentry.application.knowledge.ports.edits import EditPosition
from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.knowledge.edits import KnowledgeEdit

k = kg_edits.c


class SqlAlchemyKnowledgeEdits:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, edit: KnowledgeEdit) -> None:
        await self._session.execute(
            insert(kg_edits).values(
                id=edit.id,
                project_id=edit.project_id,
                editor_id=edit.editor_id,
                fact=edit.fact,
                fact_id=edit.fact_id,
                action=edit.action,
                changes=dict(edit.changes),
                at=edit.at,
            )
        )

    async def of_editor(
        self, editor_id: UUID, scope: ProjectScope, after: EditPosition | None, limit: int
    ) -> list[KnowledgeEdit]:
        statement = select(kg_edits).where(k.editor_id == editor_id)
        if not scope.everything:
            statement = statement.where(k.project_id.in_(scope.project_ids))
        if after is not None:
            statement = statement.where(or_(k.at > after.at, and_(k.at == after.at, k.id > after.id)))
        statement = statement.order_by(k.at, k.id).limit(limit)
        return [
            KnowledgeEdit(row.id, row.project_id, row.editor_id, row.fact, row.fact_id, row.action, row.at, row.changes)
            for row in (await self._session.execute(statement)).all()
        ]

    async def forget_editor(self, editor_id: UUID) -> None:
        await self._session.execute(delete(kg_edits).where(k.editor_id == editor_id))
