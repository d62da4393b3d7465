"""The public read side: a project's published publications, to anyone, when the project's settings
open them (`public_publications`). A project that does not, or does not exist, answers the same 404,
and so does a publication that is not published (or not that project's)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from agentry.application.errors import NotFound
from agentry.application.publishing.ports import PublicationQuery, PublicationRepository, PublicProjects
from agentry.application.publishing.read import PublicationPage, paged
from agentry.domain.publishing.publication import Publication, PublicationStatus

PUBLIC_CURSOR = "public-publications"


async def public_project(projects: PublicProjects, slug: str) -> UUID:
    project_id = await projects.publishing_as(slug)
    if project_id is None:
        raise NotFound("project", slug)
    return project_id


async def published(
    projects: PublicProjects, publications: PublicationRepository, slug: str, publication_id: UUID
) -> Publication:
    project_id = await public_project(projects, slug)
    publication = await publications.get(publication_id)
    if (
        publication is None
        or publication.project_id != project_id
        or publication.status is not PublicationStatus.PUBLISHED
    ):
        raise NotFound("publication", publication_id)
    return publication


@dataclass(frozen=True, slots=True)
class PublicQuery:
    category: str | None = None
    tag: str | None = None
    entity_id: UUID | None = None
    text: str | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ListPublished:
    projects: PublicProjects
    publications: PublicationRepository

    async def __call__(self, slug: str, query: PublicQuery, cursor: str | None = None) -> PublicationPage:
        project_id = await public_project(self.projects, slug)
        wanted = PublicationQuery(project_id, PublicationStatus.PUBLISHED, published=True, limit=query.limit)
        wanted = replace(
            wanted,
            category=query.category and query.category.strip().lower(),
            tag=query.tag and query.tag.strip().lower(),
            entity_id=query.entity_id,
            text=query.text,
        )
        return await paged(self.publications, wanted, cursor, PUBLIC_CURSOR)


@dataclass(frozen=True, slots=True)
class GetPublished:
    projects: PublicProjects
    publications: PublicationRepository

    async def __call__(self, slug: str, publication_id: UUID) -> Publication:
        return await published(self.projects, self.publications, slug, publication_id)
