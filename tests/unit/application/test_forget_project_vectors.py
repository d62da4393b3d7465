"""A deleted project's vectors go with it (ForgetProjectVectors, from `project.deleted` through the
outbox): the search chunks' and the entity names', not another project's; a store failing at the first
offer is retried by the relay until they are gone."""

from __future__ import annotations

from uuid import UUID, uuid4

from agentry.application.knowledge.forget_project_vectors import ForgetProjectVectors
from agentry.application.outbox.deliver_events import DeliverEvents, Subscribers
from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.search.ports import VectorEntry
from tests.fakes.app import ADMIN, ALICE, SYSTEM, TEAM, FakeApp
from tests.fakes.memory_search import MemoryVectorIndex


class FailingOnce(MemoryVectorIndex):
    """An index whose first `delete_project` fails (its store unreachable)."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    async def delete_project(self, project_id: UUID) -> int:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the vector store is unreachable")
        return await super().delete_project(project_id)


async def scene(chunks: MemoryVectorIndex, names: MemoryVectorIndex) -> tuple[FakeApp, UUID]:
    """A project of Alice's besides TEAM, each with a chunk's vector and an entity name's vector."""
    app = FakeApp()
    app.subscribers = Subscribers((*app.subscribers.all, ForgetProjectVectors(chunks, names)))
    doomed = (await app.use(CreateProject)(ALICE, NewProject("Doomed", "doomed"))).id
    for project_id in (doomed, TEAM):
        for index in (chunks, names):
            key = uuid4()
            await index.upsert([VectorEntry(key, project_id, key, [1.0] + [0.0] * 63)])
    return app, doomed


async def test_deleting_a_project_removes_its_chunk_and_name_vectors_and_no_other_projects() -> None:
    chunks, names = MemoryVectorIndex(), MemoryVectorIndex()
    app, doomed = await scene(chunks, names)
    await app.use(DeleteProject)(ADMIN, doomed)  # Alice's principal predates it
    for index in (chunks, names):
        assert await index.count(doomed) == 0
        assert await index.count(TEAM) == 1


async def test_a_store_failing_at_the_first_offer_is_retried_until_the_vectors_are_gone() -> None:
    chunks, names = FailingOnce(), MemoryVectorIndex()
    app, doomed = await scene(chunks, names)
    await app.use(DeleteProject)(ADMIN, doomed)  # Alice's principal predates it
    assert await chunks.count(doomed) == 1  # the first offer failed: nothing lost, the event stays
    app.clock.advance(seconds=2)  # past the relay's first back-off
    report = await app.use(DeliverEvents)(SYSTEM)
    assert report.delivered == 1
    for index in (chunks, names):
        assert await index.count(doomed) == 0
        assert await index.count(TEAM) == 1
