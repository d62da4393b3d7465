"""Writing publications. Members (and everyone above them) draft, edit, submit for review and withdraw
from review; maintainers and owners publish, archive, unpublish and delete. The project must be
readable first (else 404); a right missing within it is a 403."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from agentry.application.access import require, require_existing_project
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.publishing.ports import PublicationRepository
from agentry.application.publishing.read import visible_publication
from agentry.domain.principal import Principal
from agentry.domain.publishing.publication import Publication


@dataclass(frozen=True, slots=True)
class NewPublication:
    title: str
    body: str = ""
    categories: Sequence[str] = ()
    tags: Sequence[str] = ()
    entity_ids: Sequence[UUID] = ()


@dataclass(frozen=True, slots=True)
class PublicationChanges:
    """Only what is given changes."""

    title: str | None = None
    body: str | None = None
    categories: Sequence[str] | None = None
    tags: Sequence[str] | None = None
    entity_ids: Sequence[UUID] | None = None


class Move(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    PUBLISH = "publish"
    ARCHIVE = "archive"
    UNPUBLISH = "unpublish"


MOVE_RIGHT = {
    Move.SUBMIT: Action.WRITE_PUBLICATION,
    Move.WITHDRAW: Action.WRITE_PUBLICATION,
    Move.PUBLISH: Action.PUBLISH_PUBLICATION,
    Move.ARCHIVE: Action.PUBLISH_PUBLICATION,
    Move.UNPUBLISH: Action.PUBLISH_PUBLICATION,
}


@dataclass(frozen=True, slots=True)
class CreatePublication:
    publications: PublicationRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    projects: ProjectRepository

    async def __call__(self, actor: Principal, project_id: UUID, new: NewPublication) -> Publication:
        if not self.policy.allows(actor, Action.READ_PUBLICATION, Resource.of_project(project_id)):
            raise NotFound("project", project_id)
        require(self.policy, actor, Action.WRITE_PUBLICATION, Resource.of_project(project_id))
        await require_existing_project(self.projects, project_id)
        publication = Publication.draft(
            self.ids.new_id(),
            project_id,
            actor.id,
            new.title,
            new.body,
            self.clock.now(),
            categories=new.categories,
            tags=new.tags,
            entity_ids=new.entity_ids,
        )
        await self.publications.add(publication)
        await self.uow.commit()
        return publication


@dataclass(frozen=True, slots=True)
class EditPublication:
    publications: PublicationRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(
        self, actor: Principal, project_id: UUID, publication_id: UUID, changes: PublicationChanges
    ) -> Publication:
        publication = await visible_publication(
            self.publications, self.policy, actor, project_id, publication_id, for_update=True
        )
        require(self.policy, actor, Action.WRITE_PUBLICATION, Resource.of_project(project_id))
        publication.edit(
            actor.id,
            self.clock.now(),
            title=changes.title,
            body=changes.body,
            categories=changes.categories,
            tags=changes.tags,
            entity_ids=changes.entity_ids,
        )
        await self.uow.commit()
        return publication


@dataclass(frozen=True, slots=True)
class MovePublication:
    """One move of the publication's status (domain/publishing/publication.py has the allowed ones)."""

    publications: PublicationRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, project_id: UUID, publication_id: UUID, move: Move) -> Publication:
        publication = await visible_publication(
            self.publications, self.policy, actor, project_id, publication_id, for_update=True
        )
        require(self.policy, actor, MOVE_RIGHT[move], Resource.of_project(project_id))
        getattr(publication, move.value)(actor.id, self.clock.now())
        await self.uow.commit()
        return publication


@dataclass(frozen=True, slots=True)
class DeletePublication:
    publications: PublicationRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, project_id: UUID, publication_id: UUID) -> None:
        publication = await visible_publication(
            self.publications, self.policy, actor, project_id, publication_id, for_update=True
        )
        require(self.policy, actor, Action.DELETE_PUBLICATION, Resource.of_project(project_id))
        publication.delete(actor.id, self.clock.now())
        await self.publications.remove(publication)
        await self.uow.commit()
