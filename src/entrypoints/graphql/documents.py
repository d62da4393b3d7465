"""Documents and search: a page of documents, one document with its chunks and latest ingestion job, and
the hybrid search over a project's chunks, through the use cases of /api/v1/documents and
/api/v1/projects/{id}/search. What the caller may not read does not exist for them (not_found).

A page of documents resolves each document's project through the context's loader (one batch per page);
chunks are read only on `document(id)` (DocumentWithChunks), as REST shows them only there."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

import strawberry
from strawberry.types import Info

from agentry.application.documents.ports import DocumentQuery
from agentry.application.documents.read import GetDocument, ListDocuments
from agentry.application.search.hybrid import SearchChunks, SearchHit
from agentry.domain.documents.chunks import Chunk
from agentry.domain.documents.document import Document, DocumentStatus
from agentry.domain.documents.job import IngestionJob
from agentry.domain.errors import InvalidValue
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.rest_bodies import body_fields
from agentry.entrypoints.graphql.types import ProjectType
from agentry.entrypoints.http.documents.schemas import DocumentBody
from agentry.entrypoints.http.kit.validators import refuse_nul

strawberry.enum(DocumentStatus)
TITLE_QUERY_MAX = 200  # as GET /api/v1/documents?q=


@strawberry.type(name="Chunk")
class ChunkType:
    id: UUID
    ordinal: int
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, chunk: Chunk) -> ChunkType:
        return cls(id=chunk.id, ordinal=chunk.ordinal, start=chunk.start, end=chunk.end, text=chunk.text)


@strawberry.type(name="IngestionStep")
class IngestionStepType:
    name: str
    status: str


@strawberry.type(name="IngestionJob")
class IngestionJobType:
    id: UUID
    status: str = strawberry.field(description="queued, running, succeeded or failed")
    steps: list[IngestionStepType]
    attempts: int
    error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    batch_id: UUID | None

    @classmethod
    def of(cls, job: IngestionJob) -> IngestionJobType:
        return cls(
            id=job.id,
            status=job.status.value,
            steps=[IngestionStepType(name=step.value, status=job.steps[step.value]) for step in job.pipeline],
            attempts=job.attempts,
            error=job.error,
            next_attempt_at=job.next_attempt_at,
            created_at=job.created_at,
            finished_at=job.finished_at,
            batch_id=job.batch_id,
        )


@strawberry.type(name="Document")
class DocumentType:
    id: UUID
    project_id: UUID
    submitted_by: UUID | None
    title: str
    media_type: str
    content_hash: str
    size_bytes: int
    status: DocumentStatus
    error: str | None
    chunk_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def fields_of(cls, document: Document) -> dict[str, Any]:
        body = DocumentBody.from_domain(document)
        return body_fields(body, status=DocumentStatus(body.status))

    @classmethod
    def of(cls, document: Document) -> Self:
        return cls(**cls.fields_of(document))

    @strawberry.field(description="The document's project (batched over a page of documents)")
    async def project(self, info: Info[Any, Any]) -> ProjectType | None:
        context = context_of(info)
        project = await context.projects.load(self.project_id)
        if project is None:
            return None
        return ProjectType.of(project, (await context.principal()).project_role(project.id))


@strawberry.type(name="DocumentWithChunks")
class DocumentWithChunksType(DocumentType):
    chunks: list[ChunkType]
    job: IngestionJobType | None = strawberry.field(description="The latest ingestion job")


@strawberry.type(name="DocumentPage")
class DocumentPageType:
    items: list[DocumentType]
    next_cursor: str | None


@strawberry.type(name="SearchScores")
class SearchScoresType:
    vector: float | None = strawberry.field(description="Cosine similarity; null when only the text search found it")
    text: float | None = strawberry.field(description="Full-text relevance; null when only the vectors found it")
    fused: float = strawberry.field(description="Reciprocal rank fusion of the two")


@strawberry.type(name="SearchHit")
class SearchHitType:
    document_id: UUID
    title: str
    chunk_id: UUID
    ordinal: int
    start: int
    end: int
    snippet: str
    scores: SearchScoresType

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitType:
        return cls(
            document_id=hit.document_id,
            title=hit.title,
            chunk_id=hit.chunk_id,
            ordinal=hit.ordinal,
            start=hit.start,
            end=hit.end,
            snippet=hit.snippet,
            scores=SearchScoresType(vector=hit.vector_score, text=hit.text_score, fused=hit.fused_score),
        )


@strawberry.type
class DocumentQueries:
    @strawberry.field(description="Documents you may read, newest first (one project's, when given)")
    async def documents(
        self,
        info: Info[Any, Any],
        project_id: UUID | None = None,
        first: int = 50,
        after: str | None = None,
        status: DocumentStatus | None = None,
        q: Annotated[str | None, strawberry.argument(description="Title contains")] = None,
    ) -> DocumentPageType:
        refuse_nul({"q": q, "after": after})
        if q is not None and len(q) > TITLE_QUERY_MAX:
            raise InvalidValue("q", f"at most {TITLE_QUERY_MAX} characters")
        query = DocumentQuery(project_id=project_id, status=status, title_contains=q, limit=first)
        page = await context_of(info).call(ListDocuments, lambda use, actor: use(actor, query, after))
        return DocumentPageType(items=[DocumentType.of(d) for d in page.documents], next_cursor=page.next_cursor)

    @strawberry.field(description="A document with its chunks (not found when you may not read it)")
    async def document(self, info: Info[Any, Any], id: UUID) -> DocumentWithChunksType:
        found = await context_of(info).call(GetDocument, lambda use, actor: use(actor, id))
        return DocumentWithChunksType(
            **DocumentType.fields_of(found.document),
            chunks=[ChunkType.of(c) for c in found.chunks],
            job=IngestionJobType.of(found.job) if found.job else None,
        )

    @strawberry.field(description="Hybrid search (vectors and full text, fused) over a project's document chunks")
    async def search(self, info: Info[Any, Any], project_id: UUID, q: str, limit: int = 10) -> list[SearchHitType]:
        hits = await context_of(info).call(SearchChunks, lambda use, actor: use(actor, project_id, q, limit))
        return [SearchHitType.of(h) for h in hits]
