"""The documents' tables: documents (one per content hash and project), their content and parsed text,
chunks, ingestion jobs and the batches that group jobs."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from agentry.adapters.sqlalchemy.metadata import metadata, portable_enum
from agentry.adapters.sqlalchemy.types import PortableJSON, UTCDateTime
from agentry.domain.documents.document import DocumentStatus, MediaType
from agentry.domain.documents.job import JobStatus

documents = Table(
    "documents",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("project_id", Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("submitted_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True),  # None: account gone
    Column("title", String(300), nullable=False),
    Column("media_type", portable_enum(MediaType, "document_media_type"), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("status", portable_enum(DocumentStatus, "document_status"), nullable=False),
    Column("error", Text),
    Column("chunk_count", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "content_hash", name="uq_documents_project_id_content_hash"),
    Index("ix_documents_project_id_created_at", "project_id", "created_at"),
)

document_contents = Table(
    "document_contents",
    metadata,
    Column("document_id", Uuid, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("text", Text),  # what parsing made of it (None until then)
    Column("extraction", PortableJSON),  # the extract step's checked facts, for the link step (None until then)
)

document_chunks = Table(
    "document_chunks",
    metadata,
    Column("document_id", Uuid, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

_OPEN = text("status IN ('queued', 'running')")

ingestion_jobs = Table(
    "ingestion_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("document_id", Uuid, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("project_id", Uuid, nullable=False),
    Column("batch_id", Uuid),
    Column("steps", PortableJSON, nullable=False),
    Column("status", portable_enum(JobStatus, "ingestion_job_status"), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime),
    Column("lease_token", Uuid),
    Column("leased_until", UTCDateTime),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Index("ix_ingestion_jobs_due", "next_attempt_at", postgresql_where=_OPEN, sqlite_where=_OPEN),
)

document_batch_jobs = Table(
    "document_batch_jobs",
    metadata,
    Column("batch_id", Uuid, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("job_id", Uuid, ForeignKey("ingestion_jobs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("project_id", Uuid, nullable=False),
)
