"""Hybrid search over a project's chunks, with the deterministic hashing embedder and in-memory stores:
the fused ranking, the scores each list gives, who may search, bad input, and that another project's
chunk (or a vector whose chunk is gone) never appears, whatever the documents and the caller's roles."""

from __future__ import annotations

from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.errors import NotFound
from agentry.application.search.hybrid import RRF_K, SNIPPET, checked_query, snippet
from agentry.application.search.ports import EmbeddingFailed, VectorEntry
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from tests.fakes.memory_documents import DocumentsDb, RecordingQueue
from tests.fakes.system import FakeClock
from tests.unit.application.test_documents import (
    MEMBER,
    OTHER_PROJECT,
    OUTSIDER,
    PROJECT,
    VIEWER,
    Parser,
    World,
)

BOTH = Principal(
    UUID(int=9), "user-9", memberships={PROJECT.id: ProjectRole.MEMBER, OTHER_PROJECT.id: ProjectRole.MEMBER}
)


@pytest.fixture
def world() -> World:
    return World(DocumentsDb(), FakeClock(), Parser(), RecordingQueue())


async def test_a_chunk_both_lists_find_is_fused_first_with_its_scores_and_span(world: World):
    kiwi = await world.ingest(MEMBER, b"Kiwi orchards need frost protection.", title="Kiwi")
    await world.ingest(MEMBER, b"Apples are picked in autumn.", title="Apples")
    assert await world.work()
    [top, *rest] = await world.use()["search"](VIEWER, PROJECT.id, "kiwi frost", 5)
    assert (top.document_id, top.title, top.ordinal) == (kiwi.document.id, "Kiwi", 0)
    assert top.snippet == "Kiwi orchards need frost protection." == top.snippet[top.start : top.end]
    assert top.text_score == 2.0 and top.vector_score is not None and top.vector_score > 0.5
    assert top.fused_score == pytest.approx(2 / (RRF_K + 1))
    assert all(hit.text_score is None and hit.fused_score < top.fused_score for hit in rest)


async def test_another_projects_chunk_never_appears(world: World):
    await world.ingest(BOTH, b"Secret plans for the zeppelin.", title="Theirs", project=OTHER_PROJECT.id)
    mine = await world.ingest(BOTH, b"Public notes about the zeppelin.", title="Mine")
    await world.work()
    hits = await world.use()["search"](BOTH, PROJECT.id, "secret zeppelin plans", 10)
    assert [h.document_id for h in hits] == [mine.document.id]
    # a vector planted in this project under another project's chunk is not shown either
    [other] = [e for e in world.vectors.entries.values() if e.project_id == OTHER_PROJECT.id]
    await world.vectors.upsert([VectorEntry(other.id, PROJECT.id, other.owner_id, other.vector, other.metadata)])
    hits = await world.use()["search"](BOTH, PROJECT.id, "secret zeppelin plans", 10)
    assert [h.document_id for h in hits] == [mine.document.id]


async def test_vectors_left_behind_by_a_deleted_document_are_not_shown(world: World):
    made = await world.ingest(MEMBER, b"Quokkas smile at tourists.")
    await world.work()
    left = dict(world.vectors.entries)
    await world.use()["delete"](MEMBER, made.document.id)
    world.vectors.entries = left  # the delete_owner after the commit failed
    assert await world.use()["search"](MEMBER, PROJECT.id, "quokkas", 10) == []


async def test_viewers_search_and_outsiders_find_no_project(world: World):
    await world.ingest(MEMBER, b"Anything at all.")
    await world.work()
    assert len(await world.use()["search"](VIEWER, PROJECT.id, "anything", 10)) == 1
    with pytest.raises(NotFound):
        await world.use()["search"](OUTSIDER, PROJECT.id, "anything", 10)


@pytest.mark.parametrize(
    ("q", "limit", "field"),
    [
        ("", 10, "q"),
        ("   ", 10, "q"),
        ("x" * 501, 10, "q"),
        ("a\x00b", 10, "q"),
        ("ok", 0, "limit"),
        ("ok", 51, "limit"),
    ],
)
async def test_bad_input_is_refused_by_name(world: World, q: str, limit: int, field: str):
    with pytest.raises(InvalidValue) as refused:
        await world.use()["search"](VIEWER, PROJECT.id, q, limit)
    assert refused.value.field == field
    assert world.embedder.calls == []


def test_a_query_is_kept_stripped():
    assert checked_query("  kiwi  ", 10) == "kiwi"


@given(st.text(min_size=0, max_size=800), st.text(alphabet="abc ", min_size=1, max_size=10))
def test_a_snippet_is_short_and_taken_from_the_text(text: str, query: str):
    made = snippet(text, query)
    assert len(made) <= SNIPPET + 2
    assert made.strip("…") in text or made == text


WORDS = ["kiwi", "frost", "apple", "engine", "loom", "quokka", "island", "smile"]
ROLES = [None, ProjectRole.VIEWER, ProjectRole.MEMBER, ProjectRole.MAINTAINER]


@settings(max_examples=40, deadline=None)
@given(
    documents=st.lists(
        st.tuples(st.booleans(), st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)), min_size=1, max_size=6
    ),
    roles=st.tuples(st.sampled_from(ROLES), st.sampled_from(ROLES)),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
)
async def test_a_search_shows_exactly_the_projects_chunks_to_its_readers_and_nothing_to_others(
    documents: list[tuple[bool, list[str]]],
    roles: tuple[ProjectRole | None, ProjectRole | None],
    query: list[str],
) -> None:
    world = World(DocumentsDb(), FakeClock(), Parser(), RecordingQueue())
    owned: dict[UUID, set[UUID]] = {PROJECT.id: set(), OTHER_PROJECT.id: set()}
    for in_other, words in documents:
        project = OTHER_PROJECT.id if in_other else PROJECT.id
        made = await world.ingest(BOTH, (" ".join(words) + ".").encode(), project=project)
        owned[project].add(made.document.id)
    await world.work()
    memberships = {
        project: role for project, role in zip((PROJECT.id, OTHER_PROJECT.id), roles, strict=True) if role is not None
    }
    caller = Principal(UUID(int=11), "user-11", memberships=memberships)
    for project, documents_of_project in owned.items():
        if project not in memberships:
            with pytest.raises(NotFound):
                await world.use()["search"](caller, project, " ".join(query), 50)
            continue
        hits = await world.use()["search"](caller, project, " ".join(query), 50)
        # every chunk of the project is a candidate (fewer than the 20 the vector list asks for), none other
        assert {hit.document_id for hit in hits} == documents_of_project
        assert [hit.fused_score for hit in hits] == sorted((hit.fused_score for hit in hits), reverse=True)


async def test_with_the_embeddings_server_away_the_search_answers_from_the_text_alone(world: World, caplog):
    kiwi = await world.ingest(MEMBER, b"Kiwi orchards need frost protection.", title="Kiwi")
    await world.ingest(MEMBER, b"Apples are picked in autumn.", title="Apples")
    assert await world.work()
    world.embedder.failures = [EmbeddingFailed("the embeddings server is unreachable")]
    hits = await world.use()["search"](VIEWER, PROJECT.id, "kiwi frost", 5)
    assert [(h.document_id, h.vector_score, h.text_score) for h in hits] == [(kiwi.document.id, None, 2.0)]
    assert hits[0].fused_score == pytest.approx(1 / (RRF_K + 1))
    assert "by text only" in caplog.text and "unreachable" in caplog.text
