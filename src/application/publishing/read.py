"""Reading a project's publications, in any status: its viewers and everyone above them. A publication
the actor may not read does not exist for them (404, not 403), nor does its project."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from agentry.application.access import require_existing_project
from agentry.application.errors import NotFound
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.projects.ports import ProjectRepository
from agentry.application.publishing.cursor import decode_cursor, encode_cursor
from agentry.application.publishing.ports import PublicationQuery, PublicationRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.publishing.publication import Publication

LIST_LIMIT_MAX = 200
PROJECT_CURSOR = "publications"


async def visible_publication(
    publications: PublicationRepository,
    policy: AccessPolicy,
    actor: Principal,
    project_id: UUID,
    publication_id: UUID,
    *,
    for_update: bool = False,
) -> Publication:
    publication = await publications.get(publication_id, for_update=for_update)
    if (
        publication is None
        or publication.project_id != project_id
        or not policy.allows(actor, Action.READ_PUBLICATION, Resource.of_project(project_id))
    ):
        raise NotFound("publication", publication_id)
    return publication


@dataclass(frozen=True, slots=True)
class PublicationPage:
    publications: list[Publication]
    next_cursor: str | None


async def paged(
    publications: PublicationRepository, query: PublicationQuery, cursor: str | None, kind: str
) -> PublicationPage:
    """A page of the query's publications and the cursor to the next, if there is one."""
    if not 1 <= query.limit <= LIST_LIMIT_MAX:
        raise InvalidValue("limit", f"from 1 to {LIST_LIMIT_MAX}")
    after = decode_cursor(kind, cursor) if cursor else None

    def cursor_of(last: Publication) -> str:
        at = last.published_at if query.published and last.published_at is not None else last.created_at
        return encode_cursor(kind, at, last.id)

    found, next_cursor = await fetch_page(
        lambda n: publications.page(replace(query, after=after, limit=n)), query.limit, cursor_of
    )
    return PublicationPage(found, next_cursor)


@dataclass(frozen=True, slots=True)
class GetPublication:
    publications: PublicationRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID, publication_id: UUID) -> Publication:
        return await visible_publication(self.publications, self.policy, actor, project_id, publication_id)


@dataclass(frozen=True, slots=True)
class ListPublications:
    """A project's publications in any status, newest first, by cursor."""

    publications: PublicationRepository
    policy: AccessPolicy
    projects: ProjectRepository

    async def __call__(self, actor: Principal, query: PublicationQuery, cursor: str | None = None) -> PublicationPage:
        if not self.policy.allows(actor, Action.READ_PUBLICATION, Resource.of_project(query.project_id)):
            raise NotFound("project", query.project_id)
        await require_existing_project(self.projects, query.project_id)
        return await paged(self.publications, query, cursor, PROJECT_CURSOR)


@dataclass(frozen=True, slots=True)
class WatchPublications:
    """May the actor hear a project's publications' events live? Whoever may read its publications may."""

    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID) -> bool:
        return self.policy.allows(actor, Action.READ_PUBLICATION, Resource.of_project(project_id))
