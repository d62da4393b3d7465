"""The knowledge graph in memory: entities and relationships behind the graph's ports, with a unit of
work that commits a working copy (events taken from the aggregates then) and a rollback that throws it
away; tests/contract/test_knowledge_storage.py holds the SQL adapter to the same behaviour."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from agentry.adapters.sqlalchemy.knowledge.search import found_entity
from agentry.application.knowledge.ports.edits import EditPosition
from agentry.application.knowledge.ports.graph import (
    EdgeFilter,
    EntityQuery,
    NodeFilter,
    Position,
    RelationshipQuery,
)
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.search.ports import FoundEntity
from agentry.domain.events import Aggregate, DomainEvent
from agentry.domain.knowledge.edits import KnowledgeEdit
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus, search_term

F = TypeVar("F", Entity, Relationship)


@dataclass
class State:
    entities: dict[UUID, Entity] = field(default_factory=dict)
    relationships: dict[UUID, Relationship] = field(default_factory=dict)
    edits: list[KnowledgeEdit] = field(default_factory=list)


class KnowledgeDb:
    def __init__(self) -> None:
        self.committed = State()
        self.events: list[DomainEvent] = []


class KnowledgeSession:
    def __init__(self, db: KnowledgeDb) -> None:
        self.db = db
        self.work = copy.deepcopy(db.committed)
        self.removed: list[Aggregate] = []

    async def commit(self) -> None:
        for obj in [*self.work.entities.values(), *self.work.relationships.values(), *self.removed]:
            self.db.events += obj.pull_events()
        self.removed.clear()
        self.db.committed = copy.deepcopy(self.work)

    async def rollback(self) -> None:
        self.work = copy.deepcopy(self.db.committed)
        self.removed.clear()

    def unavailable(self, error: BaseException) -> bool:
        return isinstance(error, ConnectionError)


def _newest_first(facts: list[F], after: Position | None, limit: int) -> list[F]:
    facts.sort(key=lambda f: (f.created_at, f.id), reverse=True)
    if after is not None:
        facts = [f for f in facts if (f.created_at, f.id) < (after.created_at, after.id)]
    return facts[:limit]


def _term(text: str) -> str:
    return search_term(text)


class MemoryEntities:
    def __init__(self, session: KnowledgeSession) -> None:
        self._s = session

    async def add(self, entity: Entity) -> None:
        self._s.work.entities[entity.id] = entity

    async def get(self, entity_id: UUID) -> Entity | None:
        return self._s.work.entities.get(entity_id)

    async def page(self, query: EntityQuery) -> list[Entity]:
        q = _term(query.q or "")
        found = [
            x
            for x in self._s.work.entities.values()
            if x.project_id == query.project_id
            and not x.suppressed
            and (query.include_candidates or x.status is FactStatus.GRAPH)
            and (query.type is None or x.type == query.type)
            and (not q or q in x.terms)
        ]
        return _newest_first(found, query.after, query.limit)

    async def named(self, project_id: UUID, terms: Collection[str]) -> list[Entity]:
        wanted = {f"\n{_term(t)}\n" for t in terms if _term(t)}
        return [
            x
            for x in self._s.work.entities.values()
            if x.project_id == project_id and any(t in x.terms for t in wanted)
        ]

    async def mentioned_in(self, project_id: UUID, document_id: UUID) -> list[Entity]:
        return [
            x
            for x in self._s.work.entities.values()
            if x.project_id == project_id and any(m.document_id == document_id for m in x.sources)
        ]

    async def hold_graph(self, project_id: UUID) -> None:
        """One writer at a time here."""

    async def projects(self) -> list[UUID]:
        return sorted({x.project_id for x in self._s.work.entities.values()})

    async def remove(self, entity: Entity) -> None:
        self._s.removed.append(self._s.work.entities.pop(entity.id))


class MemoryRelationships:
    def __init__(self, session: KnowledgeSession) -> None:
        self._s = session

    async def add(self, relationship: Relationship) -> None:
        self._s.work.relationships[relationship.id] = relationship

    async def get(self, relationship_id: UUID) -> Relationship | None:
        return self._s.work.relationships.get(relationship_id)

    async def page(self, query: RelationshipQuery) -> list[Relationship]:
        found = [
            x
            for x in self._s.work.relationships.values()
            if x.project_id == query.project_id
            and not x.suppressed
            and (query.include_candidates or x.status is FactStatus.GRAPH)
            and (query.type is None or x.type == query.type)
            and (query.entity_id is None or query.entity_id in (x.source_id, x.target_id))
        ]
        return _newest_first(found, query.after, query.limit)

    async def touching(self, project_id: UUID, entity_ids: Collection[UUID]) -> list[Relationship]:
        ids = set(entity_ids)
        return [
            x
            for x in self._s.work.relationships.values()
            if x.project_id == project_id and (x.source_id in ids or x.target_id in ids)
        ]

    async def mentioned_in(self, project_id: UUID, document_id: UUID) -> list[Relationship]:
        return [
            x
            for x in self._s.work.relationships.values()
            if x.project_id == project_id and any(m.document_id == document_id for m in x.sources)
        ]

    async def remove(self, relationship: Relationship) -> None:
        self._s.removed.append(self._s.work.relationships.pop(relationship.id))


class MemoryKnowledgeEdits:
    def __init__(self, session: KnowledgeSession) -> None:
        self._s = session

    async def add(self, edit: KnowledgeEdit) -> None:
        self._s.work.edits.append(edit)

    async def of_editor(
        self, editor_id: UUID, scope: ProjectScope, after: EditPosition | None, limit: int
    ) -> list[KnowledgeEdit]:
        found = [
            e
            for e in self._s.work.edits
            if e.editor_id == editor_id
            and scope.includes(e.project_id)
            and (after is None or (e.at, e.id) > (after.at, after.id))
        ]
        return sorted(found, key=lambda e: (e.at, e.id))[:limit]

    async def forget_editor(self, editor_id: UUID) -> None:
        self._s.work.edits = [e for e in self._s.work.edits if e.editor_id != editor_id]


class MemoryGraphReads:
    def __init__(self, session: KnowledgeSession) -> None:
        self._s = session

    async def edges(self, project_id: UUID, entity_ids: Collection[UUID], where: EdgeFilter) -> list[Relationship]:
        ids = set(entity_ids)
        return [
            x
            for x in self._s.work.relationships.values()
            if x.project_id == project_id
            and not x.suppressed
            and (x.source_id in ids or x.target_id in ids)
            and (where.include_candidates or x.status is FactStatus.GRAPH)
            and (not where.relationship_types or x.type in where.relationship_types)
            and x.confidence >= where.min_confidence
        ]

    async def nodes(self, project_id: UUID, entity_ids: Collection[UUID], where: NodeFilter) -> list[Entity]:
        found = (self._s.work.entities.get(i) for i in set(entity_ids))
        return [
            x
            for x in found
            if x is not None
            and x.project_id == project_id
            and not x.suppressed
            and (where.include_candidates or x.status is FactStatus.GRAPH)
            and (not where.entity_types or x.type in where.entity_types)
        ]


class MemorySearchableEntities:
    """SearchableEntities over the committed entities, as the SQL adapter matches them."""

    def __init__(self, db: KnowledgeDb) -> None:
        self._db = db

    async def matching(self, project_id: UUID, words: Sequence[str], k: int) -> list[FoundEntity]:
        wanted = [w.casefold() for w in words if w.strip()]
        found = [
            x
            for x in sorted(self._db.committed.entities.values(), key=lambda x: (x.created_at, x.id), reverse=True)
            if x.project_id == project_id
            and not x.suppressed
            and x.status == FactStatus.GRAPH
            and any(w in x.terms or w in x.type.casefold() or w in x.description.casefold() for w in wanted)
        ]
        return [found_entity(x) for x in found[:k]]

    async def by_ids(self, project_id: UUID, ids: Sequence[UUID]) -> list[FoundEntity]:
        found = (self._db.committed.entities.get(i) for i in dict.fromkeys(ids))
        return [
            found_entity(x)
            for x in found
            if x is not None and x.project_id == project_id and not x.suppressed and x.status == FactStatus.GRAPH
        ]
