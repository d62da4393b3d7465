"""The knowledge graph's entities as project search sees them, on SQLAlchemy (SQLite and PostgreSQL
alike): the project's graph entities, not deleted, whose search terms (names and aliases), type or
description (extracted or overridden) hold one of the words as a substring, lower-cased (SQLite folds
ASCII only). A superset the search use case scores and filters again. And the entities the names' vector
index found, by id, under the same conditions (the index may hold a candidate's or a deleted entity's
vector)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.knowledge.tables import kg_entities
from agentry.application.search.ports import EntitySpan, FoundEntity
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.values import FactStatus

WORDS_MAX = 16
IDS_MAX = 500  # ids per statement, well under SQLite's 32766 bound parameters
e = kg_entities.c


def found_entity(entity: Entity) -> FoundEntity:
    return FoundEntity(
        entity.id,
        entity.name,
        entity.type,
        entity.aliases,
        entity.description,
        tuple(EntitySpan(m.document_id, m.chunk_id, m.start, m.end, m.extractor) for m in entity.sources),
    )


class SqlAlchemySearchableEntities:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def matching(self, project_id: UUID, words: Sequence[str], k: int) -> list[FoundEntity]:
        wanted = [w.casefold() for w in words if w.strip()][:WORDS_MAX]
        if not wanted:
            return []
        any_of = or_(
            *(
                or_(
                    e.terms.contains(w, autoescape=True),
                    func.lower(e.type).contains(w, autoescape=True),
                    func.lower(e.extracted_description).contains(w, autoescape=True),
                    func.lower(cast(e.overrides, Text)).contains(w, autoescape=True),
                )
                for w in wanted
            )
        )
        statement = (
            select(Entity)
            .where(e.project_id == project_id, e.suppressed.is_(False), e.status == FactStatus.GRAPH, any_of)
            .order_by(e.created_at.desc(), e.id.desc())
            .limit(k)
        )
        return [found_entity(x) for x in (await self._session.execute(statement)).scalars()]

    async def by_ids(self, project_id: UUID, ids: Sequence[UUID]) -> list[FoundEntity]:
        wanted = list(dict.fromkeys(ids))
        found: list[FoundEntity] = []
        for at in range(0, len(wanted), IDS_MAX):
            statement = select(Entity).where(
                e.project_id == project_id,
                e.id.in_(wanted[at : at + IDS_MAX]),
                e.suppressed.is_(False),
                e.status == FactStatus.GRAPH,
            )
            found.extend(found_entity(x) for x in (await self._session.execute(statement)).scalars())
        return found
