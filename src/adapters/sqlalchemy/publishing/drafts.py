"""What drafting tasks were given, on SQLAlchemy (core: a request is a record, not an aggregate), and the
chunks their sources quote, read from the documents' tables."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.documents.tables import document_chunks, documents
from agentry.adapters.sqlalchemy.publishing.tables import publication_drafts
from agentry.application.publishing.ports import DraftRequest, SourceChunk
from agentry.domain.documents.chunks import chunk_id

r = publication_drafts.c


class SqlAlchemyDraftRequests:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, request: DraftRequest) -> None:
        await self._session.execute(
            insert(publication_drafts).values(
                task_id=request.task_id,
                project_id=request.project_id,
                author_id=request.author_id,
                title=request.title,
                entity_ids=request.entity_ids,
                sources=request.sources,
                created_at=request.created_at,
                publication_id=request.publication_id,
            )
        )

    async def get(self, task_id: UUID, *, for_update: bool = False) -> DraftRequest | None:
        query = select(publication_drafts).where(r.task_id == task_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        return DraftRequest(
            row.task_id,
            row.project_id,
            row.author_id,
            row.title,
            row.entity_ids,
            row.sources,
            row.created_at,
            row.publication_id,
        )

    async def drafted(self, task_id: UUID, publication_id: UUID) -> None:
        await self._session.execute(
            update(publication_drafts).where(r.task_id == task_id).values(publication_id=publication_id)
        )


class SqlAlchemySourceChunks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, project_id: UUID, wanted: Collection[tuple[UUID, UUID]]) -> dict[UUID, SourceChunk]:
        if not wanted:
            return {}
        c, d = document_chunks.c, documents.c
        chunk_ids = {chunk for _, chunk in wanted}
        statement = (
            select(c.document_id, c.ordinal, c.text, d.title)
            .select_from(document_chunks.join(documents, d.id == c.document_id))
            .where(d.project_id == project_id, c.document_id.in_({document for document, _ in wanted}))
        )
        found = {}
        for row in (await self._session.execute(statement)).all():
            key = chunk_id(row.document_id, row.ordinal)
            if key in chunk_ids:
                found[key] = SourceChunk(row.document_id, key, row.ordinal, row.title, row.text)
        return found
