"""The ports of documents: where documents, their content, chunks and jobs are kept, how content is
parsed, and how a due job reaches a worker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.documents.chunks import Chunk, ChunkingPolicy
from agentry.domain.documents.document import Document, DocumentStatus, MediaType
from agentry.domain.documents.job import IngestionJob, StepRetries
from agentry.domain.knowledge.facts import Extraction

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    max_bytes: int = 20 * MIB  # AGENTRY_DOCUMENT_MAX_BYTES
    max_pdf_pages: int = 2_000
    max_text_chars: int = 20_000_000  # what parsing may produce (a PDF bomb inflates far past its size)
    max_batch: int = 100
    max_batch_bytes: int = 100 * MIB  # AGENTRY_DOCUMENT_MAX_BATCH_BYTES: a multipart batch's whole body
    chunking: ChunkingPolicy = field(default_factory=ChunkingPolicy)
    retries: StepRetries = field(default_factory=StepRetries)
    lease_s: float = 300.0  # how long a worker holds a job per step before another may take it over
    dispatch_batch: int = 50
    embed_batch: int = 32  # chunks per call to the Embedder in the embed step
    extract_batch: int = 8  # chunks per call to the FactExtractor in the extract step


class DuplicateContent(Exception):
    """Raised by `DocumentRepository.add` when another request stored the same content in the project first."""


class Unparseable(Exception):
    """The content cannot be made into text (a corrupt PDF, a PDF bomb): retrying will not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DocumentParser(Protocol):
    async def precheck(self, media_type: MediaType, content: bytes) -> None:
        """Refuse, with InvalidValue, what is wrong on its face: text that is not UTF-8, a PDF with more
        pages than allowed. Cheap; what it cannot tell (a corrupt PDF) is left to `parse`."""
        ...

    async def parse(self, media_type: MediaType, content: bytes) -> str:
        """The text of the content; raises Unparseable."""
        ...


@dataclass(frozen=True, slots=True)
class DocumentPosition:
    created_at: datetime
    document_id: UUID


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    project_id: UUID | None = None
    status: DocumentStatus | None = None
    media_type: MediaType | None = None
    title_contains: str | None = None
    submitted_by: UUID | None = None
    after: DocumentPosition | None = None  # newest first: the documents older than this
    limit: int = 50


@dataclass(frozen=True, slots=True)
class StoredExtraction:
    extractor: str  # the FactExtractor's name
    extraction: Extraction


class DocumentRepository(Protocol):
    async def add(self, document: Document, content: bytes) -> None:
        """Raises DuplicateContent when the project holds the same content already."""
        ...

    async def get(self, document_id: UUID, *, for_update: bool = False) -> Document | None:
        """`for_update`: read it afresh and hold it, and what an ingestion step of it holds, to the end of the
        transaction: waits for a step that runs, and keeps the next one out (IngestionJobRepository.get)."""
        ...

    async def find_by_hash(self, project_id: UUID, content_hash: str) -> Document | None: ...

    async def content_of(self, document_id: UUID) -> bytes | None: ...

    async def save_text(self, document_id: UUID, text: str) -> None:
        """The text parsing made of the content (replacing any from an earlier attempt)."""
        ...

    async def text_of(self, document_id: UUID) -> str | None: ...

    async def save_extraction(self, document_id: UUID, extractor: str, extraction: Extraction) -> None:
        """The extract step's checked and scored facts (replacing any from an earlier attempt)."""
        ...

    async def extraction_of(self, document_id: UUID) -> StoredExtraction | None: ...

    async def page(self, query: DocumentQuery, scope: ProjectScope) -> list[Document]:
        """Up to `query.limit` documents in `scope` matching the query, newest first."""
        ...

    async def remove(self, document: Document) -> None:
        """The document, its content and text, chunks, jobs and batch entries."""
        ...

    async def forget_submitter(self, user_id: UUID) -> None:
        """The documents the person submitted, in any project, name no submitter any more."""
        ...


class ChunkRepository(Protocol):
    async def replace(self, document_id: UUID, chunks: Sequence[Chunk]) -> None:
        """The document's chunks are these now (any from an earlier attempt go)."""
        ...

    async def of_document(self, document_id: UUID) -> list[Chunk]: ...


class IngestionJobRepository(Protocol):
    async def add(self, job: IngestionJob) -> None: ...

    async def get(self, job_id: UUID, *, for_update: bool = False) -> IngestionJob | None: ...

    async def latest_of(self, document_id: UUID) -> IngestionJob | None: ...

    async def add_batch(self, batch_id: UUID, project_id: UUID, job_ids: Sequence[UUID]) -> None: ...

    async def of_batch(self, batch_id: UUID) -> list[IngestionJob]:
        """The batch's jobs in the order they were given; none for a batch that does not exist."""
        ...

    async def take_due(self, now: datetime, until: datetime, token: UUID, limit: int) -> list[IngestionJob]:
        """Lease up to `limit` due jobs (oldest due first) to `token` until `until`; jobs another
        transaction holds are skipped."""
        ...


@dataclass(frozen=True, slots=True)
class TakenJob:
    job_id: UUID
    token: UUID


class IngestionQueue(Protocol):
    async def send(self, taken: Sequence[TakenJob]) -> None:
        """Hand the jobs to the workers; a job whose message is lost is taken again when its lease lapses."""
        ...
