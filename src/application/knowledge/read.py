"""Reading a project's entities and relationships: one by id, or a page (filters, newest first, by cursor)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from agentry.application.access import require_existing_project
from agentry.application.knowledge.access import require_reader, visible_entity, visible_relationship
from agentry.application.knowledge.cursor import decode_cursor, encode_cursor
from agentry.application.knowledge.ports.graph import (
    EntityQuery,
    EntityRepository,
    RelationshipQuery,
    RelationshipRepository,
)
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus
from agentry.domain.principal import Principal

LIST_LIMIT_MAX = 200


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise InvalidValue("limit", f"from 1 to {LIST_LIMIT_MAX}")


@dataclass(frozen=True, slots=True)
class EntityPage:
    entities: list[Entity]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListEntities:
    """Search by a part of a name or alias (`q`, case and spacing aside) and by type; candidates only
    when asked for."""

    entities: EntityRepository
    policy: AccessPolicy
    projects: ProjectRepository

    async def __call__(self, actor: Principal, query: EntityQuery, cursor: str | None = None) -> EntityPage:
        require_reader(self.policy, actor, query.project_id)
        await require_existing_project(self.projects, query.project_id)
        _check_limit(query.limit)
        after = decode_cursor("entities", cursor) if cursor else None
        found, next_cursor = await fetch_page(
            lambda n: self.entities.page(replace(query, after=after, limit=n)),
            query.limit,
            lambda last: encode_cursor("entities", last.created_at, last.id),
        )
        return EntityPage(found, next_cursor)


@dataclass(frozen=True, slots=True)
class GetEntity:
    entities: EntityRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID, entity_id: UUID) -> Entity:
        require_reader(self.policy, actor, project_id)
        return await visible_entity(self.entities, project_id, entity_id)


@dataclass(frozen=True, slots=True)
class RelationshipPage:
    relationships: list[Relationship]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListRelationships:
    relationships: RelationshipRepository
    policy: AccessPolicy
    projects: ProjectRepository

    async def __call__(self, actor: Principal, query: RelationshipQuery, cursor: str | None = None) -> RelationshipPage:
        require_reader(self.policy, actor, query.project_id)
        await require_existing_project(self.projects, query.project_id)
        _check_limit(query.limit)
        after = decode_cursor("relationships", cursor) if cursor else None
        found, next_cursor = await fetch_page(
            lambda n: self.relationships.page(replace(query, after=after, limit=n)),
            query.limit,
            lambda last: encode_cursor("relationships", last.created_at, last.id),
        )
        return RelationshipPage(found, next_cursor)


@dataclass(frozen=True, slots=True)
class GetRelationship:
    relationships: RelationshipRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID, relationship_id: UUID) -> Relationship:
        require_reader(self.policy, actor, project_id)
        return await visible_relationship(self.relationships, project_id, relationship_id)


@dataclass(frozen=True, slots=True)
class WatchKnowledge:
    """May the actor hear a project's entity and relationship events live? Whoever may read them may."""

    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID) -> bool:
        return self.policy.allows(actor, Action.READ_KNOWLEDGE, Resource.of_project(project_id))


@dataclass(frozen=True, slots=True)
class RelationshipsOf:
    """The graph relationships (not suppressed, no candidate unless asked) touching each of several of a
    project's entities, read in one go: what a page of entities with their relationships needs."""

    relationships: RelationshipRepository
    policy: AccessPolicy

    async def __call__(
        self, actor: Principal, project_id: UUID, entity_ids: Sequence[UUID], include_candidates: bool = False
    ) -> dict[UUID, list[Relationship]]:
        require_reader(self.policy, actor, project_id)
        wanted = set(entity_ids)
        found: dict[UUID, list[Relationship]] = {i: [] for i in wanted}
        touching = await self.relationships.touching(project_id, wanted)
        for relationship in sorted(touching, key=lambda x: (x.created_at, x.id), reverse=True):
            if relationship.suppressed or (relationship.status != FactStatus.GRAPH and not include_candidates):
                continue
            for end in {relationship.source_id, relationship.target_id} & wanted:
                found[end].append(relationship)
        return found
