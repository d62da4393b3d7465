"""Whatever the users, projects and memberships: a caller without a right on a project's knowledge graph
gets a refusal and changes nothing, a fact named under another project's path is not found, and the
entity list shows exactly the path project's entities.

Who has which right is decided here, not by asking the policy under test: a project's viewers read, its
members create and correct, its maintainers (and owners) merge, split and delete; admins do everything."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.errors import Forbidden, NotFound
from agentry.application.knowledge.ports.graph import EntityQuery
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.fakes.memory import fields_of
from tests.unit.application.callers import draw_callers
from tests.unit.application.knowledge_scene import Knowledge

LEVEL = {ProjectRole.VIEWER: 1, ProjectRole.MEMBER: 2, ProjectRole.MAINTAINER: 3, ProjectRole.OWNER: 4}
READ, EDIT, CURATE = 1, 2, 3


@dataclass(frozen=True)
class Facts:
    a: Entity
    b: Entity
    edge: Relationship


Call = Callable[[Knowledge, Principal, UUID, Facts], Awaitable[Any]]
# Every knowledge use case on one fact, with the right it needs.
USE_CASES: list[tuple[str, int, Call]] = [
    ("get entity", READ, lambda k, c, p, f: k.get_entity(c, p, f.a.id)),
    ("get relationship", READ, lambda k, c, p, f: k.get_relationship(c, p, f.edge.id)),
    ("edit entity", EDIT, lambda k, c, p, f: k.edit_entity(c, p, f.a.id, EntityEdit(name="Renamed"))),
    ("edit relationship", EDIT, lambda k, c, p, f: k.edit_relationship(c, p, f.edge.id, "renamed")),
    ("merge", CURATE, lambda k, c, p, f: k.merge(c, p, f.a.id, [f.b.id])),
    ("split", CURATE, lambda k, c, p, f: k.split(c, p, f.a.id, EntityEdit(name="S", type="t"), ["A alias"], [])),
    ("delete entity", CURATE, lambda k, c, p, f: k.delete_entity(c, p, f.a.id)),
    ("delete relationship", CURATE, lambda k, c, p, f: k.delete_relationship(c, p, f.edge.id)),
]


def level(caller: Principal, project_id: UUID) -> int:
    if caller.role is GlobalRole.ADMIN:
        return LEVEL[ProjectRole.OWNER]
    role = caller.memberships.get(project_id)
    return 0 if role is None else LEVEL[role]


@dataclass(frozen=True)
class Scene:
    callers: list[Principal]
    projects: list[UUID]


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    projects = [UUID(int=0x9000 + i) for i in range(draw(st.integers(1, 3), label="projects"))]
    return Scene(draw_callers(draw, projects, most=4), projects)


async def arrange(projects: list[UUID]) -> tuple[Knowledge, dict[UUID, Facts]]:
    k = Knowledge()
    k.projects.ids.update(projects)
    e, r, _, s = k.ports()
    facts = {}
    for project_id in projects:
        now = k.clock.now()
        a = Entity.create(k.ids.new_id(), project_id, EntityEdit(name="A", type="t", aliases=["A alias"]), now)
        b = Entity.create(k.ids.new_id(), project_id, EntityEdit(name="B", type="t"), now)
        edge = Relationship.create(k.ids.new_id(), project_id, a.id, b.id, "knows", now)
        for entity in (a, b):
            await e.add(entity)
        await r.add(edge)
        facts[project_id] = Facts(a, b, edge)
    await s.commit()
    k.db.events.clear()
    return k, facts


@settings(max_examples=30, deadline=None)
@given(scene=scenes())
async def test_a_caller_without_the_right_is_refused_and_nothing_changes(scene: Scene) -> None:
    arranged, facts = await arrange(scene.projects)
    for caller in scene.callers:
        for path_project in scene.projects:
            for owner_project, fact in facts.items():
                for name, need, call in USE_CASES:
                    k = copy.deepcopy(arranged)
                    before = copy.deepcopy(k.db.committed)
                    has = level(caller, path_project)
                    expected: type[Exception] | None = (
                        NotFound
                        if has == 0
                        else Forbidden
                        if has < need
                        else NotFound
                        if owner_project != path_project
                        else None
                    )
                    where = f"{name} by {caller.name} under {path_project} of a fact of {owner_project}"
                    try:
                        await call(k, caller, path_project, fact)
                    except (NotFound, Forbidden) as refused:
                        assert type(refused) is expected, f"{where}: {type(refused).__name__}, not {expected}"
                        assert k.db.events == [], where
                        assert _same(k.db.committed, before), where
                    else:
                        assert expected is None, f"{where}: allowed, not {expected.__name__}"


@settings(max_examples=30, deadline=None)
@given(scene=scenes())
async def test_the_entity_list_shows_the_path_projects_entities_to_its_readers_only(scene: Scene) -> None:
    k, facts = await arrange(scene.projects)
    for caller in scene.callers:
        for project_id in scene.projects:
            try:
                page = await k.list_entities(caller, EntityQuery(project_id))
            except NotFound:
                assert level(caller, project_id) == 0
            else:
                assert level(caller, project_id) >= READ
                assert {e.id for e in page.entities} == {facts[project_id].a.id, facts[project_id].b.id}


def _same(state: Any, before: Any) -> bool:
    def plain(s: Any) -> Any:
        # the domain fields only: once another test has started the mappers, instances also carry
        # SQLAlchemy's state, which a deep copy does not keep equal
        return {
            "entities": {i: fields_of(e) for i, e in s.entities.items()},
            "relationships": {i: fields_of(r) for i, r in s.relationships.items()},
        }

    return bool(plain(state) == plain(before))
