"""The ports of the knowledge graph: where entities and relationships are kept, and the batched reads the
graph queries walk (one statement per level of a breadth-first walk)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: newest first, the facts older than this."""

    created_at: datetime
    id: UUID


@dataclass(frozen=True, slots=True)
class EntityQuery:
    project_id: UUID
    q: str | None = None  # a part of its name or of an alias, case and spacing aside
    type: str | None = None
    include_candidates: bool = False
    after: Position | None = None
    limit: int = 50


@dataclass(frozen=True, slots=True)
class RelationshipQuery:
    project_id: UUID
    entity_id: UUID | None = None  # either end
    type: str | None = None
    include_candidates: bool = False
    after: Position | None = None
    limit: int = 50


class EntityRepository(Protocol):
    async def add(self, entity: Entity) -> None: ...

    async def get(self, entity_id: UUID) -> Entity | None:
        """The entity, suppressed or not (the use cases decide what a suppressed one is)."""
        ...

    async def page(self, query: EntityQuery) -> list[Entity]:
        """Up to `query.limit` entities of the project, not suppressed, matching the query, newest first."""
        ...

    async def named(self, project_id: UUID, terms: Collection[str]) -> list[Entity]:
        """The project's entities (suppressed too) one of whose names or aliases is one of `terms`
        (each case-folded, spacing collapsed: values.search_terms)."""
        ...

    async def mentioned_in(self, project_id: UUID, document_id: UUID) -> list[Entity]:
        """The project's entities with a mention in the document."""
        ...

    async def hold_graph(self, project_id: UUID) -> None:
        """Wait for, then hold until the transaction ends, the project's graph: the writers that change many of
        its facts at once (a link step's merge, a document's forgetting, merging or deleting entities) take it
        before they read, so they take turns instead of each holding some facts' rows while it waits for the
        other's (a deadlock). It also waits for a deletion of the project that began first."""
        ...

    async def projects(self) -> list[UUID]:
        """The projects that hold entities (suppressed ones count), in id order."""
        ...

    async def remove(self, entity: Entity) -> None: ...


class RelationshipRepository(Protocol):
    async def add(self, relationship: Relationship) -> None: ...

    async def get(self, relationship_id: UUID) -> Relationship | None: ...

    async def page(self, query: RelationshipQuery) -> list[Relationship]: ...

    async def touching(self, project_id: UUID, entity_ids: Collection[UUID]) -> list[Relationship]:
        """The project's relationships, suppressed too, with an end among `entity_ids`."""
        ...

    async def mentioned_in(self, project_id: UUID, document_id: UUID) -> list[Relationship]: ...

    async def remove(self, relationship: Relationship) -> None: ...


@dataclass(frozen=True, slots=True)
class EdgeFilter:
    relationship_types: frozenset[str] = frozenset()  # none: any
    min_confidence: float = 0.0
    include_candidates: bool = False


@dataclass(frozen=True, slots=True)
class NodeFilter:
    entity_types: frozenset[str] = frozenset()  # none: any
    include_candidates: bool = False


class GraphReads(Protocol):
    """What a walk reads, a level at a time."""

    async def edges(self, project_id: UUID, entity_ids: Collection[UUID], where: EdgeFilter) -> list[Relationship]:
        """The relationships, not suppressed and passing the filter, with an end among `entity_ids`."""
        ...

    async def nodes(self, project_id: UUID, entity_ids: Collection[UUID], where: NodeFilter) -> list[Entity]:
        """Those of the entities that are the project's, not suppressed and pass the filter."""
        ...
