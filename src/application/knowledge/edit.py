"""A project's members create entities and relationships and correct them. What they set is kept as
overrides, apart from what extraction found, so a new extraction never undoes a correction. Each act is
also recorded with who did it (the edit log, which the account export shows them)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require_existing_project
from agentry.application.knowledge.access import require_to, visible_entity, visible_relationship
from agentry.application.knowledge.ports.edits import KnowledgeEditLog
from agentry.application.knowledge.ports.graph import EntityRepository, RelationshipRepository
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.edits import EditAction, FactKind, KnowledgeEdit, override_changes
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class CreateEntity:
    """The project must exist: an administrator may act on any project id, so the rights alone do not
    say that it does."""

    entities: EntityRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    projects: ProjectRepository
    edits: KnowledgeEditLog

    async def __call__(self, actor: Principal, project_id: UUID, edit: EntityEdit) -> Entity:
        require_to(self.policy, actor, Action.EDIT_KNOWLEDGE, project_id)
        await require_existing_project(self.projects, project_id)
        now = self.clock.now()
        entity = Entity.create(self.ids.new_id(), project_id, edit, now)
        await self.entities.add(entity)
        await self.edits.add(
            KnowledgeEdit(
                self.ids.new_id(), project_id, actor.id, FactKind.ENTITY, entity.id, EditAction.CREATED, now,
                override_changes(entity.overrides),
            )
        )  # fmt: skip
        await self.uow.commit()
        return entity


@dataclass(frozen=True, slots=True)
class EditEntity:
    entities: EntityRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(self, actor: Principal, project_id: UUID, entity_id: UUID, edit: EntityEdit) -> Entity:
        require_to(self.policy, actor, Action.EDIT_KNOWLEDGE, project_id)
        entity = await visible_entity(self.entities, project_id, entity_id)
        now = self.clock.now()
        entity.edit(edit, now)
        changes = override_changes(edit.checked())
        if changes:
            await self.edits.add(
                KnowledgeEdit(
                    self.ids.new_id(), project_id, actor.id, FactKind.ENTITY, entity.id, EditAction.EDITED, now, changes
                )
            )
        await self.uow.commit()
        return entity


@dataclass(frozen=True, slots=True)
class NewRelationship:
    source_id: UUID
    target_id: UUID
    type: str


@dataclass(frozen=True, slots=True)
class CreateRelationship:
    """Both ends must be entities of the project (a missing end is a bad value, not a missing resource)."""

    entities: EntityRepository
    relationships: RelationshipRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(self, actor: Principal, project_id: UUID, new: NewRelationship) -> Relationship:
        require_to(self.policy, actor, Action.EDIT_KNOWLEDGE, project_id)
        for field, end in (("source_id", new.source_id), ("target_id", new.target_id)):
            entity = await self.entities.get(end)
            if entity is None or entity.project_id != project_id or entity.suppressed:
                raise InvalidValue(field, f"no entity {end} in this project")
        now = self.clock.now()
        relationship = Relationship.create(self.ids.new_id(), project_id, new.source_id, new.target_id, new.type, now)
        await self.relationships.add(relationship)
        changes = {"source_id": str(new.source_id), "target_id": str(new.target_id), "type": relationship.type}
        await self.edits.add(
            KnowledgeEdit(
                self.ids.new_id(), project_id, actor.id, FactKind.RELATIONSHIP, relationship.id, EditAction.CREATED,
                now, changes,
            )
        )  # fmt: skip
        await self.uow.commit()
        return relationship


@dataclass(frozen=True, slots=True)
class EditRelationship:
    relationships: RelationshipRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    edits: KnowledgeEditLog

    async def __call__(
        self,
        actor: Principal,
        project_id: UUID,
        relationship_id: UUID,
        type_: str | None = None,
        status: FactStatus | None = None,
    ) -> Relationship:
        require_to(self.policy, actor, Action.EDIT_KNOWLEDGE, project_id)
        relationship = await visible_relationship(self.relationships, project_id, relationship_id)
        now = self.clock.now()
        relationship.edit(type_, status, now)
        changes: dict[str, str] = {}
        if type_ is not None:
            changes["type"] = relationship.type
        if status is not None:
            changes["status"] = status.value
        if changes:
            await self.edits.add(
                KnowledgeEdit(
                    self.ids.new_id(), project_id, actor.id, FactKind.RELATIONSHIP, relationship.id,
                    EditAction.EDITED, now, changes,
                )
            )  # fmt: skip
        await self.uow.commit()
        return relationship
