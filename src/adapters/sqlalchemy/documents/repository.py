"""Documents, chunks and ingestion jobs on SQLAlchemy (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.documents.tables import (
    document_batch_jobs,
    document_chunks,
    document_contents,
    documents,
    ingestion_jobs,
)
from agentry.adapters.sqlalchemy.project_share import on_postgresql, project_share
from agentry.application.documents.ports import DocumentQuery, DuplicateContent, StoredExtraction
from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.documents.chunks import Chunk
from agentry.domain.documents.document import Document
from agentry.domain.documents.job import IngestionJob, JobStatus
from agentry.domain.knowledge.facts import Extraction, extraction_from_json, extraction_to_json

d = documents.c
j = ingestion_jobs.c
OPEN = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


class SqlAlchemyDocuments:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, document: Document, content: bytes) -> None:
        self._session.add(document)
        try:
            async with self._session.begin_nested():
                await self._session.flush()
        except IntegrityError as error:
            if "content_hash" in str(error.orig) or "uq_documents_project_id_content_hash" in str(error.orig):
                self._session.expunge(document)
                raise DuplicateContent() from error
            raise
        await self._session.execute(insert(document_contents).values(document_id=document.id, content=content))

    async def get(self, document_id: UUID, *, for_update: bool = False) -> Document | None:
        """`for_update` takes the locks in the order an ingestion step takes them (SqlAlchemyIngestionJobs.get):
        on PostgreSQL a share of the project's row, then the document's jobs, then the document. A deletion that
        took the document's rows before its jobs (then waited for the job a step held, while the step went on
        to write those rows) deadlocked; now it waits for the step before it touches anything, and no step
        starts before it ends. SQLite's one writer at a time needs only the document."""
        if not for_update:
            return await self._session.get(Document, document_id)
        if on_postgresql(self._session):  # the project's share first (project_share.py)
            await self._session.execute(
                project_share(select(d.project_id).where(d.id == document_id).scalar_subquery())
            )
            jobs = select(j.id).where(j.document_id == document_id).order_by(j.id).with_for_update()
            await self._session.execute(jobs)
        query = select(Document).where(d.id == document_id).with_for_update().execution_options(populate_existing=True)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def find_by_hash(self, project_id: UUID, content_hash: str) -> Document | None:
        query = select(Document).where(d.project_id == project_id, d.content_hash == content_hash)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def content_of(self, document_id: UUID) -> bytes | None:
        query = select(document_contents.c.content).where(document_contents.c.document_id == document_id)
        content: bytes | None = (await self._session.execute(query)).scalar_one_or_none()
        return content

    async def save_text(self, document_id: UUID, text: str) -> None:
        await self._session.execute(
            update(document_contents).where(document_contents.c.document_id == document_id).values(text=text)
        )

    async def text_of(self, document_id: UUID) -> str | None:
        query = select(document_contents.c.text).where(document_contents.c.document_id == document_id)
        text: str | None = (await self._session.execute(query)).scalar_one_or_none()
        return text

    async def save_extraction(self, document_id: UUID, extractor: str, extraction: Extraction) -> None:
        payload = {"extractor": extractor, **extraction_to_json(extraction)}
        await self._session.execute(
            update(document_contents).where(document_contents.c.document_id == document_id).values(extraction=payload)
        )

    async def extraction_of(self, document_id: UUID) -> StoredExtraction | None:
        query = select(document_contents.c.extraction).where(document_contents.c.document_id == document_id)
        raw: dict[str, Any] | None = (await self._session.execute(query)).scalar_one_or_none()
        return None if raw is None else StoredExtraction(raw["extractor"], extraction_from_json(raw))

    async def page(self, query: DocumentQuery, scope: ProjectScope) -> list[Document]:
        statement = select(Document)
        if not scope.everything:
            statement = statement.where(d.project_id.in_(scope.project_ids))
        if query.project_id is not None:
            statement = statement.where(d.project_id == query.project_id)
        if query.status is not None:
            statement = statement.where(d.status == query.status)
        if query.media_type is not None:
            statement = statement.where(d.media_type == query.media_type)
        if query.title_contains:
            pattern = "%" + query.title_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            statement = statement.where(d.title.ilike(pattern, escape="\\"))
        if query.submitted_by is not None:
            statement = statement.where(d.submitted_by == query.submitted_by)
        if query.after is not None:
            at, last = query.after.created_at, query.after.document_id
            statement = statement.where(or_(d.created_at < at, and_(d.created_at == at, d.id < last)))
        statement = statement.order_by(d.created_at.desc(), d.id.desc()).limit(query.limit)
        return list((await self._session.execute(statement)).scalars())

    async def remove(self, document: Document) -> None:
        """Chunks, content, jobs and batch entries go first (SQLite does not enforce the cascades unless
        asked), then the document itself, whose recorded events the flush takes."""
        session = self._session
        jobs = select(j.id).where(j.document_id == document.id)
        await session.execute(delete(document_batch_jobs).where(document_batch_jobs.c.job_id.in_(jobs)))
        for job in (await session.execute(select(IngestionJob).where(j.document_id == document.id))).scalars():
            await session.delete(job)
        await session.execute(delete(document_chunks).where(document_chunks.c.document_id == document.id))
        await session.execute(delete(document_contents).where(document_contents.c.document_id == document.id))
        await session.delete(document)
        await session.flush()

    async def forget_submitter(self, user_id: UUID) -> None:
        await self._session.execute(
            update(documents).where(d.submitted_by == user_id).values(submitted_by=None),
            execution_options={"synchronize_session": False},
        )


class SqlAlchemyChunks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def replace(self, document_id: UUID, chunks: Sequence[Chunk]) -> None:
        c = document_chunks.c
        await self._session.execute(delete(document_chunks).where(c.document_id == document_id))
        if chunks:
            rows = [
                {"document_id": document_id, "ordinal": k.ordinal, "start": k.start, "end": k.end, "text": k.text}
                for k in chunks
            ]
            await self._session.execute(insert(document_chunks), rows)

    async def of_document(self, document_id: UUID) -> list[Chunk]:
        c = document_chunks.c
        query = select(document_chunks).where(c.document_id == document_id).order_by(c.ordinal)
        return [
            Chunk(row.document_id, row.ordinal, row.start, row.end, row.text)
            for row in (await self._session.execute(query)).all()
        ]


class SqlAlchemyIngestionJobs:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: IngestionJob) -> None:
        self._session.add(job)
        await self._session.flush()

    async def get(self, job_id: UUID, *, for_update: bool = False) -> IngestionJob | None:
        """`for_update` on PostgreSQL first takes a share of the job's project's row, then the job: a project's
        deletion locks the project before its cascade reaches the document's rows and then the job, so a step
        that held the job while the cascade took the document's rows would wait on the deletion as it waits on
        the step (a deadlock). Now a step waits for a deletion that began first (then finds its job gone), or
        a deletion for the step. SQLite's one writer at a time needs neither."""
        if for_update:
            if on_postgresql(self._session):  # the project's share first (project_share.py)
                of_job = select(d.project_id).join(ingestion_jobs, j.document_id == d.id).where(j.id == job_id)
                await self._session.execute(project_share(of_job.scalar_subquery()))
            query = (
                select(IngestionJob).where(j.id == job_id).with_for_update().execution_options(populate_existing=True)
            )
            return (await self._session.execute(query)).scalar_one_or_none()
        return await self._session.get(IngestionJob, job_id)

    async def latest_of(self, document_id: UUID) -> IngestionJob | None:
        query = select(IngestionJob).where(j.document_id == document_id).order_by(j.created_at.desc()).limit(1)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def add_batch(self, batch_id: UUID, project_id: UUID, job_ids: Sequence[UUID]) -> None:
        rows = [
            {"batch_id": batch_id, "position": n, "job_id": job_id, "project_id": project_id}
            for n, job_id in enumerate(job_ids)
        ]
        if rows:
            await self._session.execute(insert(document_batch_jobs), rows)

    async def of_batch(self, batch_id: UUID) -> list[IngestionJob]:
        b = document_batch_jobs.c
        query = (
            select(IngestionJob)
            .join(document_batch_jobs, b.job_id == j.id)
            .where(b.batch_id == batch_id)
            .order_by(b.position)
        )
        return list((await self._session.execute(query)).scalars())

    async def take_due(self, now: datetime, until: datetime, token: UUID, limit: int) -> list[IngestionJob]:
        free = or_(j.leased_until.is_(None), j.leased_until <= now)
        query = (
            select(IngestionJob)
            .where(j.status.in_(OPEN), j.next_attempt_at <= now, free)
            .order_by(j.next_attempt_at, j.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        due = list((await self._session.execute(query)).scalars())
        for job in due:
            job.take(token, until, now)
        await self._session.flush()
        return due
