"""Reading documents: a project's viewers and everyone above them. A document, job or batch the actor
may not read does not exist for them (404, not 403)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from agentry.application.documents.cursor import decode_cursor, encode_cursor
from agentry.application.documents.ports import (
    ChunkRepository,
    DocumentQuery,
    DocumentRepository,
    IngestionJobRepository,
)
from agentry.application.errors import NotFound
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.domain.documents.chunks import Chunk
from agentry.domain.documents.document import Document
from agentry.domain.documents.job import IngestionJob
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal

LIST_LIMIT_MAX = 200


async def visible_document(
    documents: DocumentRepository, policy: AccessPolicy, actor: Principal, document_id: UUID
) -> Document:
    document = await documents.get(document_id)
    if document is None or not policy.allows(actor, Action.READ_DOCUMENT, Resource.of_project(document.project_id)):
        raise NotFound("document", document_id)
    return document


@dataclass(frozen=True, slots=True)
class DocumentWithChunks:
    document: Document
    chunks: list[Chunk]
    job: IngestionJob | None


@dataclass(frozen=True, slots=True)
class GetDocument:
    documents: DocumentRepository
    chunks: ChunkRepository
    jobs: IngestionJobRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, document_id: UUID) -> DocumentWithChunks:
        document = await visible_document(self.documents, self.policy, actor, document_id)
        chunks = await self.chunks.of_document(document.id)
        return DocumentWithChunks(document, chunks, await self.jobs.latest_of(document.id))


@dataclass(frozen=True, slots=True)
class JobStatusView:
    job: IngestionJob
    document: Document


@dataclass(frozen=True, slots=True)
class GetJobStatus:
    documents: DocumentRepository
    jobs: IngestionJobRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, job_id: UUID) -> JobStatusView:
        job = await self.jobs.get(job_id)
        if job is None or not self.policy.allows(actor, Action.READ_DOCUMENT, Resource.of_project(job.project_id)):
            raise NotFound("ingestion job", job_id)
        document = await self.documents.get(job.document_id)
        if document is None:
            raise NotFound("ingestion job", job_id)
        return JobStatusView(job, document)


@dataclass(frozen=True, slots=True)
class GetBatchStatus:
    jobs: IngestionJobRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, batch_id: UUID) -> list[IngestionJob]:
        jobs = await self.jobs.of_batch(batch_id)
        if not jobs or not self.policy.allows(actor, Action.READ_DOCUMENT, Resource.of_project(jobs[0].project_id)):
            raise NotFound("batch", batch_id)
        return jobs


@dataclass(frozen=True, slots=True)
class DocumentPage:
    documents: list[Document]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ListDocuments:
    """Newest first, in the projects the actor may read (one, when `project_id` is given), by cursor."""

    documents: DocumentRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, query: DocumentQuery, cursor: str | None = None) -> DocumentPage:
        if not 1 <= query.limit <= LIST_LIMIT_MAX:
            raise InvalidValue("limit", f"from 1 to {LIST_LIMIT_MAX}")
        scope = self.policy.readable_projects(actor)
        if query.project_id is not None and not scope.includes(query.project_id):
            raise NotFound("project", query.project_id)
        after = decode_cursor(cursor) if cursor else None
        found, next_cursor = await fetch_page(
            lambda n: self.documents.page(replace(query, after=after, limit=n), scope), query.limit, encode_cursor
        )
        return DocumentPage(found, next_cursor)


@dataclass(frozen=True, slots=True)
class WatchDocuments:
    """May the actor hear a project's documents' events live? Whoever may read its documents may."""

    policy: AccessPolicy

    async def __call__(self, actor: Principal, project_id: UUID) -> bool:
        return self.policy.allows(actor, Action.READ_DOCUMENT, Resource.of_project(project_id))
