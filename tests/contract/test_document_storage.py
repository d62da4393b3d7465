"""Documents on SQLAlchemy, SQLite and PostgreSQL alike, driven through the use cases: content stored
once per project, ingestion run step by step on the workers' side (a worker killed between steps is
taken over and leaves no duplicate chunks), listing by cursor within the readable projects, deletion
with everything derived, and the domain events in the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from agentry.adapters.extraction.anthropic_messages import TOOL_NAME
from agentry.adapters.extraction.offline import OfflineRuleExtractor
from agentry.adapters.parsers.parser import TextAndPdfParser
from agentry.adapters.sqlalchemy.documents.repository import (
    SqlAlchemyChunks,
    SqlAlchemyDocuments,
    SqlAlchemyIngestionJobs,
)
from agentry.adapters.sqlalchemy.documents.search import SqlAlchemySearchableChunks
from agentry.adapters.sqlalchemy.documents.tables import document_chunks
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.identity.user_repository import SqlAlchemyUserRepository
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities, SqlAlchemyRelationships
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.outbox.tables import domain_events
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.documents.delete import DeleteDocument
from agentry.application.documents.ingest import DocumentIntake, IngestBatch, IngestDocument, NewDocument
from agentry.application.documents.ports import DocumentQuery, DocumentSettings, TakenJob
from agentry.application.documents.read import GetBatchStatus, GetDocument, GetJobStatus, ListDocuments
from agentry.application.documents.run_ingestion import DispatchIngestion, RunIngestion
from agentry.application.errors import NotFound
from agentry.application.knowledge.forget_document import ForgetDocument
from agentry.application.knowledge.ports.extraction import FactExtractor
from agentry.application.knowledge.ports.graph import EntityQuery, RelationshipQuery
from agentry.application.knowledge.record_extraction import MergeExtraction
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.application.search.hybrid import SearchChunks
from agentry.application.search.ports import ChunkKey
from agentry.domain.documents.chunks import ChunkingPolicy
from agentry.domain.documents.document import DocumentStatus, MediaType
from agentry.domain.documents.job import JobStatus, Step, StepStatus
from agentry.domain.knowledge.values import ExtractorKind, Mention
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.knowledge_extraction import KnowledgeExtractionProvider
from tests.contract.builders import make_project, make_user
from tests.contract.databases import empty_database
from tests.doubles.messages_api import MessagesApiDouble, Reply, ToolUse
from tests.fakes.memory_search import HashingEmbedder, MemoryVectorIndex
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock

SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)
SETTINGS = DocumentSettings(chunking=ChunkingPolicy(target=60, overlap=10), lease_s=30)
TEXT = (
    b"Ada Lovelace wrote the first program.\n\nIt ran on the Analytical Engine, designed by Babbage.\n\n"
    b"Neither machine was ever finished in their lifetime."
)
PEOPLE = (*range(11), 77)  # the principals the tests act as


class Queue:
    def __init__(self) -> None:
        self.sent: list[TakenJob] = []

    async def send(self, taken: Sequence[TakenJob]) -> None:
        self.sent.extend(taken)


@dataclass
class Scope:
    ingest: IngestDocument
    batch: IngestBatch
    dispatch: DispatchIngestion
    run: RunIngestion
    get: GetDocument
    status: GetJobStatus
    batch_status: GetBatchStatus
    listing: ListDocuments
    delete: DeleteDocument
    search: SearchChunks
    searchable: SqlAlchemySearchableChunks
    session: Any
    entities: SqlAlchemyEntities
    relationships: SqlAlchemyRelationships


class Store:
    def __init__(self, engine: AsyncEngine, project_id: UUID, other_id: UUID) -> None:
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.project_id = project_id
        self.other_id = other_id
        self.clock = FakeClock()
        self.queue = Queue()
        self.parser = TextAndPdfParser(SETTINGS)
        self.embedder = HashingEmbedder()
        self.vectors = MemoryVectorIndex()
        self.name_vectors = MemoryVectorIndex()
        self.extractor: FactExtractor = OfflineRuleExtractor()
        self.entities_in: Callable[[AsyncSession], SqlAlchemyEntities] = SqlAlchemyEntities
        self.relationships_in: Callable[[AsyncSession], SqlAlchemyRelationships] = SqlAlchemyRelationships

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Scope]:
        async with self.sessions() as s:
            documents, chunks, jobs = SqlAlchemyDocuments(s), SqlAlchemyChunks(s), SqlAlchemyIngestionJobs(s)
            uow = SqlAlchemyUnitOfWork(s, uuid4)
            policy = TablePolicy()
            ids = Ids()
            intake = DocumentIntake(
                documents, jobs, SqlAlchemyProjectRepository(s), self.parser, policy, uow, self.clock, ids, SETTINGS
            )
            entities, relationships = self.entities_in(s), self.relationships_in(s)
            yield Scope(
                IngestDocument(intake),
                IngestBatch(intake),
                DispatchIngestion(jobs, self.queue, policy, uow, self.clock, ids, SETTINGS),
                RunIngestion(
                    documents,
                    chunks,
                    jobs,
                    self.parser,
                    policy,
                    uow,
                    self.clock,
                    SETTINGS,
                    self.embedder,
                    self.vectors,
                    self.extractor,
                    MergeExtraction(
                        entities,
                        relationships,
                        SimilarNames(HashingEmbedder(), self.name_vectors, ResolutionSettings()),
                        self.clock,
                        ids,
                    ),
                    SqlAlchemyProjectRepository(s),
                ),
                GetDocument(documents, chunks, jobs, policy),
                GetJobStatus(documents, jobs, policy),
                GetBatchStatus(jobs, policy),
                ListDocuments(documents, policy),
                DeleteDocument(
                    documents,
                    policy,
                    uow,
                    self.clock,
                    self.vectors,
                    ForgetDocument(entities, relationships, self.clock),
                ),
                SearchChunks(
                    self.embedder, self.vectors, SqlAlchemySearchableChunks(s), policy, SqlAlchemyProjectRepository(s)
                ),
                SqlAlchemySearchableChunks(s),
                s,
                entities,
                relationships,
            )


class Ids:
    def new_id(self) -> UUID:
        return uuid4()


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with stored(request, tmp_path) as made:
        yield made


@asynccontextmanager
async def stored(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The two projects and the principals' accounts in an empty database of the kind `request.param` names."""
    url = empty_database(request, request.param, tmp_path)
    start_mappers()
    engine = create_async_database(url, pool_size=5)
    project, other = make_project(), make_project(slug="other")
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await SqlAlchemyProjectRepository(s).add(project)
        await SqlAlchemyProjectRepository(s).add(other)
        for number in PEOPLE:  # the principals' accounts: what they author references them
            await SqlAlchemyUserRepository(s).add(make_user(id=UUID(int=number)))
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    try:
        yield Store(engine, project.id, other.id)
    finally:
        await engine.dispose()


def member(store: Store, role: ProjectRole = ProjectRole.MEMBER, number: int = 3) -> Principal:
    return Principal(UUID(int=number), f"user-{number}", memberships={store.project_id: role})


async def run_all(store: Store) -> list[JobStatus | None]:
    async with store.scope() as p:
        await p.dispatch(SYSTEM)
    ended = []
    for taken in store.queue.sent:
        async with store.scope() as p:
            ended.append(await p.run(SYSTEM, taken.job_id, taken.token))
    store.queue.sent.clear()
    return ended


async def failure(store: Store, job_id: UUID) -> str | None:
    async with store.scope() as p:
        job = await p.run.jobs.get(job_id)
        return job.error if job else "no job"


async def event_types(store: Store) -> list[str]:
    async with store.scope() as p:
        query = select(domain_events.c.type).where(domain_events.c.type.like("document.%"))
        return sorted(row[0] for row in (await p.session.execute(query)).all())


async def test_a_document_is_ingested_into_chunks_whose_spans_are_exact_and_announced(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert ingestion.job.status is JobStatus.QUEUED and not ingestion.replayed
    assert await run_all(store) == [JobStatus.SUCCEEDED], await failure(store, ingestion.job.id)
    async with store.scope() as p:
        found = await p.get(actor, ingestion.document.id)
        status = await p.status(actor, ingestion.job.id)
    source = TEXT.decode()
    assert found.document.status is DocumentStatus.READY and found.document.chunk_count == len(found.chunks) > 1
    assert all(source[c.start : c.end] == c.text for c in found.chunks)
    assert status.job.steps == dict.fromkeys(("parse", "chunk", "embed", "extract", "link"), "done")
    assert status.job.finished_at is not None
    assert await event_types(store) == ["document.ingested", "document.submitted"]


async def test_the_same_content_again_is_the_same_document_and_job_and_writes_nothing(store: Store):
    actor = member(store)
    async with store.scope() as p:
        first = await p.ingest(actor, store.project_id, NewDocument("One", MediaType.TEXT, TEXT))
    async with store.scope() as p:
        again = await p.ingest(actor, store.project_id, NewDocument("Other title", MediaType.MARKDOWN, TEXT))
    assert again.replayed and again.document.id == first.document.id and again.job.id == first.job.id
    async with store.scope() as p:  # another project stores its own copy
        elsewhere = await p.ingest(
            Principal(UUID(int=9), "o", memberships={store.other_id: ProjectRole.MEMBER}),
            store.other_id,
            NewDocument("One", MediaType.TEXT, TEXT),
        )
    assert not elsewhere.replayed and elsewhere.document.id != first.document.id


async def test_a_worker_killed_between_steps_is_taken_over_and_leaves_no_duplicate_chunks(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
        await p.dispatch(SYSTEM)
    first = store.queue.sent.pop()
    async with store.scope() as p:  # the first worker parses, chunks, then dies before marking the chunk step
        job = await p.run.jobs.get(first.job_id, for_update=True)
        document = await p.run.documents.get(job.document_id)
        await p.run._run(Step.PARSE, document)
        job.step_done(Step.PARSE, first.token, store.clock.now())
        await p.run.uow.commit()
    async with store.scope() as p:
        document = await p.run.documents.get(ingestion.document.id)
        await p.run._run(Step.CHUNK, document)
        await p.session.flush()
        await p.session.rollback()  # killed: the chunk step's transaction never commits
    async with store.scope() as p:
        assert (await p.dispatch(SYSTEM)).sent == 0  # its lease still holds
    store.clock.advance(seconds=SETTINGS.lease_s + 1)
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    async with store.scope() as p:
        found = await p.get(actor, ingestion.document.id)
        rows = (
            await p.session.execute(select(func.count()).where(document_chunks.c.document_id == ingestion.document.id))
        ).scalar_one()
    assert rows == len(found.chunks) == found.document.chunk_count
    assert [c.ordinal for c in found.chunks] == list(range(len(found.chunks)))
    async with store.scope() as p:  # the dead worker's token finds nothing to do
        assert await p.run(SYSTEM, first.job_id, first.token) is None


async def test_a_worker_killed_in_the_embed_step_is_taken_over_and_each_chunk_keeps_one_vector(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
        await p.dispatch(SYSTEM)
    first = store.queue.sent.pop()
    async with store.scope() as p:  # parse and chunk, committed step by step
        for step in (Step.PARSE, Step.CHUNK):
            job = await p.run.jobs.get(first.job_id, for_update=True)
            document = await p.run.documents.get(job.document_id)
            await p.run._run(step, document)
            job.step_done(step, first.token, store.clock.now())
            await p.run.uow.commit()
    async with store.scope() as p:  # the embed step writes its vectors (outside the database), then dies
        document = await p.run.documents.get(ingestion.document.id)
        await p.run._run(Step.EMBED, document)
        await p.session.rollback()
    written = dict(store.vectors.entries)
    assert written
    store.clock.advance(seconds=SETTINGS.lease_s + 1)
    assert await run_all(store) == [JobStatus.SUCCEEDED]
    async with store.scope() as p:
        found = await p.get(actor, ingestion.document.id)
    assert set(store.vectors.entries) == set(written) == {c.id for c in found.chunks}
    assert found.document.chunk_count == len(found.chunks) and found.document.status is DocumentStatus.READY


async def test_a_corrupt_pdf_fails_its_job_with_the_reason_at_once(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(
            actor, store.project_id, NewDocument("Broken", MediaType.PDF, b"%PDF-1.7\nnot really a pdf")
        )
    assert await run_all(store) == [JobStatus.FAILED]
    async with store.scope() as p:
        status = await p.status(actor, ingestion.job.id)
    assert status.document.status is DocumentStatus.FAILED
    assert status.job.step_status(Step.PARSE) is StepStatus.FAILED and "PDF" in (status.job.error or "")
    assert "document.failed" in await event_types(store)


async def test_a_batch_makes_one_job_each_and_reports_them_in_order(store: Store):
    actor = member(store)
    items = [NewDocument(f"Doc {n}", MediaType.TEXT, f"Document number {n}.".encode()) for n in range(3)]
    async with store.scope() as p:
        batch = await p.batch(actor, store.project_id, [*items, items[0]])
    assert len({i.job.id for i in batch.ingestions}) == 3
    await run_all(store)
    async with store.scope() as p:
        jobs = await p.batch_status(actor, batch.id)
    assert [j.id for j in jobs] == list(dict.fromkeys(i.job.id for i in batch.ingestions))
    assert {j.status for j in jobs} == {JobStatus.SUCCEEDED}
    async with store.scope() as p:
        with pytest.raises(NotFound):
            await p.batch_status(Principal(UUID(int=77), "stranger"), batch.id)


async def test_listing_pages_by_cursor_newest_first_within_the_readable_projects(store: Store):
    actor = member(store)
    async with store.scope() as p:
        for n in range(5):
            await p.ingest(actor, store.project_id, NewDocument(f"Doc {n}", MediaType.TEXT, f"text {n}".encode()))
    async with store.scope() as p:
        await p.ingest(
            Principal(UUID(int=9), "o", memberships={store.other_id: ProjectRole.MEMBER}),
            store.other_id,
            NewDocument("Elsewhere", MediaType.TEXT, b"secret"),
        )
    titles: list[str] = []
    cursor = None
    while True:
        async with store.scope() as p:
            page = await p.listing(actor, DocumentQuery(limit=2), cursor)
        titles += [d.title for d in page.documents]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert titles == [f"Doc {n}" for n in reversed(range(5))]
    async with store.scope() as p:
        filtered = await p.listing(actor, DocumentQuery(title_contains="doc 3"))
    assert [d.title for d in filtered.documents] == ["Doc 3"]


async def test_deleting_a_document_removes_everything_derived_from_it(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    await run_all(store)
    async with store.scope() as p:
        await p.delete(actor, ingestion.document.id)
    async with store.scope() as p:
        with pytest.raises(NotFound):
            await p.get(actor, ingestion.document.id)
        with pytest.raises(NotFound):
            await p.status(actor, ingestion.job.id)
        for table in ("document_chunks", "document_contents", "ingestion_jobs", "documents", "kg_entities"):
            assert (await p.session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0
    assert store.vectors.entries == {}
    assert "document.deleted" in await event_types(store)
    async with store.scope() as p:  # and it may be ingested afresh
        again = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert not again.replayed


async def test_full_text_search_finds_the_projects_chunks_only_and_hybrid_search_reads_them_back(store: Store):
    both = Principal(
        UUID(int=7), "user-7", memberships={store.project_id: ProjectRole.MEMBER, store.other_id: ProjectRole.VIEWER}
    )
    other = Principal(UUID(int=8), "user-8", memberships={store.other_id: ProjectRole.MEMBER})
    async with store.scope() as p:
        mine = await p.ingest(both, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
        await p.ingest(other, store.other_id, NewDocument("Theirs", MediaType.TEXT, b"The Analytical Engine, again."))
    assert await run_all(store) == [JobStatus.SUCCEEDED, JobStatus.SUCCEEDED]
    async with store.scope() as p:
        hits = await p.searchable.text_search(store.project_id, "analytical engine", 10)
        assert [h.key.document_id for h in hits] == [mine.document.id]
        assert hits[0].score > 0
        assert await p.searchable.text_search(store.project_id, "zeppelin", 10) == []
        assert await p.searchable.text_search(store.project_id, "%", 10) == []  # no wildcard slips through
        found = await p.searchable.found(store.project_id, [hits[0].key, ChunkKey(uuid4(), 0)])
        assert [(f.key, f.title) for f in found] == [(hits[0].key, "Lovelace")]
        results = await p.search(both, store.project_id, "Who designed the Analytical Engine?", 5)
        assert results and {r.document_id for r in results} == {mine.document.id}
        assert results[0].text_score is not None and results[0].vector_score is not None
        document = await p.get(both, mine.document.id)
        text_ = TEXT.decode()
        for r in results:
            assert text_[r.start : r.end] == next(c.text for c in document.chunks if c.id == r.chunk_id)
        theirs = await p.search(both, store.other_id, "analytical engine", 5)
        assert [r.title for r in theirs] == ["Theirs"]


async def test_full_text_search_ors_plain_words_and_takes_web_search_syntax_as_written(store: Store):
    actor = member(store)
    async with store.scope() as p:
        for title, body in [("Loom", b"The Jacquard loom weaves flowers."), ("Engine", b"The engine weaves algebra.")]:
            await p.ingest(actor, store.project_id, NewDocument(title, MediaType.TEXT, body))
    await run_all(store)

    async def titles(query: str) -> list[str]:
        async with store.scope() as p:
            hits = await p.searchable.text_search(store.project_id, query, 10)
            found = await p.searchable.found(store.project_id, [h.key for h in hits])
        by_key = {f.key: f.title for f in found}
        return [by_key[h.key] for h in hits]

    assert await titles("loom algebra") in (["Loom", "Engine"], ["Engine", "Loom"])  # either word
    assert (await titles("jacquard loom weaves"))[0] == "Loom"  # more of the words ranks higher
    async with store.scope() as p:
        postgres = p.session.get_bind().dialect.name == "postgresql"
    if postgres:  # web-search syntax: a phrase, an exclusion
        assert await titles('"engine weaves"') == ["Engine"]
        assert await titles("weaves -loom") == ["Engine"]


async def graph(store: Store) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[tuple[str, str, str, int]]]:
    # the project's entities (name, type, mentions) and relationships (source, type, target, mentions)
    async with store.scope() as p:
        entities = await p.entities.page(EntityQuery(store.project_id, include_candidates=True, limit=500))
        relationships = await p.relationships.page(
            RelationshipQuery(store.project_id, include_candidates=True, limit=500)
        )
    names = {e.id: e.name for e in entities}
    return (
        sorted((e.name, e.type, tuple(sorted(map(str, e.sources)))) for e in entities),
        sorted((names[r.source_id], r.type, names[r.target_id], len(r.sources)) for r in relationships),
    )


async def test_ingestion_puts_the_offline_extractors_facts_in_the_graph_and_deletion_takes_them(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED], await failure(store, ingestion.job.id)
    entities, relationships = await graph(store)
    names = {name for name, _, _ in entities}
    assert {"Ada Lovelace", "Babbage"} <= names and relationships, (entities, relationships)
    async with store.scope() as p:  # every mention quotes its entity in its chunk
        chunks = {c.id: c.text for c in (await p.get(actor, ingestion.document.id)).chunks}
        for entity in await p.entities.page(EntityQuery(store.project_id, include_candidates=True, limit=500)):
            for mention in entity.sources:
                assert mention.document_id == ingestion.document.id
                assert entity.name.casefold() in chunks[mention.chunk_id][mention.start : mention.end].casefold()
    async with store.scope() as p:
        await p.delete(actor, ingestion.document.id)
    assert await graph(store) == ([], [])


async def test_a_worker_killed_between_extract_and_link_resumes_and_the_graph_has_no_duplicates(store: Store):
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, TEXT))
        await p.dispatch(SYSTEM)
    first = store.queue.sent.pop()
    async with store.scope() as p:  # parse … extract, committed step by step
        for step in (Step.PARSE, Step.CHUNK, Step.EMBED, Step.EXTRACT):
            job = await p.run.jobs.get(first.job_id, for_update=True)
            document = await p.run.documents.get(job.document_id)
            await p.run._run(step, document)
            job.step_done(step, first.token, store.clock.now())
            await p.run.uow.commit()
    async with store.scope() as p:  # the link step merges, then the worker dies before its commit
        document = await p.run.documents.get(ingestion.document.id)
        await p.run._run(Step.LINK, document)
        await p.session.flush()
        await p.session.rollback()
    assert await graph(store) == ([], [])
    store.clock.advance(seconds=SETTINGS.lease_s + 1)
    assert await run_all(store) == [JobStatus.SUCCEEDED], await failure(store, ingestion.job.id)
    once = await graph(store)
    assert once[0] and once[1]
    async with store.scope() as p:  # and the link step run once more (a lease taken over late) changes nothing
        document = await p.run.documents.get(ingestion.document.id)
        await p.run._run(Step.LINK, document)
        await p.run.uow.commit()
    assert await graph(store) == once
    assert len({name.casefold() for name, _, _ in once[0]}) == len(once[0])


ANTHROPIC_TEXT = b"Ada Lovelace worked with Charles Babbage in London."  # one chunk under SETTINGS' chunking


def _quote(text: str) -> dict[str, Any]:
    return {"chunk": 0, "quote": text}


SCRIPTED_REPLY = {
    "entities": [
        {"name": "Ada Lovelace", "type": "person", "confidence": 0.9, "evidence": [_quote("Ada Lovelace")]},
        {"name": "Charles Babbage", "type": "person", "confidence": 0.8, "evidence": [_quote("Charles Babbage")]},
        {"name": "London", "type": "place", "confidence": 0.7, "evidence": [_quote("London")]},
        {"name": "Paris", "type": "place", "confidence": 0.9, "evidence": [_quote("Paris")]},  # not in the text
    ],
    "relationships": [
        {
            "source": "Ada Lovelace",
            "target": "Charles Babbage",
            "type": "worked_with",
            "confidence": 0.85,
            "evidence": [_quote("Ada Lovelace worked with Charles Babbage")],
        },
        {  # its end was dropped
            "source": "Ada Lovelace",
            "target": "Paris",
            "type": "visited",
            "confidence": 0.9,
            "evidence": [_quote("Ada Lovelace worked")],
        },
        {  # its evidence is not in the text
            "source": "Charles Babbage",
            "target": "London",
            "type": "born_in",
            "confidence": 0.9,
            "evidence": [_quote("Babbage was born in London")],
        },
    ],
}


async def test_with_the_anthropic_extractor_the_graph_is_the_scripted_reply_minus_what_the_text_does_not_bear(
    store: Store, messages_api: MessagesApiDouble
):
    environ = {
        "AGENTRY_EXTRACTOR": "anthropic",
        "ANTHROPIC_API_KEY": "test-key",
        "ANTHROPIC_BASE_URL": messages_api.base_url,
    }
    store.extractor = KnowledgeExtractionProvider().extractor(load_settings(environ))
    messages_api.enqueue(Reply(ToolUse(TOOL_NAME, SCRIPTED_REPLY)))
    actor = member(store)
    async with store.scope() as p:
        ingestion = await p.ingest(actor, store.project_id, NewDocument("Lovelace", MediaType.TEXT, ANTHROPIC_TEXT))
    assert await run_all(store) == [JobStatus.SUCCEEDED], await failure(store, ingestion.job.id)
    assert len(messages_api.message_requests) == 1
    async with store.scope() as p:
        [chunk] = (await p.get(actor, ingestion.document.id)).chunks
    text = ANTHROPIC_TEXT.decode()

    def mention(quoted: str) -> tuple[str, ...]:
        start = text.index(quoted)
        return (str(Mention(ingestion.document.id, chunk.id, start, start + len(quoted), ExtractorKind.ANTHROPIC)),)

    assert await graph(store) == (
        [
            ("Ada Lovelace", "person", mention("Ada Lovelace")),
            ("Charles Babbage", "person", mention("Charles Babbage")),
            ("London", "place", mention("London")),
        ],
        [("Ada Lovelace", "worked_with", "Charles Babbage", 1)],
    )
