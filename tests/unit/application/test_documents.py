"""The documents' use cases over in-memory fakes: who may ingest, read and delete; content stored once
per project; a batch checked whole before anything is written; the worker's side retrying a failing
step with back-off until it dead-letters the job, and failing unparseable content at once."""

from __future__ import annotations

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
from agentry.application.search.hybrid import SearchChunks
from agentry.application.search.ports import EmbeddingFailed
from agentry.domain.documents.chunks import ChunkingPolicy
from agentry.domain.documents.document import DocumentStatus, MediaType
from agentry.domain.documents.job import JobStatus, StepRetries
from agentry.domain.errors import InvalidValue
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


@dataclass
class World:
    db: DocumentsDb
    clock: FakeClock
    parser: Parser
    queue: RecordingQueue
    embedder: HashingEmbedder = field(default_factory=HashingEmbedder)
    vectors: MemoryVectorIndex = field(default_factory=MemoryVectorIndex)

    def use(self) -> dict[str, Any]:
        s = Session(self.db)
        documents, chunks, jobs = MemoryDocuments(s), MemoryChunks(s), MemoryJobs(s)
        policy, ids = TablePolicy(), SequentialIds()
        ids.count = self.db.commits * 1000 + len(self.db.events) * 10  # fresh ids per scope
        projects = cast(Any, MemoryProjects(PROJECT, OTHER_PROJECT))
        intake = DocumentIntake(documents, jobs, projects, self.parser, policy, s, self.clock, ids, SETTINGS)
        return {
            "ingest": IngestDocument(intake),
            "batch": IngestBatch(intake),
            "get": GetDocument(documents, chunks, jobs, policy),
            "list": ListDocuments(documents, policy),
            "delete": DeleteDocument(documents, policy, s, self.clock, self.vectors),
            "dispatch": DispatchIngestion(jobs, self.queue, policy, s, self.clock, ids, SETTINGS),
            "run": RunIngestion(
                documents, chunks, jobs, self.parser, policy, s, self.clock, SETTINGS, self.embedder, self.vectors
            ),
            "search": SearchChunks(self.embedder, self.vectors, MemorySearchableChunks(s), policy),
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
    assert list(world.db.committed.jobs[made.job.id].steps) == ["parse", "chunk", "embed"]
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
    assert job.steps == {"parse": "done", "chunk": "done", "embed": "pending"} and job.attempts == 1
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
