"""The ports of publishing: where publications are kept and found, which project publishes publicly
under a slug, where engagement is counted, and, for drafts written by agent tasks, what each task was
given and the chunks its sources quote."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.publishing.citations import Citation
from agentry.domain.publishing.engagement import DayCount
from agentry.domain.publishing.publication import Publication, PublicationStatus


@dataclass(frozen=True, slots=True)
class PublicationPosition:
    at: datetime  # created_at, or published_at in a list of published ones
    publication_id: UUID


@dataclass(frozen=True, slots=True)
class PublicationQuery:
    """`published`: only published ones, newest published first (else every status, newest created
    first). `text`: each of its words in the title or the body (case-insensitive)."""

    project_id: UUID
    status: PublicationStatus | None = None
    category: str | None = None
    tag: str | None = None
    entity_id: UUID | None = None
    task_id: UUID | None = None  # only the one that agent task drafted
    text: str | None = None
    published: bool = False
    after: PublicationPosition | None = None
    limit: int = 50


class PublicationRepository(Protocol):
    async def add(self, publication: Publication) -> None: ...

    async def get(self, publication_id: UUID, *, for_update: bool = False) -> Publication | None: ...

    async def page(self, query: PublicationQuery) -> list[Publication]:
        """Up to `query.limit` of the project's publications matching the query, in the query's order."""
        ...

    async def by_author(
        self, author_id: UUID, scope: ProjectScope, after: PublicationPosition | None, limit: int
    ) -> list[Publication]:
        """Up to `limit` of the publications the person authored in `scope`, newest created first."""
        ...

    async def naming(self, person_id: UUID, after: UUID | None, limit: int) -> list[Publication]:
        """Up to `limit` publications, of any project, whose author is the person or whose history names
        them, in id order after `after`."""
        ...

    async def remove(self, publication: Publication) -> None:
        """The publication with its engagement counts."""
        ...


class PublicProjects(Protocol):
    async def publishing_as(self, slug: str) -> UUID | None:
        """The project under that slug whose settings open its publications to the public (at most one
        does: enabling it under a slug another such project has is refused); None if there is none."""
        ...


class EngagementCounts(Protocol):
    async def salt_of(self, day: date) -> bytes:
        """The day's secret salt, made on its first use; the salts of earlier days are forgotten, so a
        visitor digest can never be recomputed once its day is over."""
        ...

    async def count_once(self, publication_id: UUID, day: date, kind: str, visitor: bytes) -> bool:
        """Count one `kind` for the day unless this visitor digest has been counted for it already;
        whether it counted. Earlier days' visitor digests are dropped."""
        ...

    async def of_publication(self, publication_id: UUID, first: date, last: date) -> list[DayCount]: ...


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """What a drafting task was given: the draft's title, author and entities, and the numbered sources
    its prompt listed. `publication_id`: the draft made of the task's answer, once it is made."""

    task_id: UUID
    project_id: UUID
    author_id: UUID
    title: str
    entity_ids: tuple[UUID, ...]
    sources: tuple[Citation, ...]
    created_at: datetime
    publication_id: UUID | None = None


class DraftRequests(Protocol):
    async def add(self, request: DraftRequest) -> None: ...

    async def get(self, task_id: UUID, *, for_update: bool = False) -> DraftRequest | None: ...

    async def drafted(self, task_id: UUID, publication_id: UUID) -> None:
        """Remember the publication made of the task's answer."""
        ...


@dataclass(frozen=True, slots=True)
class SourceChunk:
    document_id: UUID
    chunk_id: UUID
    ordinal: int
    document_title: str
    text: str


class SourceChunks(Protocol):
    async def of(self, project_id: UUID, wanted: Collection[tuple[UUID, UUID]]) -> dict[UUID, SourceChunk]:
        """The project's chunks among those named (document id, chunk id), by chunk id; one that no
        longer exists (its document deleted or chunked anew) is left out."""
        ...
