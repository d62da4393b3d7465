"""Publications in memory, behind the publishing ports the project's use cases need (the public
side's project lookup is SQL-tested only), with what drafting tasks were given and the chunks their
sources quote. tests/contract/test_publication_storage.py holds the SQL adapters to the same behaviour."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.application.publishing.ports import DraftRequest, PublicationPosition, PublicationQuery, SourceChunk
from agentry.domain.events import DomainEvent
from agentry.domain.publishing.engagement import DayCount
from agentry.domain.publishing.publication import Publication


@dataclass
class PublicationsDb:
    publications: dict[UUID, Publication] = field(default_factory=dict)
    counts: dict[tuple[UUID, date, str], int] = field(default_factory=dict)
    visitors: set[tuple[UUID, date, str, bytes]] = field(default_factory=set)
    events: list[DomainEvent] = field(default_factory=list)
    removed: list[Publication] = field(default_factory=list)
    commits: int = 0
    drafts: dict[UUID, DraftRequest] = field(default_factory=dict)
    draft_reads: int = 0
    chunks: dict[UUID, tuple[UUID, SourceChunk]] = field(default_factory=dict)  # chunk id → (project id, chunk)


class MemoryPublications:
    def __init__(self, db: PublicationsDb) -> None:
        self.db = db

    async def add(self, publication: Publication) -> None:
        if publication.task_id is not None and any(
            p.task_id == publication.task_id for p in self.db.publications.values()
        ):
            raise AssertionError(f"task {publication.task_id} has a publication already (a unique violation)")
        self.db.publications[publication.id] = publication

    async def get(self, publication_id: UUID, *, for_update: bool = False) -> Publication | None:
        return self.db.publications.get(publication_id)

    async def page(self, query: PublicationQuery) -> list[Publication]:
        def at(p: Publication) -> tuple[object, UUID]:
            return (p.published_at if query.published else p.created_at), p.id

        found = [
            p
            for p in self.db.publications.values()
            if p.project_id == query.project_id
            and (query.status is None or p.status is query.status)
            and (query.category is None or query.category in p.categories)
            and (query.tag is None or query.tag in p.tags)
            and (query.entity_id is None or query.entity_id in p.entity_ids)
            and (query.task_id is None or p.task_id == query.task_id)
            and (not query.published or p.published_at is not None)
            and (query.after is None or at(p) < (query.after.at, query.after.publication_id))
        ]
        return sorted(found, key=at, reverse=True)[: query.limit]

    async def by_author(
        self, author_id: UUID, scope: ProjectScope, after: PublicationPosition | None, limit: int
    ) -> list[Publication]:
        found = [
            p
            for p in self.db.publications.values()
            if p.author_id == author_id
            and scope.includes(p.project_id)
            and (after is None or (p.created_at, p.id) < (after.at, after.publication_id))
        ]
        return sorted(found, key=lambda p: (p.created_at, p.id), reverse=True)[:limit]

    async def naming(self, person_id: UUID, after: UUID | None, limit: int) -> list[Publication]:
        found = [
            p
            for p in self.db.publications.values()
            if (p.author_id == person_id or any(t.by == person_id for t in p.history))
            and (after is None or p.id > after)
        ]
        return sorted(found, key=lambda p: p.id)[:limit]

    async def remove(self, publication: Publication) -> None:
        del self.db.publications[publication.id]
        self.db.removed.append(publication)


class MemoryEngagement:
    def __init__(self, db: PublicationsDb) -> None:
        self.db = db

    async def salt_of(self, day: date) -> bytes:
        return day.isoformat().encode()

    async def count_once(self, publication_id: UUID, day: date, kind: str, visitor: bytes) -> bool:
        key = (publication_id, day, kind, visitor)
        if key in self.db.visitors:
            return False
        self.db.visitors.add(key)
        self.db.counts[(publication_id, day, kind)] = self.db.counts.get((publication_id, day, kind), 0) + 1
        return True

    async def of_publication(self, publication_id: UUID, first: date, last: date) -> list[DayCount]:
        return [
            DayCount(day, kind, count)
            for (pid, day, kind), count in sorted(self.db.counts.items())
            if pid == publication_id and first <= day <= last
        ]


class MemoryPublishingUnitOfWork:
    def __init__(self, db: PublicationsDb) -> None:
        self.db = db

    async def commit(self) -> None:
        for publication in [*self.db.publications.values(), *self.db.removed]:
            self.db.events += publication.pull_events()
        self.db.removed.clear()
        self.db.commits += 1

    async def rollback(self) -> None:
        raise NotImplementedError("the publishing use cases never roll back")


class MemoryDraftRequests:
    def __init__(self, db: PublicationsDb) -> None:
        self.db = db

    async def add(self, request: DraftRequest) -> None:
        self.db.drafts[request.task_id] = request

    async def get(self, task_id: UUID, *, for_update: bool = False) -> DraftRequest | None:
        self.db.draft_reads += 1
        return self.db.drafts.get(task_id)

    async def drafted(self, task_id: UUID, publication_id: UUID) -> None:
        self.db.drafts[task_id] = replace(self.db.drafts[task_id], publication_id=publication_id)


class MemorySourceChunks:
    def __init__(self, db: PublicationsDb) -> None:
        self.db = db

    async def of(self, project_id: UUID, wanted: Collection[tuple[UUID, UUID]]) -> dict[UUID, SourceChunk]:
        found = {}
        for document_id, chunk_id in wanted:
            held = self.db.chunks.get(chunk_id)
            if held is not None and held[0] == project_id and held[1].document_id == document_id:
                found[chunk_id] = held[1]
        return found
