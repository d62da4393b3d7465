"""The knowledge-graph entities a project search finds: by name, alias, type and description words,
scored and ranked with their spans and fused score; graph facts only; and another project's entity never
appears, whatever the entities and the caller's roles."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.errors import NotFound
from agentry.application.search.entities import SearchEntities
from agentry.application.search.hybrid import RRF_K
from agentry.application.search.ports import EntitySpan
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.values import ExtractorKind, FactStatus, Mention
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from tests.fakes.existing_projects import ExistingProjects
from tests.fakes.memory_knowledge import KnowledgeDb, MemorySearchableEntities
from tests.fakes.policy import TablePolicy

PROJECT, OTHER = UUID(int=1), UUID(int=2)
VIEWER = Principal(UUID(int=3), "viewer", memberships={PROJECT: ProjectRole.VIEWER})
OUTSIDER = Principal(UUID(int=4), "outsider")
BOTH = Principal(UUID(int=5), "both", memberships={PROJECT: ProjectRole.MEMBER, OTHER: ProjectRole.MEMBER})
NOW = datetime(2026, 12, 6, tzinfo=UTC)
DOC, CHUNK = uuid4(), uuid4()


def put(db: KnowledgeDb, project: UUID, name: str, type_: str = "org", **more: object) -> Entity:
    status = more.pop("status", FactStatus.GRAPH)
    sources = more.pop("sources", ())
    entity = Entity.create(
        uuid4(),
        project,
        EntityEdit(name=name, type=type_, status=status, **more),
        NOW,
        sources,  # type: ignore[arg-type]
    )
    db.committed.entities[entity.id] = entity
    return entity


def search(db: KnowledgeDb) -> SearchEntities:
    return SearchEntities(MemorySearchableEntities(db), TablePolicy(), ExistingProjects(PROJECT, OTHER))


async def test_an_entity_is_found_by_alias_with_its_spans_and_scores():
    db = KnowledgeDb()
    ibm = put(db, PROJECT, "International Business Machines", aliases=["IBM"], sources=[Mention(DOC, CHUNK, 4, 7)])
    described = put(db, PROJECT, "Watson", "system", description="A question answering system built by IBM")
    put(db, PROJECT, "Apple")
    [first, second] = await search(db)(VIEWER, PROJECT, "ibm", 10)
    assert (first.entity_id, first.name, first.aliases) == (ibm.id, "International Business Machines", ("IBM",))
    assert first.spans == (EntitySpan(DOC, CHUNK, 4, 7, ExtractorKind.HUMAN),)
    assert first.score == 3.0 and first.fused_score == pytest.approx(1 / (RRF_K + 1))
    assert (second.entity_id, second.score) == (described.id, 1.0)
    assert second.fused_score == pytest.approx(1 / (RRF_K + 2))


async def test_name_ranks_above_alias_above_part_above_type():
    db = KnowledgeDb()
    by_type = put(db, PROJECT, "Acme", "kiwi")
    by_part = put(db, PROJECT, "Kiwi Orchards")
    by_alias = put(db, PROJECT, "Actinidia", aliases=["Kiwi"])
    by_name = put(db, PROJECT, "KIWI")
    hits = await search(db)(VIEWER, PROJECT, "kiwi", 10)
    assert [h.entity_id for h in hits] == [by_name.id, by_alias.id, by_part.id, by_type.id]
    assert [h.score for h in hits] == [4.0, 3.0, 2.0, 1.0]


async def test_candidates_and_deleted_entities_are_not_found():
    db = KnowledgeDb()
    put(db, PROJECT, "Kiwi", status=FactStatus.CANDIDATE)
    deleted = put(db, PROJECT, "Kiwi Two")
    deleted.delete(NOW)
    assert await search(db)(VIEWER, PROJECT, "kiwi", 10) == []


async def test_an_outsider_finds_no_project():
    with pytest.raises(NotFound):
        await search(KnowledgeDb())(OUTSIDER, PROJECT, "kiwi", 10)


WORDS = ["kiwi", "frost", "apple", "engine", "loom"]
ROLES = [None, ProjectRole.VIEWER, ProjectRole.MEMBER, ProjectRole.MAINTAINER]


@settings(max_examples=40, deadline=None)
@given(
    entities=st.lists(
        st.tuples(st.booleans(), st.sampled_from(WORDS), st.lists(st.sampled_from(WORDS), max_size=2)),
        min_size=1,
        max_size=8,
    ),
    roles=st.tuples(st.sampled_from(ROLES), st.sampled_from(ROLES)),
    query=st.sampled_from(WORDS),
)
async def test_a_search_shows_only_the_projects_entities_to_its_readers(
    entities: list[tuple[bool, str, list[str]]], roles: tuple[ProjectRole | None, ProjectRole | None], query: str
) -> None:
    db = KnowledgeDb()
    owned: dict[UUID, set[UUID]] = {PROJECT: set(), OTHER: set()}
    for index, (in_other, name, aliases) in enumerate(entities):
        project = OTHER if in_other else PROJECT
        made = put(db, project, f"{name} {index}", aliases=[f"{a} alias" for a in aliases])
        if query in made.terms:
            owned[project].add(made.id)
    memberships = {p: role for p, role in zip((PROJECT, OTHER), roles, strict=True) if role is not None}
    caller = Principal(UUID(int=11), "user-11", memberships=memberships)
    for project, matching in owned.items():
        if project not in memberships:
            with pytest.raises(NotFound):
                await search(db)(caller, project, query, 50)
            continue
        hits = await search(db)(caller, project, query, 50)
        assert {hit.entity_id for hit in hits} == matching
        assert [hit.fused_score for hit in hits] == sorted((hit.fused_score for hit in hits), reverse=True)
