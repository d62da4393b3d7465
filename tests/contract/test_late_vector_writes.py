"""A project deleted while something embeds for it (an ingestion step, `agentry knowledge reindex`) keeps no
vector, on SQLite and PostgreSQL, with the embedded index the embedded profile uses: the deletion is started
from inside the embedder, between the writer's read and its write, and the relay's forgetting
(ForgetProjectVectors: the index's delete_project) follows its commit, as it does in the service.

The orders differ by database. An ingestion step holds its job (SQLite's write lock; PostgreSQL's row lock on
the job, which the deletion's cascade waits for) until it commits, so the deletion comes after its vectors.
The reindex ends each page's read transaction before it embeds (it held SQLite's write lock until it ended
before), and never locked anything on PostgreSQL: the project is deleted and forgotten before its write,
which kept the names' vectors of a deleted project (in the embedded index or pgvector) until the index
learnt to refuse a forgotten project's entries.
Meanwhile a search of the deleted project answers that it does not exist (its vectors are still in the
index then)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.pgvector.index import PgVectorIndex
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.documents.ingest import NewDocument
from agentry.application.errors import NotFound
from agentry.application.knowledge.reindex_names import ReindexNames
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.application.search.ports import Vector, VectorIndex
from agentry.domain.documents.document import MediaType
from agentry.domain.documents.job import JobStatus
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.contract.builders import moment
from tests.contract.lock_waits import GIVE_UP_S, backend_of, until_it_waits_for_a_lock
from tests.contract.test_document_storage import TEXT, Store, member, run_all, stored
from tests.fakes.memory_search import HashingEmbedder
from tests.fakes.policy import TablePolicy

ADMIN = Principal(uuid4(), "admin", role=GlobalRole.ADMIN)


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with stored(request, tmp_path) as made:
        yield made


class DeletingEmbedder(HashingEmbedder):
    """At its first batch, starts deleting the project (then forgetting its vectors, as the relay does) and
    answers, and so lets its caller write, once the deletion has ended, or (`waits`: the caller holds what
    the deletion needs) once it waits for a lock (PostgreSQL) or at once (SQLite, whose one connection the
    caller holds: the deletion queues for it)."""

    def __init__(self, store: Store, index: VectorIndex, *, waits: bool) -> None:
        super().__init__()
        self.store, self.index, self.waits = store, index, waits
        self.deletion: asyncio.Task[None] | None = None
        self.forgotten_first = False  # whether the project was deleted and forgotten before the writer wrote
        self.postgres = False
        self.waited = False  # whether the deletion waited for a lock the writer held (PostgreSQL)
        # what a member's search answered between the commit and the forgetting
        self.meanwhile: list[object] | str | None = None

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        if self.deletion is None:
            backend: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
            self.deletion = asyncio.create_task(self._delete(backend))
            pid = await backend
            self.postgres = pid is not None
            if pid is not None:
                self.waited = await until_it_waits_for_a_lock(self.store.sessions, pid, self.deletion)
            elif not self.waits:
                await asyncio.wait_for(asyncio.shield(self.deletion), GIVE_UP_S)
            self.forgotten_first = self.deletion.done()
        return await super().embed(texts)

    async def _delete(self, backend: asyncio.Future[int | None]) -> None:
        async with self.store.sessions() as s:
            backend.set_result(await backend_of(s) if s.get_bind().dialect.name == "postgresql" else None)
            projects = SqlAlchemyProjectRepository(s)
            project = await projects.get(self.store.project_id, for_update=True)
            assert project is not None
            project.delete(moment(50))
            await projects.delete(project)
            await SqlAlchemyUnitOfWork(s, uuid4).commit()
        async with self.store.scope() as p:
            try:
                self.meanwhile = list(await p.search(member(self.store), self.store.project_id, "Analytical Engine", 5))
            except NotFound:
                self.meanwhile = "project not found"
        await self.index.delete_project(self.store.project_id)

    async def deleted(self) -> None:
        assert self.deletion is not None, "nothing was embedded"
        await self.deletion


async def test_a_project_deleted_while_its_document_embeds_keeps_no_vector(store: Store) -> None:
    store.vectors = EmbeddedVectorIndex(":memory:", 64)  # type: ignore[assignment]
    embedder = DeletingEmbedder(store, store.vectors, waits=True)  # the deletion waits for the step
    store.embedder = embedder
    async with store.scope() as p:
        await p.ingest(member(store), store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
        other = Principal(UUID(int=9), "o", memberships={store.other_id: ProjectRole.MEMBER})
        await p.ingest(other, store.other_id, NewDocument("Theirs", MediaType.TEXT, b"The Analytical Engine, again."))

    ended = await run_all(store)
    await embedder.deleted()

    assert not embedder.forgotten_first and embedder.waited == embedder.postgres
    assert await store.vectors.count(store.project_id) == 0
    assert embedder.meanwhile == "project not found"
    assert ended[-1] is JobStatus.SUCCEEDED and await store.vectors.count(store.other_id) == 1


@pytest.fixture(params=["embedded", "pgvector"])
async def names(request: pytest.FixtureRequest) -> AsyncIterator[VectorIndex]:
    """The names' index: the embedded profile's, or pgvector (production, or AGENTRY_VECTOR_DATABASE_URL)."""
    if request.param == "embedded":
        embedded = EmbeddedVectorIndex(":memory:", 64)
        yield embedded
        embedded.close()
        return
    engine = create_async_engine(request.getfixturevalue("pgvector_url"))
    try:
        yield PgVectorIndex(engine, 64, table=f"late_names_{uuid4().hex[:8]}")
    finally:
        await engine.dispose()


async def test_a_project_deleted_while_the_reindex_embeds_its_names_keeps_no_name_vector(
    store: Store, names: VectorIndex
) -> None:
    embedder = DeletingEmbedder(store, names, waits=False)  # the deletion goes through at once
    async with store.sessions() as s:
        entities = SqlAlchemyEntities(s)
        for name in ("Acme", "Initech"):
            await entities.add(Entity.create(uuid4(), store.project_id, EntityEdit(name=name, type="org"), moment(5)))
        await SqlAlchemyUnitOfWork(s, uuid4).commit()

    async with store.sessions() as s:
        similar = SimilarNames(embedder, names, ResolutionSettings())
        uow = SqlAlchemyUnitOfWork(s, uuid4)
        reindex = ReindexNames(SqlAlchemyEntities(s), SqlAlchemyProjectRepository(s), similar, TablePolicy(), uow)
        report = await reindex(ADMIN, store.project_id, batch=1)
    await embedder.deleted()

    assert embedder.forgotten_first and not embedder.waited and report.entities >= 1
    assert await names.count(store.project_id) == 0
