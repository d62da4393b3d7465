"""Documents in memory: a small store behind the documents' ports whose unit of work commits a working
copy (events taken from the aggregates then) and whose rollback throws it away, as the SQL adapter's
transaction does; tests/contract/test_document_storage.py holds the SQL adapter to the same behaviour."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.documents.ports import DocumentQuery, DuplicateContent, StoredExtraction, TakenJob
from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.documents.chunks import Chunk
from agentry.domain.documents.document import Document
from agentry.domain.documents.job import IngestionJob
from agentry.domain.events import Aggregate, DomainEvent
from agentry.domain.knowledge.facts import Extraction, extraction_from_json, extraction_to_json
from agentry.domain.projects.project import Project


@dataclass
class State:
    documents: dict[UUID, Document] = field(default_factory=dict)
    contents: dict[UUID, bytes] = field(default_factory=dict)
    texts: dict[UUID, str] = field(default_factory=dict)
    extractions: dict[UUID, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    chunks: dict[UUID, list[Chunk]] = field(default_factory=dict)
    jobs: dict[UUID, IngestionJob] = field(default_factory=dict)
    batches: dict[UUID, list[UUID]] = field(default_factory=dict)


class DocumentsDb:
    def __init__(self) -> None:
        self.committed = State()
        self.events: list[DomainEvent] = []
        self.commits = 0


class Session:
    def __init__(self, db: DocumentsDb) -> None:
        self.db = db
        self.work = copy.deepcopy(db.committed)
        self.removed: list[Aggregate] = []

    async def commit(self) -> None:
        for obj in [*self.work.documents.values(), *self.work.jobs.values(), *self.removed]:
            self.db.events += obj.pull_events()
        self.removed.clear()
        self.db.committed = copy.deepcopy(self.work)
        self.db.commits += 1

    async def rollback(self) -> None:
        self.work = copy.deepcopy(self.db.committed)
        self.removed.clear()

    def unavailable(self, error: BaseException) -> bool:
        return isinstance(error, ConnectionError)


class MemoryDocuments:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def add(self, document: Document, content: bytes) -> None:
        w = self._s.work
        if any(
            d.project_id == document.project_id and d.content_hash == document.content_hash
            for d in w.documents.values()
        ):
            raise DuplicateContent()
        w.documents[document.id] = document
        w.contents[document.id] = content

    async def get(self, document_id: UUID, *, for_update: bool = False) -> Document | None:
        return self._s.work.documents.get(document_id)

    async def find_by_hash(self, project_id: UUID, content_hash: str) -> Document | None:
        found = [
            d for d in self._s.work.documents.values() if (d.project_id, d.content_hash) == (project_id, content_hash)
        ]
        return found[0] if found else None

    async def content_of(self, document_id: UUID) -> bytes | None:
        return self._s.work.contents.get(document_id)

    async def save_text(self, document_id: UUID, text: str) -> None:
        self._s.work.texts[document_id] = text

    async def text_of(self, document_id: UUID) -> str | None:
        return self._s.work.texts.get(document_id)

    async def save_extraction(self, document_id: UUID, extractor: str, extraction: Extraction) -> None:
        self._s.work.extractions[document_id] = (extractor, extraction_to_json(extraction))

    async def extraction_of(self, document_id: UUID) -> StoredExtraction | None:
        found = self._s.work.extractions.get(document_id)
        return None if found is None else StoredExtraction(found[0], extraction_from_json(found[1]))

    async def page(self, query: DocumentQuery, scope: ProjectScope) -> list[Document]:
        found = [
            d
            for d in self._s.work.documents.values()
            if scope.includes(d.project_id)
            and (query.project_id is None or d.project_id == query.project_id)
            and (query.status is None or d.status is query.status)
            and (query.media_type is None or d.media_type is query.media_type)
            and (not query.title_contains or query.title_contains.lower() in d.title.lower())
            and (query.submitted_by is None or d.submitted_by == query.submitted_by)
            and (query.after is None or (d.created_at, d.id) < (query.after.created_at, query.after.document_id))
        ]
        found.sort(key=lambda d: (d.created_at, d.id), reverse=True)
        return found[: query.limit]

    async def forget_submitter(self, user_id: UUID) -> None:
        for document in self._s.work.documents.values():
            if document.submitted_by == user_id:
                document.submitted_by = None

    async def remove(self, document: Document) -> None:
        w = self._s.work
        jobs = [j for j in w.jobs if w.jobs[j].document_id == document.id]
        for job_id in jobs:
            del w.jobs[job_id]
        for batch in w.batches.values():
            batch[:] = [j for j in batch if j not in jobs]
        for table in (w.contents, w.texts, w.extractions, w.chunks):
            table.pop(document.id, None)
        del w.documents[document.id]
        self._s.removed.append(document)


class MemoryChunks:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def replace(self, document_id: UUID, chunks: Sequence[Chunk]) -> None:
        self._s.work.chunks[document_id] = list(chunks)

    async def of_document(self, document_id: UUID) -> list[Chunk]:
        return list(self._s.work.chunks.get(document_id, []))


class MemoryJobs:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def add(self, job: IngestionJob) -> None:
        self._s.work.jobs[job.id] = job

    async def get(self, job_id: UUID, *, for_update: bool = False) -> IngestionJob | None:
        return self._s.work.jobs.get(job_id)

    async def latest_of(self, document_id: UUID) -> IngestionJob | None:
        jobs = [j for j in self._s.work.jobs.values() if j.document_id == document_id]
        return max(jobs, key=lambda j: j.created_at) if jobs else None

    async def add_batch(self, batch_id: UUID, project_id: UUID, job_ids: Sequence[UUID]) -> None:
        self._s.work.batches[batch_id] = list(job_ids)

    async def of_batch(self, batch_id: UUID) -> list[IngestionJob]:
        return [self._s.work.jobs[j] for j in self._s.work.batches.get(batch_id, [])]

    async def take_due(self, now: datetime, until: datetime, token: UUID, limit: int) -> list[IngestionJob]:
        due = sorted((j for j in self._s.work.jobs.values() if j.due(now)), key=lambda j: (j.next_attempt_at, j.id))
        for job in due[:limit]:
            job.take(token, until, now)
        return due[:limit]


class MemoryProjects:
    def __init__(self, *projects: Project, personal: dict[UUID, Project] | None = None) -> None:
        self.projects = {p.id: p for p in projects}
        self.personal = personal or {}

    async def get(self, project_id: UUID, *, for_update: bool = False) -> Project | None:
        return self.projects.get(project_id)

    async def personal_project_of(self, user_id: UUID) -> Project | None:
        return self.personal.get(user_id)


class RecordingQueue:
    def __init__(self) -> None:
        self.sent: list[TakenJob] = []

    async def send(self, taken: Sequence[TakenJob]) -> None:
        self.sent.extend(taken)
