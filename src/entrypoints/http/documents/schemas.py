"""Bodies of the documents endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from agentry.application.documents.ingest import Batch, Ingestion
from agentry.domain.documents.chunks import Chunk
from agentry.domain.documents.document import TITLE_MAX, Document
from agentry.domain.documents.job import IngestionJob

MediaTypeName = Literal["text/plain", "text/markdown", "text/html", "application/pdf"]
Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX)]


class DocumentText(Struct, kw_only=True, forbid_unknown_fields=True):
    """A document given as text (PDF needs a multipart upload)."""

    title: Title
    text: str
    media_type: Literal["text/plain", "text/markdown", "text/html"] = "text/plain"


class DocumentCreate(DocumentText, kw_only=True, forbid_unknown_fields=True):
    project_id: UUID | None = None  # None: the caller's personal project


class BatchCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    documents: Annotated[list[DocumentText], Meta(min_length=1, max_length=100)]
    project_id: UUID | None = None


class StepBody(Struct, kw_only=True):
    name: str
    status: str


class JobBody(Struct, kw_only=True):
    id: UUID
    document_id: UUID
    project_id: UUID
    status: str
    steps: list[StepBody]
    attempts: int
    error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    batch_id: UUID | None

    @classmethod
    def from_domain(cls, job: IngestionJob) -> JobBody:
        return cls(
            id=job.id,
            document_id=job.document_id,
            project_id=job.project_id,
            status=job.status.value,
            steps=[StepBody(name=step.value, status=job.steps[step.value]) for step in job.pipeline],
            attempts=job.attempts,
            error=job.error,
            next_attempt_at=job.next_attempt_at,
            created_at=job.created_at,
            finished_at=job.finished_at,
            batch_id=job.batch_id,
        )


class ChunkBody(Struct, kw_only=True):
    id: UUID  # derived from the document and ordinal; search hits name chunks by it
    ordinal: int
    start: int
    end: int
    text: str

    @classmethod
    def from_domain(cls, chunk: Chunk) -> ChunkBody:
        return cls(id=chunk.id, ordinal=chunk.ordinal, start=chunk.start, end=chunk.end, text=chunk.text)


class DocumentBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    submitted_by: Annotated[UUID | None, Meta(description="null once the submitter's account is gone")]
    title: str
    media_type: str
    content_hash: str
    size_bytes: int
    status: str
    error: str | None
    chunk_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, d: Document) -> DocumentBody:
        return cls(
            id=d.id,
            project_id=d.project_id,
            submitted_by=d.submitted_by,
            title=d.title,
            media_type=d.media_type.value,
            content_hash=d.content_hash,
            size_bytes=d.size_bytes,
            status=d.status.value,
            error=d.error,
            chunk_count=d.chunk_count,
            created_at=d.created_at,
            updated_at=d.updated_at,
        )


class DocumentWithChunksBody(DocumentBody, kw_only=True):
    chunks: list[ChunkBody]
    job: JobBody | None


class IngestionBody(Struct, kw_only=True):
    document: DocumentBody
    job: JobBody
    replayed: bool  # the project held this content already: the document and job it made

    @classmethod
    def from_domain(cls, ingestion: Ingestion) -> IngestionBody:
        return cls(
            document=DocumentBody.from_domain(ingestion.document),
            job=JobBody.from_domain(ingestion.job),
            replayed=ingestion.replayed,
        )


class BatchBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    ingestions: list[IngestionBody]

    @classmethod
    def from_domain(cls, batch: Batch) -> BatchBody:
        return cls(
            id=batch.id,
            project_id=batch.project_id,
            ingestions=[IngestionBody.from_domain(i) for i in batch.ingestions],
        )


class BatchStatusBody(Struct, kw_only=True):
    id: UUID
    status: str  # running while any job is; failed if any failed; else succeeded
    counts: dict[str, int]
    jobs: list[JobBody]


class JobStatusBody(Struct, kw_only=True):
    job: JobBody
    document: DocumentBody


class DocumentPageBody(Struct, kw_only=True):
    documents: list[DocumentBody]
    next_cursor: str | None
