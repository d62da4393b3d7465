"""A project's maintainers merge entities (one thing read under several names), split one (two things
read under one name) and delete entities and relationships.

Merge: the others' mentions and names join the kept entity, their relationships point at it (an edge
that would join it to itself goes; one it already has absorbs the copy), and the others are removed.
Split: the named aliases and mentions move to a new entity; the relationships stay. Delete suppresses:
the fact is gone for every reader and no later extraction brings it back; an entity's relationships go
with it. Each act is recorded with who did it (the edit log)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from agentry.application.knowledge.access import require_to, visible_entity, visible_relationship
from agentry.application.knowledge.ports.edits import KnowledgeEditLog
from agentry.application.knowledge.ports.graph import EntityRepository, RelationshipRepository
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.edits import EditAction, FactKind, KnowledgeEdit
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import Mention
from agentry.domain.principal import Principal

MERGE_MAX = 100


@dataclass(frozen=True, slots=True)
class MergeEntities:
    entities: EntityRepository
    relationships: RelationshipRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(self, actor: Principal, project_id: UUID, kept_id: UUID, others: Sequence[UUID]) -> Entity:
        require_to(self.policy, actor, Action.CURATE_KNOWLEDGE, project_id)
        if not 1 <= len(set(others)) <= MERGE_MAX:
            raise InvalidValue("others", f"from 1 to {MERGE_MAX} entities")
        await self.entities.hold_graph(project_id)  # a link step may be writing these entities
        kept = await visible_entity(self.entities, project_id, kept_id)
        merged = []
        for other_id in dict.fromkeys(others):
            other = await self.entities.get(other_id)
            if other is None or other.project_id != project_id or other.suppressed:
                raise InvalidValue("others", f"no entity {other_id} in this project")
            merged.append(other)
        now = self.clock.now()
        kept.merge(merged, now)
        merged_ids = {other.id for other in merged}
        existing: dict[tuple[UUID, UUID, str], Relationship] = {}
        for relationship in sorted(
            await self.relationships.touching(project_id, [kept.id, *merged_ids]), key=lambda r: r.created_at
        ):
            relationship.repoint(merged_ids, kept.id, now)
            key = (relationship.source_id, relationship.target_id, relationship.type)
            if relationship.suppressed:
                continue
            if relationship.is_loop:
                relationship.delete(now)
            elif key in existing:
                existing[key].absorb(relationship, now)
                relationship.delete(now)
            else:
                existing[key] = relationship
        for other in merged:
            await self.entities.remove(other)
        changes = {"merged": [str(other.id) for other in merged]}
        await self.edits.add(
            KnowledgeEdit(
                self.ids.new_id(), project_id, actor.id, FactKind.ENTITY, kept.id, EditAction.MERGED, now, changes
            )
        )
        await self.uow.commit()
        return kept


@dataclass(frozen=True, slots=True)
class SplitEntity:
    entities: EntityRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(
        self,
        actor: Principal,
        project_id: UUID,
        entity_id: UUID,
        new: EntityEdit,
        aliases: Sequence[str],
        sources: Sequence[Mention],
    ) -> tuple[Entity, Entity]:
        """The entity as it is now, and the new one."""
        require_to(self.policy, actor, Action.CURATE_KNOWLEDGE, project_id)
        entity = await visible_entity(self.entities, project_id, entity_id)
        now = self.clock.now()
        split_off = entity.split(self.ids.new_id(), new, aliases, sources, now)
        await self.entities.add(split_off)
        changes = {"split_off": str(split_off.id), "aliases": list(aliases), "mentions": len(split_off.sources)}
        await self.edits.add(
            KnowledgeEdit(
                self.ids.new_id(), project_id, actor.id, FactKind.ENTITY, entity.id, EditAction.SPLIT, now, changes
            )
        )
        await self.uow.commit()
        return entity, split_off


@dataclass(frozen=True, slots=True)
class DeleteEntity:
    entities: EntityRepository
    relationships: RelationshipRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(self, actor: Principal, project_id: UUID, entity_id: UUID) -> None:
        require_to(self.policy, actor, Action.CURATE_KNOWLEDGE, project_id)
        await self.entities.hold_graph(project_id)  # a document's forgetting may be writing these facts
        entity = await visible_entity(self.entities, project_id, entity_id)
        now = self.clock.now()
        entity.delete(now)
        for relationship in await self.relationships.touching(project_id, [entity.id]):
            relationship.delete(now)
        await self.edits.add(
            KnowledgeEdit(self.ids.new_id(), project_id, actor.id, FactKind.ENTITY, entity.id, EditAction.DELETED, now)
        )
        await self.uow.commit()


@dataclass(frozen=True, slots=True)
class DeleteRelationship:
    relationships: RelationshipRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(self, actor: Principal, project_id: UUID, relationship_id: UUID) -> None:
        require_to(self.policy, actor, Action.CURATE_KNOWLEDGE, project_id)
        relationship = await visible_relationship(self.relationships, project_id, relationship_id)
        now = self.clock.now()
        relationship.delete(now)
        await self.edits.add(
            KnowledgeEdit(
                self.ids.new_id(), project_id, actor.id, FactKind.RELATIONSHIP, relationship.id, EditAction.DELETED, now
            )
        )
        await self.uow.commit()
