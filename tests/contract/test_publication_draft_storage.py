"""What drafting tasks were given, and the chunks their sources quote, on every adapter (memory, SQLite,
PostgreSQL): a request round-trips with its numbered sources and learns its publication; the chunks are
found by (document, chunk) id within the project only; a publication keeps the task that drafted it
and its citations, and the project's list finds it by that task."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from agentry.adapters.sqlalchemy.documents.repository import SqlAlchemyChunks, SqlAlchemyDocuments
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.identity.user_repository import SqlAlchemyUserRepository
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.publishing.drafts import SqlAlchemyDraftRequests, SqlAlchemySourceChunks
from agentry.adapters.sqlalchemy.publishing.repository import SqlAlchemyPublications
from agentry.adapters.sqlalchemy.tasks.task_repository import SqlAlchemyTaskRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.publishing.ports import (
    DraftRequest,
    DraftRequests,
    PublicationQuery,
    PublicationRepository,
    SourceChunk,
    SourceChunks,
)
from agentry.domain.documents.chunks import Chunk
from agentry.domain.documents.document import Document, MediaType
from agentry.domain.publishing.citations import Citation
from agentry.domain.publishing.publication import Publication
from tests.contract.builders import make_project, make_task, make_user, moment
from tests.contract.databases import empty_database
from tests.fakes.memory_publications import (
    MemoryDraftRequests,
    MemoryPublications,
    MemorySourceChunks,
    PublicationsDb,
)

TEXT = "Ada Lovelace wrote the first program."
OTHER_TEXT = "Charles Babbage designed the engine."
AUTHOR = UUID(int=0xA0)  # who uploads the documents and writes the publications (an account: they reference it)


@dataclass
class Ports:
    drafts: DraftRequests
    chunks: SourceChunks
    publications: PublicationRepository


@dataclass
class Scene:
    scope: Callable[[], Any]  # an async context manager of Ports, committing at its end
    project_id: UUID
    other_project_id: UUID
    task_id: UUID
    document_id: UUID
    chunk: Chunk
    other_chunk: Chunk  # of a document of the other project


def chunks_of(document_id: UUID, text: str) -> Chunk:
    return Chunk(document_id, 0, 0, len(text), text)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def scene(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Scene]:
    start_mappers()  # before the domain objects are made, so SQLAlchemy can track them
    project, other = make_project(), make_project()
    task = make_task(project_id=project.id)
    document, elsewhere = uuid4(), uuid4()
    chunk, other_chunk = chunks_of(document, TEXT), chunks_of(elsewhere, OTHER_TEXT)
    if request.param == "memory":
        db = PublicationsDb()
        db.chunks[chunk.id] = (project.id, SourceChunk(document, chunk.id, 0, "Notes", TEXT))
        db.chunks[other_chunk.id] = (other.id, SourceChunk(elsewhere, other_chunk.id, 0, "Elsewhere", OTHER_TEXT))

        @asynccontextmanager
        async def in_memory() -> AsyncIterator[Ports]:
            yield Ports(MemoryDraftRequests(db), MemorySourceChunks(db), MemoryPublications(db))

        yield Scene(in_memory, project.id, other.id, task.id, document, chunk, other_chunk)
        return
    url = empty_database(request, request.param, tmp_path)
    engine = create_async_database(url, pool_size=5)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as s:
        for p in (project, other):
            await SqlAlchemyProjectRepository(s).add(p)
        await SqlAlchemyUserRepository(s).add(make_user(id=AUTHOR))
        await SqlAlchemyTaskRepository(s).add(task)
        for doc_id, p, title, k in ((document, project, "Notes", chunk), (elsewhere, other, "Elsewhere", other_chunk)):
            made = Document.submit(doc_id, p.id, AUTHOR, title, MediaType.TEXT, doc_id.hex * 2, 10, moment(1))
            await SqlAlchemyDocuments(s).add(made, k.text.encode())
            await SqlAlchemyChunks(s).replace(doc_id, [k])
        await SqlAlchemyUnitOfWork(s, uuid4).commit()

    @asynccontextmanager
    async def in_sql() -> AsyncIterator[Ports]:
        async with sessions() as s:
            yield Ports(SqlAlchemyDraftRequests(s), SqlAlchemySourceChunks(s), SqlAlchemyPublications(s))
            await SqlAlchemyUnitOfWork(s, uuid4).commit()

    try:
        yield Scene(in_sql, project.id, other.id, task.id, document, chunk, other_chunk)
    finally:
        await engine.dispose()


def citation(scene: Scene, number: int = 1, title: str | None = "Notes") -> Citation:
    return Citation(number, scene.document_id, scene.chunk.id, 0, 12, "Ada Lovelace", title)


async def test_a_request_round_trips_with_its_sources_and_learns_its_publication(scene: Scene) -> None:
    request = DraftRequest(
        scene.task_id, scene.project_id, uuid4(), "About Ada", (uuid4(), uuid4()), (citation(scene),), moment(5)
    )
    async with scene.scope() as ports:
        await ports.drafts.add(request)
    async with scene.scope() as ports:
        assert await ports.drafts.get(scene.task_id) == request
        assert await ports.drafts.get(uuid4()) is None
        publication_id = uuid4()
        await ports.drafts.drafted(scene.task_id, publication_id)
    async with scene.scope() as ports:
        found = await ports.drafts.get(scene.task_id, for_update=True)
        assert found is not None and found.publication_id == publication_id


async def test_chunks_are_found_by_document_and_chunk_within_the_project_only(scene: Scene) -> None:
    async with scene.scope() as ports:
        wanted = {(scene.document_id, scene.chunk.id), (scene.other_chunk.document_id, scene.other_chunk.id)}
        found = await ports.chunks.of(scene.project_id, wanted | {(scene.document_id, uuid4())})
        assert found == {scene.chunk.id: SourceChunk(scene.document_id, scene.chunk.id, 0, "Notes", TEXT)}
        assert await ports.chunks.of(scene.project_id, set()) == {}


async def test_a_drafted_publication_keeps_its_task_and_citations_and_is_listed_by_its_task(scene: Scene) -> None:
    drafted = Publication.draft(
        uuid4(), scene.project_id, AUTHOR, "About Ada", "Ada [1].", moment(6), task_id=scene.task_id,
        citations=[citation(scene)],
    )  # fmt: skip
    by_hand = Publication.draft(uuid4(), scene.project_id, AUTHOR, "By hand", "", moment(7))
    async with scene.scope() as ports:
        await ports.publications.add(drafted)
        await ports.publications.add(by_hand)
    async with scene.scope() as ports:
        listed = await ports.publications.page(PublicationQuery(scene.project_id, task_id=scene.task_id))
        assert [p.id for p in listed] == [drafted.id]
        assert listed[0].citations == (citation(scene),) and listed[0].task_id == scene.task_id
        everything = await ports.publications.page(PublicationQuery(scene.project_id))
        assert {p.id: p.citations for p in everything}[by_hand.id] == ()


async def test_an_edited_body_stores_the_citations_it_still_cites_with_their_titles(scene: Scene) -> None:
    sources = [citation(scene, 1), citation(scene, 2, title=None), citation(scene, 3)]
    drafted = Publication.draft(
        uuid4(), scene.project_id, AUTHOR, "About Ada", "Ada [1], [2] and [3].", moment(6), citations=sources
    )
    async with scene.scope() as ports:
        await ports.publications.add(drafted)
    async with scene.scope() as ports:
        found = await ports.publications.get(drafted.id, for_update=True)
        assert found is not None and found.citations == tuple(sources)  # a title, or none, round-trips
        found.edit(AUTHOR, moment(7), body="Only [2, 3] now.")
    async with scene.scope() as ports:
        found = await ports.publications.get(drafted.id)
        assert found is not None and found.citations == (sources[1], sources[2])
