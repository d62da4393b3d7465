"""Entities and relationships on SQLAlchemy (SQLite and PostgreSQL alike), and the batched reads the graph
walks make: each level of a walk is one statement over the relationships' end indexes and one over the
entities' primary key.

The link step's lookups (entities by name, facts by a document they mention) use PostgreSQL's GIN indexes
there (see tables.py: `&&` over the names, `@>` over the mentions); SQLite matches the same rows by text
within the project."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Text, and_, cast, func, literal, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, array
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.knowledge.tables import TERM_LIST, kg_entities, kg_relationships
from agentry.adapters.sqlalchemy.project_share import on_postgresql, project_share
from agentry.application.knowledge.ports.graph import (
    EdgeFilter,
    EntityQuery,
    NodeFilter,
    Position,
    RelationshipQuery,
)
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus, search_term

e = kg_entities.c
r = kg_relationships.c
BATCH = 500  # ids per IN list: well under SQLite's bound parameter limit
GRAPH_LOCKS = 0x6EA9  # the first key of a project graph's pg_advisory_xact_lock(int, int); the second from its id


def _term(text: str) -> str:
    return search_term(text)


def _older_than(created_at: Any, id_: Any, after: Position | None) -> ColumnElement[bool] | None:
    if after is None:
        return None
    return or_(created_at < after.created_at, and_(created_at == after.created_at, id_ < after.id))


def _batches(ids: Collection[UUID]) -> Iterable[list[UUID]]:
    listed = list(ids)
    for start in range(0, len(listed), BATCH):
        yield listed[start : start + BATCH]


class SqlAlchemyEntities:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entity: Entity) -> None:
        self._session.add(entity)
        await self._session.flush()

    async def get(self, entity_id: UUID) -> Entity | None:
        return await self._session.get(Entity, entity_id)

    async def page(self, query: EntityQuery) -> list[Entity]:
        statement = select(Entity).where(e.project_id == query.project_id, e.suppressed.is_(False))
        if not query.include_candidates:
            statement = statement.where(e.status == FactStatus.GRAPH)
        if query.type is not None:
            statement = statement.where(e.type == query.type)
        if query.q and _term(query.q):
            statement = statement.where(e.terms.contains(_term(query.q), autoescape=True))
        if (older := _older_than(e.created_at, e.id, query.after)) is not None:
            statement = statement.where(older)
        statement = statement.order_by(e.created_at.desc(), e.id.desc()).limit(query.limit)
        return list((await self._session.execute(statement)).scalars())

    async def named(self, project_id: UUID, terms: Collection[str]) -> list[Entity]:
        wanted = [t for t in dict.fromkeys(_term(t) for t in terms) if t]
        if not wanted:
            return []
        found: dict[UUID, Entity] = {}
        for start in range(0, len(wanted), 100):
            batch = wanted[start : start + 100]
            if on_postgresql(self._session):
                any_of = type_coerce(TERM_LIST, ARRAY(Text)).overlap(cast(array(batch), ARRAY(Text)))
            else:
                any_of = or_(*(e.terms.contains(f"\n{t}\n", autoescape=True) for t in batch))
            statement = select(Entity).where(e.project_id == project_id, any_of)
            for entity in (await self._session.execute(statement)).scalars():
                found[entity.id] = entity
        return list(found.values())

    async def mentioned_in(self, project_id: UUID, document_id: UUID) -> list[Entity]:
        statement = select(Entity).where(e.project_id == project_id, _mentioning(self._session, e.sources, document_id))
        return [x for x in (await self._session.execute(statement)).scalars() if _mentions(x, document_id)]

    async def hold_graph(self, project_id: UUID) -> None:
        """PostgreSQL, in one statement: a share of the project's row (FOR KEY SHARE), then the project's advisory
        lock for graph writers (two projects may share one: they wait, no more). The share comes first, as in an
        ingestion step: a project's deletion locks the project, then its cascade takes the facts, so a writer
        that held facts before it took the share (recording an edit takes it) deadlocked with the deletion.
        Of a project gone, nothing is locked. SQLite's one writer at a time holds the whole database already."""
        if on_postgresql(self._session):
            key = int.from_bytes(project_id.bytes[-4:], "big", signed=True)
            project = project_share(project_id).cte("project")  # scanned, and so locked, before the function runs
            await self._session.execute(select(func.pg_advisory_xact_lock(GRAPH_LOCKS, key)).select_from(project))

    async def projects(self) -> list[UUID]:
        statement = select(e.project_id).distinct().order_by(e.project_id)
        return list((await self._session.execute(statement)).scalars())

    async def remove(self, entity: Entity) -> None:
        await self._session.flush()  # what points at it (relationships moved by a merge) first
        await self._session.delete(entity)
        await self._session.flush()


class SqlAlchemyRelationships:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, relationship: Relationship) -> None:
        self._session.add(relationship)
        await self._session.flush()

    async def get(self, relationship_id: UUID) -> Relationship | None:
        return await self._session.get(Relationship, relationship_id)

    async def page(self, query: RelationshipQuery) -> list[Relationship]:
        statement = select(Relationship).where(r.project_id == query.project_id, r.suppressed.is_(False))
        if not query.include_candidates:
            statement = statement.where(r.status == FactStatus.GRAPH)
        if query.entity_id is not None:
            statement = statement.where(or_(r.source_id == query.entity_id, r.target_id == query.entity_id))
        if query.type is not None:
            statement = statement.where(r.type == query.type)
        if (older := _older_than(r.created_at, r.id, query.after)) is not None:
            statement = statement.where(older)
        statement = statement.order_by(r.created_at.desc(), r.id.desc()).limit(query.limit)
        return list((await self._session.execute(statement)).scalars())

    async def touching(self, project_id: UUID, entity_ids: Collection[UUID]) -> list[Relationship]:
        found: dict[UUID, Relationship] = {}
        for batch in _batches(entity_ids):
            # The project is checked on the rows, so SQLite uses the end indexes (see SqlAlchemyGraphReads).
            statement = select(Relationship).where(or_(r.source_id.in_(batch), r.target_id.in_(batch)))
            for relationship in (await self._session.execute(statement)).scalars():
                if relationship.project_id == project_id:
                    found[relationship.id] = relationship
        return list(found.values())

    async def mentioned_in(self, project_id: UUID, document_id: UUID) -> list[Relationship]:
        statement = select(Relationship).where(
            r.project_id == project_id, _mentioning(self._session, r.sources, document_id)
        )
        return [x for x in (await self._session.execute(statement)).scalars() if _mentions(x, document_id)]

    async def remove(self, relationship: Relationship) -> None:
        await self._session.delete(relationship)
        await self._session.flush()


class SqlAlchemyGraphReads:
    """The project is checked on the rows read, not in the statement: with it there, SQLite (whose planner
    has no statistics) walks the project's index, every relationship of the project, instead of the end
    and primary key indexes (1.4 s instead of milliseconds a level on 500k relationships)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def edges(self, project_id: UUID, entity_ids: Collection[UUID], where: EdgeFilter) -> list[Relationship]:
        found: dict[UUID, Relationship] = {}
        for batch in _batches(entity_ids):
            statement = select(Relationship).where(
                r.suppressed.is_(False), or_(r.source_id.in_(batch), r.target_id.in_(batch))
            )
            if not where.include_candidates:
                statement = statement.where(r.status == FactStatus.GRAPH)
            if where.relationship_types:
                statement = statement.where(r.type.in_(sorted(where.relationship_types)))
            if where.min_confidence > 0:
                statement = statement.where(r.confidence >= where.min_confidence)
            for relationship in (await self._session.execute(statement)).scalars():
                if relationship.project_id == project_id:
                    found[relationship.id] = relationship
        return list(found.values())

    async def nodes(self, project_id: UUID, entity_ids: Collection[UUID], where: NodeFilter) -> list[Entity]:
        found: list[Entity] = []
        for batch in _batches(entity_ids):
            statement = select(Entity).where(e.suppressed.is_(False), e.id.in_(batch))
            if not where.include_candidates:
                statement = statement.where(e.status == FactStatus.GRAPH)
            if where.entity_types:
                statement = statement.where(e.type.in_(sorted(where.entity_types)))
            found += (x for x in (await self._session.execute(statement)).scalars() if x.project_id == project_id)
        return found


def _mentioning(session: AsyncSession, sources: ColumnElement[Any], document_id: UUID) -> ColumnElement[bool]:
    """The facts with a mention of the document (and, on SQLite, maybe a few more: the caller checks)."""
    if on_postgresql(session):
        return sources.op("@>")(literal([[str(document_id)]], JSONB))
    return cast(sources, Text).contains(str(document_id), autoescape=True)


def _mentions(fact: Entity | Relationship, document_id: UUID) -> bool:
    return any(m.document_id == document_id for m in fact.sources)
