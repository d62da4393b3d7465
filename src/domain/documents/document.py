"""A document of a project: its title, media type, the SHA-256 of its content (stored once per
project: the same bytes ingested again are the same document), its size and where its ingestion is.

    (submit) → processing ─ingested→ ready
                          ─failed (a step gave up, or the content cannot be parsed)→ failed
    any ─delete→ gone (records document.deleted; the repository removes what was derived from it)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.domain.events import Aggregate, DomainEvent
from agentry.domain.names import checked_title as checked_name_title

AGGREGATE = "document"
TITLE_MAX = 300


class MediaType(StrEnum):
    TEXT = "text/plain"
    MARKDOWN = "text/markdown"
    HTML = "text/html"
    PDF = "application/pdf"

    @property
    def textual(self) -> bool:
        return self is not MediaType.PDF


class DocumentStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


def checked_title(title: str) -> str:
    return checked_name_title(title, TITLE_MAX)


def checked_media_type(value: str) -> MediaType:
    """`text/markdown; charset=utf-8` is `text/markdown`; an unknown type is refused by name."""
    bare = value.split(";", 1)[0].strip().lower()
    aliases = {"text/x-markdown": MediaType.MARKDOWN, "application/xhtml+xml": MediaType.HTML}
    if bare in aliases:
        return aliases[bare]
    try:
        return MediaType(bare)
    except ValueError:
        known = ", ".join(m.value for m in MediaType)
        raise InvalidValue("media_type", f"{bare or 'none'} is not supported; supported: {known}") from None


@dataclass(eq=False)
class Document(Aggregate):
    id: UUID
    project_id: UUID
    submitted_by: UUID | None  # None once the account that submitted it is gone
    title: str
    media_type: MediaType
    content_hash: str  # hex SHA-256 of the bytes as uploaded
    size_bytes: int
    status: DocumentStatus
    created_at: datetime
    updated_at: datetime
    error: str | None = None
    chunk_count: int = 0

    @classmethod
    def submit(
        cls,
        document_id: UUID,
        project_id: UUID,
        submitted_by: UUID,
        title: str,
        media_type: MediaType,
        content_hash: str,
        size_bytes: int,
        now: datetime,
    ) -> Document:
        if size_bytes <= 0:
            raise InvalidValue("content", "is empty")
        document = cls(
            document_id,
            project_id,
            submitted_by,
            checked_title(title),
            media_type,
            content_hash,
            size_bytes,
            DocumentStatus.PROCESSING,
            now,
            now,
        )
        document._announce("document.submitted", now)
        return document

    def ingested(self, chunk_count: int, now: datetime) -> None:
        self._leave_processing(DocumentStatus.READY, now)
        self.chunk_count = chunk_count
        self._announce("document.ingested", now, chunk_count=chunk_count)

    def failed(self, reason: str, now: datetime) -> None:
        self._leave_processing(DocumentStatus.FAILED, now)
        self.error = reason
        self._announce("document.failed", now, error=reason)

    def delete(self, now: datetime) -> None:
        self.updated_at = now
        self._announce("document.deleted", now)

    def _leave_processing(self, to: DocumentStatus, now: datetime) -> None:
        if self.status is not DocumentStatus.PROCESSING:
            raise IllegalTransition(AGGREGATE, self.id, self.status.value, to.value)
        self.status = to
        self.updated_at = now

    def _announce(self, kind: str, now: datetime, **extra: str | int | None) -> None:
        data: dict[str, str | int | None] = {
            "document_id": str(self.id),
            "project_id": str(self.project_id),
            "title": self.title,
            "media_type": self.media_type.value,
            "status": self.status.value,
            **extra,
        }
        self.record(DomainEvent(kind, AGGREGATE, self.id, now, data))
