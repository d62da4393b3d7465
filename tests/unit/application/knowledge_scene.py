"""A project's knowledge graph in memory, with every knowledge use case wired to it, for the unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from agentry.application.knowledge.curate import DeleteEntity, DeleteRelationship, MergeEntities, SplitEntity
from agentry.application.knowledge.edit import CreateEntity, CreateRelationship, EditEntity, EditRelationship
from agentry.application.knowledge.read import GetEntity, GetRelationship, ListEntities, ListRelationships
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from tests.fakes.existing_projects import ExistingProjects
from tests.fakes.memory_knowledge import (
    KnowledgeDb,
    KnowledgeSession,
    MemoryEntities,
    MemoryGraphReads,
    MemoryKnowledgeEdits,
    MemoryRelationships,
)
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock, SequentialIds

PROJECT = UUID(int=0x9A0)
OTHER_PROJECT = UUID(int=0x9A1)


def user(role: ProjectRole | None, number: int = 1, project: UUID = PROJECT) -> Principal:
    return Principal(UUID(int=number), f"user-{number}", memberships={} if role is None else {project: role})


MAINTAINER = user(ProjectRole.MAINTAINER, 1)
MEMBER = user(ProjectRole.MEMBER, 2)
VIEWER = user(ProjectRole.VIEWER, 3)
OUTSIDER = user(ProjectRole.OWNER, 4, OTHER_PROJECT)


@dataclass
class Knowledge:
    db: KnowledgeDb = field(default_factory=KnowledgeDb)
    clock: FakeClock = field(default_factory=FakeClock)
    ids: SequentialIds = field(default_factory=SequentialIds)
    policy: TablePolicy = field(default_factory=TablePolicy)
    projects: ExistingProjects = field(default_factory=lambda: ExistingProjects(PROJECT, OTHER_PROJECT))

    def session(self) -> KnowledgeSession:
        return KnowledgeSession(self.db)

    def ports(self) -> tuple[MemoryEntities, MemoryRelationships, MemoryGraphReads, KnowledgeSession]:
        s = self.session()
        return MemoryEntities(s), MemoryRelationships(s), MemoryGraphReads(s), s

    # Each use case on a fresh unit of work, as a request would have it.
    @property
    def create_entity(self) -> CreateEntity:
        e, _, _, s = self.ports()
        return CreateEntity(e, self.policy, s, self.clock, self.ids, self.projects, MemoryKnowledgeEdits(s))

    @property
    def edit_entity(self) -> EditEntity:
        e, _, _, s = self.ports()
        return EditEntity(e, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    @property
    def get_entity(self) -> GetEntity:
        e, _, _, _ = self.ports()
        return GetEntity(e, self.policy)

    @property
    def list_entities(self) -> ListEntities:
        e, _, _, _ = self.ports()
        return ListEntities(e, self.policy, self.projects)

    @property
    def create_relationship(self) -> CreateRelationship:
        e, r, _, s = self.ports()
        return CreateRelationship(e, r, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    @property
    def edit_relationship(self) -> EditRelationship:
        _, r, _, s = self.ports()
        return EditRelationship(r, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    @property
    def get_relationship(self) -> GetRelationship:
        _, r, _, _ = self.ports()
        return GetRelationship(r, self.policy)

    @property
    def list_relationships(self) -> ListRelationships:
        _, r, _, _ = self.ports()
        return ListRelationships(r, self.policy, self.projects)

    @property
    def merge(self) -> MergeEntities:
        e, r, _, s = self.ports()
        return MergeEntities(e, r, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    @property
    def split(self) -> SplitEntity:
        e, _, _, s = self.ports()
        return SplitEntity(e, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    @property
    def delete_entity(self) -> DeleteEntity:
        e, r, _, s = self.ports()
        return DeleteEntity(e, r, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    @property
    def delete_relationship(self) -> DeleteRelationship:
        _, r, _, s = self.ports()
        return DeleteRelationship(r, self.policy, s, self.clock, self.ids, MemoryKnowledgeEdits(s))

    def event_types(self) -> list[str]:
        return [event.type for event in self.db.events]


def new_id() -> UUID:
    return uuid4()
