"""Drafting a publication from the knowledge graph, on the fakes: the prompt lists the subgraph's facts
with numbered sources (document, chunk, quoted span); the task is a task of the project; when it succeeds
its answer becomes one draft publication whose citations are the sources it cited (a number it was not
given is dropped, and said so), however often the event is delivered; only who may create a publication
may ask, and another project's graph does not exist for them."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

import pytest

from agentry.application.errors import Forbidden, NotFound
from agentry.application.outbox.ports import StoredEvent
from agentry.application.publishing.draft_from_graph import DRAFT_TAG, DraftCommand, DraftFromGraph, Drafting
from agentry.application.publishing.draft_prompt import draft_prompt
from agentry.application.publishing.finish_drafts import FinishDrafts
from agentry.application.publishing.ports import PublicationQuery, SourceChunk
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus, Mention
from agentry.domain.principal import Principal
from agentry.domain.publishing.citations import Citation, cite
from agentry.domain.publishing.publication import PublicationStatus
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.script import parse_script
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, BOB, OTHERS, TEAM, FakeApp
from tests.fakes.memory_knowledge import KnowledgeSession
from tests.fakes.memory_publications import MemoryDraftRequests, MemoryPublications
from tests.fakes.memory_tasks import MemoryResultRepository

DOC = UUID(int=0xD0C)
CHUNK = UUID(int=0xC4)
TEXT = "Ada Lovelace wrote the first program. She worked with Charles Babbage on the Analytical Engine."
ADA = UUID(int=0xADA)
CHARLES = UUID(int=0xBABB)
ENGINE = UUID(int=0xE4)
VIEWER = Principal(UUID(int=0x71E), "vic", memberships={TEAM: ProjectRole.VIEWER})


def span(text: str) -> Mention:
    start = TEXT.index(text)
    return Mention(DOC, CHUNK, start, start + len(text))


async def a_graph(app: FakeApp, project: UUID = TEAM) -> None:
    """Ada —worked_with→ Charles Babbage —built→ the Analytical Engine, read from one chunk."""
    now = app.clock.now()
    session = KnowledgeSession(app.knowledge)
    graph = FactStatus.GRAPH
    for entity in (
        Entity.extracted(ADA, project, "Ada Lovelace", "person", 0.9, graph, [span("Ada Lovelace")], now),
        Entity.extracted(CHARLES, project, "Charles Babbage", "person", 0.9, graph, [span("Charles Babbage")], now),
        Entity.extracted(ENGINE, project, "Analytical Engine", "machine", 0.8, graph, [span("Analytical Engine")], now),
    ):
        session.work.entities[entity.id] = entity
    worked = span("She worked with Charles Babbage")
    for rel_id, source, target, kind, mention in (
        (UUID(int=1), ADA, CHARLES, "worked_with", worked),
        (UUID(int=2), CHARLES, ENGINE, "built", span("Babbage on the Analytical Engine")),
    ):
        session.work.relationships[rel_id] = Relationship.create(
            rel_id, project, source, target, kind, now, confidence=0.7, sources=[mention], by_person=False
        )
    await session.commit()
    app.publications.chunks[CHUNK] = (project, SourceChunk(DOC, CHUNK, 0, "Lovelace's notes", TEXT))


def scripted(answer: str) -> TaskOptions:
    return TaskOptions(script=parse_script([{"say": answer}]))


async def draft(app: FakeApp, actor: Principal = ALICE, project: UUID = TEAM, **command: object) -> Drafting:
    command.setdefault("about", str(ADA))
    return await app.use(DraftFromGraph)(actor, project, DraftCommand(**command))  # type: ignore[arg-type]


async def finish(app: FakeApp) -> None:
    await app.relay()
    await app.run_next()
    await app.settle()


def finishing(app: FakeApp) -> FinishDrafts:
    return FinishDrafts(
        MemoryDraftRequests(app.publications),
        MemoryResultRepository(app.db.session()),
        MemoryPublications(app.publications),
        app.clock,
        app.ids,
    )


@pytest.fixture
async def app() -> FakeApp:
    app = FakeApp()
    await a_graph(app)
    return app


# --- the prompt ------------------------------------------------------------------------------------


async def test_the_prompt_numbers_each_source_once_with_its_document_chunk_and_quoted_span(app: FakeApp) -> None:
    drafting = await draft(app, depth=2)

    task = app.task(drafting.task.id)
    assert [s.number for s in drafting.request.sources] == [1, 2, 3, 4, 5]
    first = drafting.request.sources[0]
    assert (first.document_id, first.chunk_id, first.quote) == (DOC, CHUNK, "Ada Lovelace")
    assert TEXT[first.start : first.end] == first.quote
    assert "Ada Lovelace is a person. Sources: [1]" in task.prompt
    assert "Ada Lovelace worked_with Charles Babbage (confidence 0.70). Sources: [4]" in task.prompt
    assert '[1] "Lovelace\'s notes", chunk 1, characters 0-12: "Ada Lovelace"' in task.prompt
    assert '[4] "Lovelace\'s notes", chunk 1' in task.prompt and '"She worked with Charles Babbage"' in task.prompt
    assert "[6]" not in task.prompt


def test_a_mention_shared_by_two_facts_is_one_source_and_a_mention_off_its_chunk_is_none() -> None:
    now = FakeApp().clock.now()
    shared = span("Ada Lovelace")
    outside = Mention(DOC, CHUNK, len(TEXT) - 2, len(TEXT) + 10)
    gone = Mention(DOC, UUID(int=0xDEAD), 0, 3)
    ada = Entity.extracted(ADA, TEAM, "Ada Lovelace", "person", 0.9, FactStatus.GRAPH, [shared, outside, gone], now)
    lady = Entity.extracted(CHARLES, TEAM, "Lady Lovelace", "person", 0.9, FactStatus.GRAPH, [shared], now)
    chunks = {CHUNK: SourceChunk(DOC, CHUNK, 0, "Notes", TEXT)}

    prompt = draft_prompt(ada, "About Ada", [ada, lady], [], chunks)

    assert [s.quote for s in prompt.sources] == ["Ada Lovelace"]
    assert "Ada Lovelace is a person. Sources: [1]" in prompt.text
    assert "Lady Lovelace is a person. Sources: [1]" in prompt.text


async def test_the_drafting_task_is_a_queued_task_of_the_project_in_the_askers_name(app: FakeApp) -> None:
    drafting = await draft(app, title="Ada, briefly")

    task = app.task(drafting.task.id)
    assert (task.project_id, task.owner_id, task.status) == (TEAM, ALICE.id, TaskStatus.QUEUED)
    assert task.tags == (DRAFT_TAG,) and task.title == "Draft: Ada, briefly"
    assert drafting.request.entity_ids == (ADA, CHARLES)  # the subject first, then its neighbourhood
    assert drafting.request.title == "Ada, briefly"


async def test_an_entity_can_be_named_instead_of_given_by_id(app: FakeApp) -> None:
    drafting = await draft(app, about="charles babbage")
    assert drafting.request.entity_ids[0] == CHARLES
    assert drafting.request.title == "What we know about Charles Babbage"
    with pytest.raises(InvalidValue):
        await draft(app, about="Grace Hopper")


async def test_depth_is_from_one_to_three(app: FakeApp) -> None:
    with pytest.raises(InvalidValue):
        await draft(app, depth=4)
    assert not app.db.tasks


# --- citations ----------------------------------------------------------------------------------------


def test_citations_keep_the_numbers_given_in_order_and_drop_the_others_saying_so() -> None:
    one = Citation(1, DOC, CHUNK, 0, 12, "Ada Lovelace")
    two = Citation(2, DOC, CHUNK, 13, 18, "wrote")

    cited = cite("Ada wrote [2]. She programmed [1, 7]. A guess [99]. A [link](x) and [3](y).", {1: one, 2: two})

    assert cited.citations == (two, one) and cited.dropped == (7, 99)
    assert cited.body.startswith("Ada wrote [2]. She programmed [1]. A guess . A [link](x) and [3](y).")
    assert cited.body.endswith("> Note: [7], [99] cited no source given to the agent and were dropped.\n")


def test_a_body_citing_only_known_numbers_is_left_as_written() -> None:
    one = Citation(1, DOC, CHUNK, 0, 12, "Ada Lovelace")
    assert cite("Ada [1].", {1: one}).body == "Ada [1]."


async def test_a_succeeded_drafting_task_becomes_one_draft_with_the_citations_it_used(app: FakeApp) -> None:
    answer = "Ada Lovelace wrote the first program [1]. She worked with Babbage [3][99]."
    drafting = await draft(app, options=scripted(answer))
    await finish(app)

    assert app.task(drafting.task.id).status is TaskStatus.SUCCEEDED
    [publication] = app.publications.publications.values()
    assert (publication.project_id, publication.author_id, publication.status) == (
        TEAM,
        ALICE.id,
        PublicationStatus.DRAFT,
    )
    assert publication.title == "What we know about Ada Lovelace" and publication.task_id == drafting.task.id
    assert publication.entity_ids == (ADA, CHARLES)
    assert [(c.number, c.quote) for c in publication.citations] == [
        (1, "Ada Lovelace"),
        (3, "She worked with Charles Babbage"),
    ]
    assert "[99]" not in publication.body.split("> Note")[0] and "[99] cited no source" in publication.body
    assert app.publications.drafts[drafting.task.id].publication_id == publication.id
    found = await MemoryPublications(app.publications).page(PublicationQuery(TEAM, task_id=drafting.task.id))
    assert [p.id for p in found] == [publication.id]


async def test_the_event_delivered_twice_makes_one_publication(app: FakeApp) -> None:
    drafting = await draft(app, options=scripted("Ada [1]."))
    await finish(app)
    finish_drafts = finishing(app)
    succeeded = next(e for e in app.db.events if e.event.type == "task.succeeded")

    await finish_drafts.handle(succeeded)  # delivered again after the relay's pass
    await finish_drafts.handle(StoredEvent(succeeded.id, succeeded.position, succeeded.event, attempts=1))

    assert len(app.publications.publications) == 1
    assert next(iter(app.publications.publications.values())).task_id == drafting.task.id


async def test_a_failed_drafting_task_makes_no_publication(app: FakeApp) -> None:
    drafting = await draft(app, options=TaskOptions(script=parse_script([{"fail": "the model is down"}])))
    await finish(app)
    assert app.task(drafting.task.id).status is not TaskStatus.SUCCEEDED
    assert not app.publications.publications


async def test_another_tasks_success_makes_no_publication_and_costs_no_read(app: FakeApp) -> None:
    task = await app.submit(script=[{"say": "Ada [1]."}])
    await finish(app)
    assert app.task(task.id).status is TaskStatus.SUCCEEDED and not app.publications.publications
    assert app.publications.draft_reads == 0


async def test_a_task_tagged_draft_by_hand_is_read_and_left(app: FakeApp) -> None:
    task = await app.submit(script=[{"say": "Ada [1]."}], tags=("draft",))
    await finish(app)
    assert app.task(task.id).status is TaskStatus.SUCCEEDED and not app.publications.publications
    assert app.publications.draft_reads == 1


async def test_an_event_recorded_before_events_named_tags_is_read(app: FakeApp) -> None:
    drafting = await draft(app, options=scripted("Ada [1]."))
    await finish(app)
    succeeded = next(e for e in app.db.events if e.event.type == "task.succeeded")
    untagged = replace(succeeded.event, data={k: v for k, v in succeeded.event.data.items() if k != "tags"})
    app.publications.drafts[drafting.task.id] = replace(app.publications.drafts[drafting.task.id], publication_id=None)
    app.publications.publications.clear()
    await finishing(app).handle(StoredEvent(succeeded.id, succeeded.position, untagged, attempts=1))
    [publication] = app.publications.publications.values()
    assert publication.task_id == drafting.task.id


# --- who may ask --------------------------------------------------------------------------------------


async def test_a_viewer_may_not_ask_for_a_draft(app: FakeApp) -> None:
    with pytest.raises(Forbidden):
        await draft(app, actor=VIEWER)
    assert not app.db.tasks and not app.publications.drafts


async def test_another_projects_member_finds_neither_the_project_nor_its_entities(app: FakeApp) -> None:
    with pytest.raises(NotFound):
        await draft(app, actor=BOB)  # alice's project does not exist for bob
    with pytest.raises(NotFound):
        await draft(app, actor=BOB, project=OTHERS)  # nor does its entity in his own project
    assert not app.db.tasks
