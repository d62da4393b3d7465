"""A document deleted while one of its ingestion steps runs: the deletion and the step both end, without a
deadlock, and nothing of the document is left, on SQLite and PostgreSQL.

The deletion is started from inside the step (in the parser, the embedder, the extractor, or the name index
the link step asks), and on PostgreSQL the step goes on only once the deletion waits for a lock (or has
ended): the order is the same every run, and it is the one that deadlocked. A step holds its job's row from
its start to its commit; the deletion took the document's rows (its content, then the document) and then
waited for the job while the step, holding the job, went on to write the content (parse, extract) or the
document (the link step's last write): PostgreSQL aborted one of them. SQLite has one writer at a time (here
one connection), so the deletion waits for the step's commit.

The knowledge graph's writers that change many facts at once (a link step's merge, a document's forgetting, a
merge or deletion of entities) wrote entities and relationships in different orders; they take turns on the
project's graph now (EntityRepository.hold_graph), tested here the same way: one starts the other and goes
on once the other waits for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.extraction.offline import OfflineRuleExtractor
from agentry.adapters.parsers.parser import TextAndPdfParser
from agentry.adapters.sqlalchemy.knowledge.edits import SqlAlchemyKnowledgeEdits
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities, SqlAlchemyRelationships
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.documents.ingest import NewDocument
from agentry.application.errors import NotFound
from agentry.application.knowledge.curate import DeleteEntity, MergeEntities
from agentry.application.knowledge.ports.extraction import ChunkText
from agentry.application.search.ports import Vector, VectorHit
from agentry.domain.documents.document import MediaType
from agentry.domain.documents.job import JobStatus
from agentry.domain.knowledge.facts import Extraction
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.roles import ProjectRole
from tests.contract.lock_waits import backend_of, until_another_waits_for_it, until_it_waits_for_a_lock
from tests.contract.test_document_storage import SETTINGS, SYSTEM, TEXT, Ids, Store, failure, member, run_all, stored
from tests.fakes.memory_search import HashingEmbedder, MemoryVectorIndex
from tests.fakes.policy import TablePolicy

DOCUMENT_TABLES = ("documents", "document_contents", "document_chunks", "ingestion_jobs")


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with stored(request, tmp_path) as made:
        yield made


class Deletion:
    """Deletes the document in a session of its own when the step calls it, and returns once the deletion
    has ended or (PostgreSQL) waits for a lock another session holds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.document_id: UUID | None = None
        self.task: asyncio.Task[None] | None = None
        self.backend: int | None = None  # the deletion's PostgreSQL backend
        self.waited = False  # whether the step went on while the deletion waited for a lock
        self.step_ends: list[str] = []  # how each of the step's transactions ended, filled by the test
        self.paused_after = 0  # how many had ended when the step started the deletion

    async def __call__(self) -> None:
        if self.task is not None or self.document_id is None:
            return
        self.paused_after = len(self.step_ends)
        backend: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._delete(self.document_id, backend))
        pid = self.backend = await backend
        if pid is not None:  # on SQLite the deletion queues for the one connection, which the step holds
            self.waited = await until_it_waits_for_a_lock(self.store.sessions, pid, self.task)

    async def _delete(self, document_id: UUID, backend: asyncio.Future[int | None]) -> None:
        async with self.store.scope() as p:
            if p.session.get_bind().dialect.name == "postgresql":
                backend.set_result(await backend_of(p.session))
            else:
                backend.set_result(None)
            await p.delete(member(self.store), document_id)

    async def ended(self) -> None:
        assert self.task is not None, "the step never started the deletion"
        await self.task


class PausingParser(TextAndPdfParser):
    def __init__(self, pause: Callable[[], Awaitable[None]]) -> None:
        super().__init__(SETTINGS)
        self.pause = pause

    async def parse(self, media_type: MediaType, content: bytes) -> str:
        await self.pause()
        return await super().parse(media_type, content)


class PausingEmbedder(HashingEmbedder):
    def __init__(self, pause: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self.pause = pause

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        await self.pause()
        return await super().embed(texts)


class PausingExtractor(OfflineRuleExtractor):
    def __init__(self, pause: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self.pause = pause

    async def extract(self, chunks: Sequence[ChunkText]) -> Extraction:
        await self.pause()
        return await super().extract(chunks)


class PausingNames(MemoryVectorIndex):
    """The link step asks the name index for the entities near each new name."""

    def __init__(self, pause: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self.pause = pause

    async def search(self, project_id: UUID, query: Vector, k: int) -> list[VectorHit]:
        await self.pause()
        return await super().search(project_id, query, k)


def pause_in(store: Store, step: str, deletion: Deletion) -> None:
    if step == "parse":
        store.parser = PausingParser(deletion)
    elif step == "embed":
        store.embedder = PausingEmbedder(deletion)
    elif step == "extract":
        store.extractor = PausingExtractor(deletion)
    else:
        store.name_vectors = PausingNames(deletion)


@pytest.mark.parametrize("step", ["parse", "embed", "extract", "link"])
async def test_a_document_deleted_during_an_ingestion_step_goes_and_the_step_ends_without_error(
    store: Store, step: str
) -> None:
    deletion = Deletion(store)
    pause_in(store, step, deletion)
    async with store.scope() as p:
        ingestion = await p.ingest(member(store), store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
        await p.dispatch(SYSTEM)
    deletion.document_id = ingestion.document.id
    (taken,) = store.queue.sent

    async with store.scope() as p:
        ended = deletion.step_ends
        event.listen(p.session.sync_session, "after_commit", lambda _: ended.append("commit"))
        event.listen(p.session.sync_session, "after_soft_rollback", lambda *_: ended.append("rollback"))
        outcome = await p.run(SYSTEM, taken.job_id, taken.token)
    await deletion.ended()

    assert outcome in (None, JobStatus.SUCCEEDED)  # its job went with the document, or (SQLite) after its end
    if deletion.backend is not None:  # PostgreSQL: the deletion waited for the step, which then committed
        assert deletion.waited and ended[deletion.paused_after] == "commit", ended
    async with store.scope() as p:
        for table in DOCUMENT_TABLES:
            assert (await p.session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0, table
        mentioned = await p.entities.mentioned_in(store.project_id, ingestion.document.id)
    assert mentioned == []
    assert store.vectors.entries == {}


class PausingRelationships(SqlAlchemyRelationships):
    """The link step asks for the relationships between the entities it has just written."""

    def __init__(self, session: AsyncSession, pause: Callable[[], Awaitable[None]]) -> None:
        super().__init__(session)
        self.pause = pause

    async def touching(self, project_id: UUID, entity_ids: Collection[UUID]) -> list[Relationship]:
        await self.pause()
        return await super().touching(project_id, entity_ids)


async def test_a_document_deleted_while_another_one_is_linked_to_the_same_facts_goes_and_the_link_step_ends(
    store: Store,
) -> None:
    """The link step writes the entities both documents name, then their relationships; forgetting the
    deleted document wrote the relationships, then the entities. They take turns now (the project's graph)."""
    actor = member(store)
    async with store.scope() as p:
        first = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    deletion = Deletion(store)
    deletion.document_id = first.document.id
    store.relationships_in = lambda session: PausingRelationships(session, deletion)
    async with store.scope() as p:
        second = await p.ingest(actor, store.project_id, NewDocument("Again", MediaType.TEXT, TEXT + b" Again."))

    assert await run_all(store) == [JobStatus.SUCCEEDED]
    await deletion.ended()

    assert deletion.waited == (deletion.backend is not None)
    async with store.scope() as p:
        assert await p.entities.mentioned_in(store.project_id, first.document.id) == []
        assert await p.relationships.mentioned_in(store.project_id, first.document.id) == []
        kept = await p.entities.mentioned_in(store.project_id, second.document.id)
        linked = await p.relationships.mentioned_in(store.project_id, second.document.id)
    assert {"Ada Lovelace", "Babbage"} <= {entity.name for entity in kept} and linked


async def test_of_two_deletions_of_a_document_at_once_the_second_finds_it_gone(store: Store) -> None:
    """The second one read the document before the first committed, then waited for its rows."""
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    second = Deletion(store)
    second.document_id = ingestion.document.id
    async with store.scope() as p:
        document = await p.run.documents.get(ingestion.document.id)
        assert document is not None
        await p.run.documents.remove(document)  # the first deletion, which has not committed yet
        await second()
        await p.run.uow.commit()
    with pytest.raises(NotFound):
        await second.ended()
    assert second.waited == (second.backend is not None)


class MeanwhileAfterTouching(SqlAlchemyRelationships):
    """A curation of entities asks for their relationships once it has written the entity it starts from: then
    `meanwhile` runs in a session of its own, until it waits for a lock the curation holds (PostgreSQL) or at
    once (SQLite: it queues for the one connection, which the curation holds)."""

    def __init__(self, session: AsyncSession, store: Store, meanwhile: Callable[[], Awaitable[object]]) -> None:
        super().__init__(session)
        self.store, self.meanwhile = store, meanwhile
        self.task: asyncio.Task[object] | None = None
        self.waited = False

    async def touching(self, project_id: UUID, entity_ids: Collection[UUID]) -> list[Relationship]:
        found = await super().touching(project_id, entity_ids)
        if self.task is None:
            self.task = asyncio.create_task(self.meanwhile())
            if self._session.get_bind().dialect.name == "postgresql":
                pid = await backend_of(self._session)
                self.waited = await until_another_waits_for_it(self.store.sessions, pid, self.task)
        return found

    async def ended(self) -> object:
        assert self.task is not None, "the curation never asked for relationships"
        return await self.task


def postgres(store: Store) -> bool:
    return bool(store.sessions.kw["bind"].dialect.name == "postgresql")


async def test_entities_merged_while_a_link_step_names_them_merge_and_the_step_ends(store: Store) -> None:
    """The merge wrote the entity it keeps, then the one it removes; the link step wrote both, in the order of
    their ids (the removed one first here). They take turns now (the project's graph)."""
    actor = member(store)
    async with store.scope() as p:
        await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    async with store.scope() as p:
        second = await p.ingest(actor, store.project_id, NewDocument("Again", MediaType.TEXT, TEXT + b" Again."))
        await p.dispatch(SYSTEM)
        named = await p.entities.named(store.project_id, ["ada lovelace", "babbage"])
    (taken,) = store.queue.sent
    removed, kept = sorted(named, key=lambda entity: entity.id)

    async def link() -> JobStatus | None:
        async with store.scope() as p:
            return await p.run(SYSTEM, taken.job_id, taken.token)

    async with store.sessions() as s:
        relationships = MeanwhileAfterTouching(s, store, link)
        merge = MergeEntities(
            SqlAlchemyEntities(s), relationships, TablePolicy(), SqlAlchemyUnitOfWork(s, uuid4), store.clock,
            Ids(), SqlAlchemyKnowledgeEdits(s),
        )  # fmt: skip
        await merge(member(store, ProjectRole.OWNER), store.project_id, kept.id, [removed.id])
    assert await relationships.ended() is JobStatus.SUCCEEDED, await failure(store, taken.job_id)
    assert relationships.waited == postgres(store)

    async with store.scope() as p:
        mentioned = await p.entities.mentioned_in(store.project_id, second.document.id)
        assert await p.entities.get(removed.id) is None
    assert kept.id in {entity.id for entity in mentioned} and removed.id not in {entity.id for entity in mentioned}


async def test_an_entity_deleted_while_a_document_naming_it_is_deleted_goes_and_so_does_the_document(
    store: Store,
) -> None:
    """The entity's deletion wrote the entity, then its relationships; forgetting the document wrote the
    relationships, then the entities. They take turns now (the project's graph)."""
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    async with store.scope() as p:
        (entity,) = await p.entities.named(store.project_id, ["babbage"])
        assert await p.relationships.touching(store.project_id, [entity.id])

    async def delete_document() -> None:
        async with store.scope() as p:
            await p.delete(actor, ingestion.document.id)

    async with store.sessions() as s:
        relationships = MeanwhileAfterTouching(s, store, delete_document)
        delete = DeleteEntity(
            SqlAlchemyEntities(s), relationships, TablePolicy(), SqlAlchemyUnitOfWork(s, uuid4), store.clock, Ids(),
            SqlAlchemyKnowledgeEdits(s),
        )  # fmt: skip
        await delete(member(store, ProjectRole.OWNER), store.project_id, entity.id)
    await relationships.ended()
    assert relationships.waited == postgres(store)

    async with store.scope() as p:
        with pytest.raises(NotFound):
            await p.get(actor, ingestion.document.id)
        assert await p.entities.mentioned_in(store.project_id, ingestion.document.id) == []
        assert await p.relationships.mentioned_in(store.project_id, ingestion.document.id) == []


async def test_a_project_deleted_while_its_entities_are_merged_goes_after_the_merge(store: Store) -> None:
    """The merge wrote the entity it keeps, then recorded the edit (which takes a share of the project's row);
    the project's deletion locked the project, then its cascade waited for the entity. The graph's writers
    take that share first now."""
    actor = member(store)
    async with store.scope() as p:
        await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    async with store.scope() as p:
        removed, kept = await p.entities.named(store.project_id, ["ada lovelace", "babbage"])

    async def delete_project() -> None:
        async with store.sessions() as s:
            projects = SqlAlchemyProjectRepository(s)
            project = await projects.get(store.project_id, for_update=True)
            assert project is not None
            project.delete(store.clock.now())
            await projects.delete(project)
            await SqlAlchemyUnitOfWork(s, uuid4).commit()

    async with store.sessions() as s:
        relationships = MeanwhileAfterTouching(s, store, delete_project)
        merge = MergeEntities(
            SqlAlchemyEntities(s), relationships, TablePolicy(), SqlAlchemyUnitOfWork(s, uuid4), store.clock,
            Ids(), SqlAlchemyKnowledgeEdits(s),
        )  # fmt: skip
        await merge(member(store, ProjectRole.OWNER), store.project_id, kept.id, [removed.id])
    await relationships.ended()
    assert relationships.waited == postgres(store)

    async with store.scope() as p:
        assert await p.entities.named(store.project_id, ["ada lovelace", "babbage"]) == []


class ProjectDeletedBeforeTheGraph(SqlAlchemyEntities):
    """A document's deletion asks for the project's graph once it holds the document: then the project's deletion
    runs, until it waits for a lock the document's deletion holds (PostgreSQL) or at once (SQLite)."""

    def __init__(self, session: AsyncSession, store: Store) -> None:
        super().__init__(session)
        self.store = store
        self.task: asyncio.Task[None] | None = None
        self.waited = False

    async def hold_graph(self, project_id: UUID) -> None:
        if self.task is None:
            self.task = asyncio.create_task(self._delete_project())
            if postgres(self.store):
                pid = await backend_of(self._session)
                self.waited = await until_another_waits_for_it(self.store.sessions, pid, self.task)
        await super().hold_graph(project_id)

    async def _delete_project(self) -> None:
        async with self.store.sessions() as s:
            projects = SqlAlchemyProjectRepository(s)
            project = await projects.get(self.store.project_id, for_update=True)
            assert project is not None
            project.delete(self.store.clock.now())
            await projects.delete(project)
            await SqlAlchemyUnitOfWork(s, uuid4).commit()


async def test_a_document_deleted_while_its_project_is_deleted_goes_first(store: Store) -> None:
    """The document's deletion holds the project's share from its start: the project's deletion, which locks the
    project and then its documents, waits for it instead of holding the document while the forgetting waits for
    the project's share."""
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    made: list[ProjectDeletedBeforeTheGraph] = []

    def entities_in(session: AsyncSession) -> SqlAlchemyEntities:
        made.append(ProjectDeletedBeforeTheGraph(session, store))
        return made[-1]

    store.entities_in = entities_in
    async with store.scope() as p:
        await p.delete(actor, ingestion.document.id)
    (started,) = [one.task for one in made if one.task is not None]
    await started
    assert made[0].waited == postgres(store)
    async with store.scope() as p:
        for table in DOCUMENT_TABLES:
            assert (await p.session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0, table
        assert await SqlAlchemyProjectRepository(p.session).get(store.project_id) is None
