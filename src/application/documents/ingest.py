"""Ingest documents: members of a project write, viewers read (the task roles).

The content is refused at once when it is wrong on its face (empty, larger than the limit, of an
unsupported type, text that is not UTF-8, a PDF with too many pages), with a 4xx naming why. Otherwise
the document (processing) and its ingestion job (queued) are stored in one commit; the workers take
the job from there. Content is stored once per project: the same bytes again (by SHA-256) give back the
document they made and its latest job, with nothing written (re-ingesting is idempotent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, require_existing_project, require_project_reader
from agentry.application.documents.ports import (
    DocumentParser,
    DocumentRepository,
    DocumentSettings,
    DuplicateContent,
    IngestionJobRepository,
)
from agentry.application.errors import ConcurrentUpdate, NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.documents.document import Document, MediaType, checked_title
from agentry.domain.documents.job import IngestionJob
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal


class ContentTooLarge(InvalidValue):
    """Larger than AGENTRY_DOCUMENT_MAX_BYTES (413)."""

    code = "content_too_large"

    def __init__(self, size: int, limit: int, field: str = "content", filename: str | None = None) -> None:
        message = f"{size} bytes is more than the limit of {limit} bytes"
        super().__init__(field, f"{filename}: {message}" if filename else message)
        self.size = size
        self.limit = limit


@dataclass(frozen=True, slots=True)
class NewDocument:
    title: str
    media_type: MediaType
    content: bytes
    filename: str | None = None  # the uploaded file's name, to name it in a refusal


@dataclass(frozen=True, slots=True)
class Ingestion:
    document: Document
    job: IngestionJob
    replayed: bool  # the project held this content already: nothing new was written


@dataclass(frozen=True, slots=True)
class Batch:
    id: UUID
    project_id: UUID
    ingestions: list[Ingestion]


@dataclass(frozen=True, slots=True)
class DocumentIntake:
    """What ingesting one document and a batch share."""

    documents: DocumentRepository
    jobs: IngestionJobRepository
    projects: ProjectRepository
    parser: DocumentParser
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: DocumentSettings

    async def project_for(self, actor: Principal, project_id: UUID | None) -> UUID:
        """The project to ingest into (None: the actor's personal project), once the actor may."""
        if project_id is None:
            personal = await self.projects.personal_project_of(actor.id)
            if personal is None:
                raise InvalidValue("project_id", "is required: you have no personal project")
            project_id = personal.id
        require_project_reader(self.policy, actor, project_id)
        require(self.policy, actor, Action.INGEST_DOCUMENT, Resource.of_project(project_id))
        await require_existing_project(self.projects, project_id)
        return project_id

    async def check(self, new: NewDocument) -> str:
        """The content's SHA-256, once it passed the checks."""
        checked_title(new.title)
        if not new.content:
            raise InvalidValue("content", "is empty")
        if len(new.content) > self.settings.max_bytes:
            raise ContentTooLarge(len(new.content), self.settings.max_bytes)
        await self.parser.precheck(new.media_type, new.content)
        return hashlib.sha256(new.content).hexdigest()

    async def stage(
        self, actor: Principal, project_id: UUID, new: NewDocument, digest: str, batch_id: UUID | None
    ) -> Ingestion:
        """Write the document and its job (uncommitted), or find the one with this content."""
        if earlier := await self._earlier(project_id, digest):
            return earlier
        now = self.clock.now()
        document = Document.submit(
            self.ids.new_id(), project_id, actor.id, new.title, new.media_type, digest, len(new.content), now
        )
        job = IngestionJob.start(self.ids.new_id(), document.id, project_id, now, batch_id=batch_id)
        try:
            await self.documents.add(document, new.content)
        except DuplicateContent:  # a concurrent request stored it first
            if batch_id is not None:  # a rollback would take the batch's other items with it
                raise ConcurrentUpdate() from None
            await self.uow.rollback()
            if earlier := await self._earlier(project_id, digest):
                return earlier
            raise
        await self.jobs.add(job)
        return Ingestion(document, job, replayed=False)

    async def _earlier(self, project_id: UUID, digest: str) -> Ingestion | None:
        document = await self.documents.find_by_hash(project_id, digest)
        if document is None:
            return None
        job = await self.jobs.latest_of(document.id)
        if job is None:  # cannot happen: a document is stored with its job
            raise NotFound("ingestion job of document", document.id)
        return Ingestion(document, job, replayed=True)


@dataclass(frozen=True, slots=True)
class IngestDocument:
    intake: DocumentIntake

    async def __call__(self, actor: Principal, project: UUID | None, new: NewDocument) -> Ingestion:
        intake = self.intake
        project_id = await intake.project_for(actor, project)
        digest = await intake.check(new)
        ingestion = await intake.stage(actor, project_id, new, digest, None)
        await intake.uow.commit()  # a replay wrote nothing: the commit ends the transaction
        return ingestion


@dataclass(frozen=True, slots=True)
class IngestBatch:
    """Many documents in one request: each is checked first (one bad item refuses the whole batch, naming
    it by its place, `documents[n]`, and its file name if it was a file, and nothing is written); then one
    job each, all in one commit, under a batch id whose status lists them. An item whose content the
    project holds already is in the batch with its job."""

    intake: DocumentIntake

    async def __call__(self, actor: Principal, project: UUID | None, items: Sequence[NewDocument]) -> Batch:
        intake = self.intake
        project_id = await intake.project_for(actor, project)
        if not items:
            raise InvalidValue("documents", "give at least one document")
        if len(items) > intake.settings.max_batch:
            raise InvalidValue("documents", f"at most {intake.settings.max_batch} in one batch")
        digests: list[str] = []
        for number, item in enumerate(items):
            try:
                digests.append(await intake.check(item))
            except InvalidValue as error:
                raise _named(error, number, item) from None
        batch_id = intake.ids.new_id()
        ingestions: list[Ingestion] = []
        staged: dict[str, Ingestion] = {}
        for item, digest in zip(items, digests, strict=True):
            if digest not in staged:  # the same content twice in one batch is one document
                staged[digest] = await intake.stage(actor, project_id, item, digest, batch_id)
            ingestions.append(staged[digest])
        await intake.jobs.add_batch(batch_id, project_id, list(dict.fromkeys(i.job.id for i in ingestions)))
        await intake.uow.commit()
        return Batch(batch_id, project_id, ingestions)


def _named(error: InvalidValue, number: int, item: NewDocument) -> InvalidValue:
    """The refusal of a batch's item, named by its place (and its file's name): still a 413 if it was one."""
    field = f"documents[{number}].{error.field}"
    if isinstance(error, ContentTooLarge):
        return ContentTooLarge(error.size, error.limit, field, item.filename)
    return InvalidValue(field, f"{item.filename}: {error.message}" if item.filename else error.message)
