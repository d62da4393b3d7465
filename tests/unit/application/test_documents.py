"""The documents' use cases over in-memory fakes: who may ingest, read and delete; content stored once
per project; a batch checked whole before anything is written; the worker's side retrying a failing
step with back-off until it dead-letters the job, and failing unparseable content at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

import pytest

from agentry.application.documents.delete import DeleteDocument
from agentry.application.documents.ingest import DocumentIntake, IngestBatch, IngestDocument, NewDocument
from agentry.application.documents.ports import DocumentQuery, DocumentSettings, Unparseable
from agentry.application.documents.read import GetDocument, ListDocuments
from agentry.application.documents.run_ingestion import DispatchIngestion, RunIngestion
from agentry.application.errors import Forbidden, NotFound
from agentry.application.knowledge.forget_document import ForgetDocument
from agentry.application.knowledge.ports.extraction import ChunkText, ExtractionFailed
from agentry.application.knowledge.record_extraction import MergeExtraction
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.application.search.hybrid import SearchChunks
from agentry.application.search.ports import EmbeddingFailed
from agentry.domain.documents.chunks import ChunkingPolicy
from agentry.domain.documents.document import DocumentStatus, MediaType
from agentry.domain.documents.job import JobStatus, StepRetries
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import EntityEdit
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.roles import ProjectRole
from tests.contract.builders import make_project
from tests.fakes.memory_documents import (
    DocumentsDb,
    MemoryChunks,
    MemoryDocuments,
    MemoryJobs,
    MemoryProjects,
    RecordingQueue,
    Session,
)
from tests.fakes.memory_knowledge import KnowledgeDb, KnowledgeSession, MemoryEntities, MemoryRelationships
from tests.fakes.memory_search import HashingEmbedder, MemorySearchableChunks, MemoryVectorIndex
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock, SequentialIds

PROJECT, OTHER_PROJECT = make_project(), make_project()
SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)
SETTINGS = DocumentSettings(
    max_bytes=1_000,
    chunking=ChunkingPolicy(40, 5),
    retries=StepRetries(max_attempts=3, base_s=10),
    lease_s=60,
    embed_batch=2,
)


def person(number: int, role: ProjectRole | None) -> Principal:
    return Principal(UUID(int=number), f"user-{number}", memberships={PROJECT.id: role} if role else {})


MEMBER, OTHER_MEMBER = person(3, ProjectRole.MEMBER), person(5, ProjectRole.MEMBER)
VIEWER, MAINTAINER, OUTSIDER = person(4, ProjectRole.VIEWER), person(2, ProjectRole.MAINTAINER), person(6, None)


class Parser:
    """Text as it is; `failures` errors raised by parse first (then it works)."""

    def __init__(self) -> None:
        self.failures: list[Exception] = []

    async def precheck(self, media_type: MediaType, content: bytes) -> None:
        if media_type.textual and not content.isascii():
            raise InvalidValue("content", "is not UTF-8 text")

    async def parse(self, media_type: MediaType, content: bytes) -> str:
        if self.failures:
            raise self.failures.pop(0)
        return content.decode()


class Extractor:
    """Each chunk's capitalised words as entities (their first occurrence), the first two related;
    `failures` raised first."""

    name = "offline-scripted"

    def __init__(self) -> None:
        self.failures: list[Exception] = []
        self.calls: list[int] = []

    async def extract(self, chunks: Sequence[ChunkText]) -> Extraction:
        self.calls.append(len(chunks))
        if self.failures:
            raise self.failures.pop(0)
        entities: list[ExtractedEntity] = []
        relationships: list[ExtractedRelationship] = []
        for chunk in chunks:
            found: dict[str, int] = {}
            for word in re.finditer(r"\b[A-Z][a-z]+\b", chunk.text):
                found.setdefault(word.group(), word.start())
            named = [
                ExtractedEntity(w, "thing", 0.8, (Evidence(chunk.id, at, at + len(w)),)) for w, at in found.items()
            ]
            entities.extend(named)
            if len(named) > 1:
                span = (Evidence(chunk.id, 0, len(chunk.text)),)
                relationships.append(ExtractedRelationship(named[0].name, named[1].name, "near", 0.8, span))
        return Extraction(tuple(entities), tuple(relationships))


class BothSessions:
    """The documents' and the graph's fakes committed together (one database in production)."""

    def __init__(self, documents: Session, knowledge: KnowledgeSession) -> None:
        self.documents, self.knowledge = documents, knowledge

    async def commit(self) -> None:
        await self.documents.commit()
        await self.knowledge.commit()

    async def rollback(self) -> None:
        await self.documents.rollback()
        await self.knowledge.rollback()

    def unavailable(self, error: BaseException) -> bool:
        return isinstance(error, ConnectionError)


@dataclass
class World:
    db: DocumentsDb
    clock: FakeClock
    parser: Parser
    queue: RecordingQueue
    embedder: HashingEmbedder = field(default_factory=HashingEmbedder)
    vectors: MemoryVectorIndex = field(default_factory=MemoryVectorIndex)
    name_vectors: MemoryVectorIndex = field(default_factory=MemoryVectorIndex)
    graph: KnowledgeDb = field(default_factory=KnowledgeDb)
    extractor: Extractor = field(default_factory=Extractor)

    def use(self) -> dict[str, Any]:
        k = KnowledgeSession(self.graph)
        s = BothSessions(Session(self.db), k)
        documents, chunks, jobs = MemoryDocuments(s.documents), MemoryChunks(s.documents), MemoryJobs(s.documents)
        entities, relationships = MemoryEntities(k), MemoryRelationships(k)
        policy, ids = TablePolicy(), SequentialIds()
        ids.count = self.db.commits * 1000 + len(self.db.events) * 10  # fresh ids per scope
        projects = cast(Any, MemoryProjects(PROJECT, OTHER_PROJECT))
        intake = DocumentIntake(documents, jobs, projects, self.parser, policy, s, self.clock, ids, SETTINGS)
        return {
            "ingest": IngestDocument(intake),
            "batch": IngestBatch(intake),
            "get": GetDocument(documents, chunks, jobs, policy),
            "list": ListDocuments(documents, policy),
            "delete": DeleteDocument(
                documents, policy, s, self.clock, self.vectors, ForgetDocument(entities, relationships, self.clock)
            ),
            "dispatch": DispatchIngestion(jobs, self.queue, policy, s, self.clock, ids, SETTINGS),
            "run": RunIngestion(
                documents,
                chunks,
                jobs,
                self.parser,
                policy,
                s,
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
                projects,
            ),
            "search": SearchChunks(self.embedder, self.vectors, MemorySearchableChunks(s.documents), policy, projects),
        }

    async def ingest(
        self, actor: Principal, text: bytes = b"Some text. More text.", title: str = "Doc", project: UUID = PROJECT.id
    ) -> Any:
        return await self.use()["ingest"](actor, project, NewDocument(title, MediaType.TEXT, text))

    async def work(self) -> list[JobStatus | None]:
        await self.use()["dispatch"](SYSTEM)
        sent, self.queue.sent = self.queue.sent, []
        return [await self.use()["run"](SYSTEM, t.job_id, t.token) for t in sent]


@pytest.fixture
def world() -> World:
    return World(DocumentsDb(), FakeClock(), Parser(), RecordingQueue())


async def test_members_ingest_viewers_may_not_and_outsiders_do_not_see_the_project(world: World):
    made = await world.ingest(MEMBER)
    assert made.document.status is DocumentStatus.PROCESSING and made.job.status is JobStatus.QUEUED
    with pytest.raises(Forbidden):
        await world.ingest(VIEWER, b"other")
    with pytest.raises(NotFound):
        await world.ingest(OUTSIDER, b"other")
    assert len(world.db.committed.documents) == 1
    assert [e.type for e in world.db.events] == ["document.submitted"]


async def test_the_same_content_again_is_the_document_it_made_and_nothing_is_written(world: World):
    first = await world.ingest(MEMBER)
    events = len(world.db.events)
    again = await world.ingest(OTHER_MEMBER, title="Another title")
    assert again.replayed and again.document.id == first.document.id and again.job.id == first.job.id
    assert len(world.db.committed.documents) == 1 and len(world.db.events) == events


async def test_a_batch_with_one_bad_item_is_refused_whole_naming_it(world: World):
    items = [NewDocument("ok", MediaType.TEXT, b"fine"), NewDocument("bad", MediaType.TEXT, b"\xff\xfe")]
    with pytest.raises(InvalidValue, match=r"documents\[1\]\.content: is not UTF-8"):
        await world.use()["batch"](MEMBER, PROJECT.id, items)
    too_big = [NewDocument("ok", MediaType.TEXT, b"fine"), NewDocument("big", MediaType.TEXT, b"x" * 2_000)]
    with pytest.raises(InvalidValue, match=r"documents\[1\]\.content"):
        await world.use()["batch"](MEMBER, PROJECT.id, too_big)
    assert world.db.committed.documents == {}


async def test_ingestion_runs_parse_chunk_and_embed_and_the_document_is_ready(world: World):
    made = await world.ingest(MEMBER, b"First sentence here. Second sentence here. Third one is here.")
    assert await world.work() == [JobStatus.SUCCEEDED]
    found = await world.use()["get"](VIEWER, made.document.id)
    assert found.document.status is DocumentStatus.READY and len(found.chunks) == found.document.chunk_count > 1
    assert [e.type for e in world.db.events] == ["document.submitted", "document.ingested"]
    assert list(world.db.committed.jobs[made.job.id].steps) == ["parse", "chunk", "embed", "extract", "link"]
    # one vector per chunk, under the chunk's id, owned by the document, in the project; in batches of 2
    entries = world.vectors.entries
    assert set(entries) == {c.id for c in found.chunks}
    for chunk in found.chunks:
        entry = entries[chunk.id]
        assert (entry.owner_id, entry.project_id) == (made.document.id, PROJECT.id)
        assert dict(entry.metadata) == {"ordinal": chunk.ordinal, "start": chunk.start, "end": chunk.end}
        assert list(entry.vector) == world.embedder.vector(chunk.text)
    assert max(world.embedder.calls) <= 2 and sum(world.embedder.calls) == len(found.chunks)


async def test_the_embed_step_run_again_after_a_crash_keeps_each_chunk_once(world: World):
    made = await world.ingest(MEMBER, b"Alpha beta gamma. Delta epsilon zeta. Eta theta iota kappa.")
    await world.use()["dispatch"](SYSTEM)
    [taken] = world.queue.sent
    world.queue.sent = []
    run = world.use()["run"]
    # the worker dies after the embed step wrote its vectors, before its commit: simulate by running the
    # step's work, throwing the transaction away, and letting the lease lapse
    assert await run(SYSTEM, taken.job_id, taken.token) == JobStatus.SUCCEEDED
    first = dict(world.vectors.entries)
    job = world.db.committed.jobs[made.job.id]
    job.steps = {**job.steps, "embed": "pending"}
    job.status, job.finished_at = JobStatus.QUEUED, None
    job.next_attempt_at = world.clock.now()
    world.db.committed.documents[made.document.id].status = DocumentStatus.PROCESSING
    assert await world.work() == [JobStatus.SUCCEEDED]
    assert world.vectors.entries.keys() == first.keys() and world.vectors.upserts == 2 * len(first)


async def test_an_embedding_failure_is_retried_with_back_off(world: World):
    made = await world.ingest(MEMBER, b"Some words to embed. And a few more of them.")
    world.embedder.failures = [EmbeddingFailed("the embeddings server is unreachable")]
    assert await world.work() == [JobStatus.QUEUED]
    job = world.db.committed.jobs[made.job.id]
    assert job.steps["embed"] == "pending" and job.steps["chunk"] == "done" and job.attempts == 1
    assert world.vectors.entries == {}
    world.clock.advance(seconds=10)
    assert await world.work() == [JobStatus.SUCCEEDED]
    assert len(world.vectors.entries) == world.db.committed.documents[made.document.id].chunk_count > 0


async def test_deleting_a_document_deletes_its_vectors_and_no_others(world: World):
    gone = await world.ingest(MEMBER, b"This one goes away. With its chunks.")
    kept = await world.ingest(MEMBER, b"This one stays here. With its own chunks.")
    await world.work()
    assert {e.owner_id for e in world.vectors.entries.values()} == {gone.document.id, kept.document.id}
    await world.use()["delete"](MEMBER, gone.document.id)
    assert {e.owner_id for e in world.vectors.entries.values()} == {kept.document.id}


async def test_a_failing_step_backs_off_and_dead_letters_the_job_when_its_attempts_are_used(world: World):
    made = await world.ingest(MEMBER)
    world.parser.failures = [ConnectionError("store away")] * 3
    assert await world.work() == [JobStatus.QUEUED]
    assert await world.work() == []  # backing off
    world.clock.advance(seconds=10)
    assert await world.work() == [JobStatus.QUEUED]
    world.clock.advance(seconds=40)
    assert await world.work() == [JobStatus.FAILED]
    job = world.db.committed.jobs[made.job.id]
    assert job.error == "parse: ConnectionError: store away" and job.attempts == 3
    assert world.db.committed.documents[made.document.id].status is DocumentStatus.FAILED
    assert world.db.events[-1].type == "document.failed"


async def test_unparseable_content_fails_the_job_at_once(world: World):
    made = await world.ingest(MEMBER)
    world.parser.failures = [Unparseable("the PDF cannot be read")]
    assert await world.work() == [JobStatus.FAILED]
    assert world.db.committed.jobs[made.job.id].error == "parse: the PDF cannot be read"


async def test_a_member_deletes_their_own_document_and_a_maintainer_anyones(world: World):
    mine = await world.ingest(MEMBER, b"mine")
    theirs = await world.ingest(OTHER_MEMBER, b"theirs")
    with pytest.raises(Forbidden):
        await world.use()["delete"](MEMBER, theirs.document.id)
    with pytest.raises(NotFound):
        await world.use()["delete"](OUTSIDER, mine.document.id)
    await world.use()["delete"](MEMBER, mine.document.id)
    await world.use()["delete"](MAINTAINER, theirs.document.id)
    assert world.db.committed.documents == {} and world.db.committed.jobs == {}
    assert [e.type for e in world.db.events].count("document.deleted") == 2


async def test_listing_is_limited_to_the_readable_projects(world: World):
    await world.ingest(MEMBER)
    assert len((await world.use()["list"](VIEWER, DocumentQuery())).documents) == 1
    assert (await world.use()["list"](OUTSIDER, DocumentQuery())).documents == []
    with pytest.raises(NotFound):
        await world.use()["list"](OUTSIDER, DocumentQuery(project_id=PROJECT.id))


async def graph_of(world: World) -> tuple[set[str], set[tuple[str, str, str]]]:
    entities = world.graph.committed.entities
    names = {e.id: e.name for e in entities.values()}
    edges = {(names[r.source_id], r.type, names[r.target_id]) for r in world.graph.committed.relationships.values()}
    return set(names.values()), edges


async def test_extract_and_link_put_the_checked_facts_in_the_graph_and_deletion_takes_them(world: World):
    made = await world.ingest(MEMBER, b"Ada met Charles in London. Charles built the Engine.")
    assert await world.work() == [JobStatus.SUCCEEDED]
    names, edges = await graph_of(world)
    assert {"Ada", "Charles", "London", "Engine"} <= names and ("Ada", "near", "Charles") in edges
    kept = world.db.committed.extractions[made.document.id]
    assert kept[0] == "offline-scripted" and kept[1]["entities"]
    # every entity's mentions point into this document's chunks at the name
    chunks = {c.id: c.text for c in world.db.committed.chunks[made.document.id]}
    for entity in world.graph.committed.entities.values():
        assert all(chunks[m.chunk_id][m.start : m.end] == entity.name for m in entity.sources)
    # a second document naming Ada; a person corrects London
    other = await world.ingest(MEMBER, b"Ada wrote notes.", title="Other")
    assert await world.work() == [JobStatus.SUCCEEDED]
    [london] = [e for e in world.graph.committed.entities.values() if e.name == "London"]
    k = KnowledgeSession(world.graph)
    [edited] = [e for e in k.work.entities.values() if e.id == london.id]
    edited.edit(EntityEdit(description="the city"), world.clock.now())
    await k.commit()
    await world.use()["delete"](MEMBER, made.document.id)
    names, edges = await graph_of(world)
    assert names == {"Ada", "London"} and edges == set()  # Ada: still in the other document; London: edited
    [ada] = [e for e in world.graph.committed.entities.values() if e.name == "Ada"]
    assert {m.document_id for m in ada.sources} == {other.document.id}


async def test_the_link_step_run_twice_doubles_nothing(world: World):
    made = await world.ingest(MEMBER, b"Ada met Charles. Charles met Ada.")
    assert await world.work() == [JobStatus.SUCCEEDED]
    before = await graph_of(world), {e.id: e.sources for e in world.graph.committed.entities.values()}
    job = world.db.committed.jobs[made.job.id]  # as if the worker died after linking, before the commit
    job.steps = {**job.steps, "link": "pending"}
    job.status, job.finished_at, job.next_attempt_at = JobStatus.QUEUED, None, world.clock.now()
    world.db.committed.documents[made.document.id].status = DocumentStatus.PROCESSING
    assert await world.work() == [JobStatus.SUCCEEDED]
    assert (await graph_of(world), {e.id: e.sources for e in world.graph.committed.entities.values()}) == before
    assert len(world.graph.committed.relationships) == 1


async def test_an_extraction_failure_backs_off_when_retryable_and_fails_the_job_when_not(world: World):
    made = await world.ingest(MEMBER, b"Ada met Charles.")
    world.extractor.failures = [ExtractionFailed("unavailable", "the model is overloaded", retryable=True)]
    assert await world.work() == [JobStatus.QUEUED]
    job = world.db.committed.jobs[made.job.id]
    assert job.steps["extract"] == "pending" and job.attempts == 1 and world.graph.committed.entities == {}
    world.clock.advance(seconds=10)
    assert await world.work() == [JobStatus.SUCCEEDED]

    failed = await world.ingest(MEMBER, b"Grace wrote code.", title="Refused")
    world.extractor.failures = [ExtractionFailed("invalid_request", "the key is refused", retryable=False)]
    assert await world.work() == [JobStatus.FAILED]
    document = world.db.committed.documents[failed.document.id]
    assert document.status is DocumentStatus.FAILED and "the key is refused" in (document.error or "")


async def test_the_extract_step_sends_the_chunks_in_batches(world: World):
    await world.ingest(MEMBER, b"Alpha one here. Beta two here. Gamma three here. Delta four here. Eps five.")
    assert await world.work() == [JobStatus.SUCCEEDED]
    assert max(world.extractor.calls) <= SETTINGS.extract_batch and sum(world.extractor.calls) > 1
