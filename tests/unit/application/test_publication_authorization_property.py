"""Whatever the users, projects, memberships and publications: a caller without a right on a
publication is refused (a 404 when they may not even read it, else a 403) and changes nothing, and the
project's list holds exactly the publications of a project the caller may read.

Who has which right is decided here, from the table below, not by asking the policy under test."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.errors import Forbidden, NotFound
from agentry.application.publishing.engagement import GetEngagement
from agentry.application.publishing.ports import PublicationQuery
from agentry.application.publishing.read import GetPublication, ListPublications
from agentry.application.publishing.write import (
    CreatePublication,
    DeletePublication,
    EditPublication,
    Move,
    MovePublication,
    NewPublication,
    PublicationChanges,
)
from agentry.domain.principal import Principal
from agentry.domain.publishing.publication import Publication
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.fakes.existing_projects import ExistingProjects
from tests.fakes.memory import fields_of
from tests.fakes.memory_publications import (
    MemoryEngagement,
    MemoryPublications,
    MemoryPublishingUnitOfWork,
    PublicationsDb,
)
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock, SequentialIds
from tests.unit.application.callers import draw_callers

T0 = datetime(2026, 5, 1, tzinfo=UTC)
AUTHOR = UUID(int=0xA0)
RIGHTS: dict[ProjectRole, set[str]] = {
    ProjectRole.VIEWER: {"read"},
    ProjectRole.MEMBER: {"read", "write"},
    ProjectRole.MAINTAINER: {"read", "write", "publish", "delete"},
    ProjectRole.OWNER: {"read", "write", "publish", "delete"},
}
# How each publication ends up before the callers try it: the moves that bring it there.
FATES = {
    "draft": [],
    "review": ["submit"],
    "published": ["submit", "publish"],
    "archived": ["submit", "publish", "archive"],
}


def may(caller: Principal, right: str, project_id: UUID) -> bool:
    if caller.role is GlobalRole.ADMIN:
        return True
    role = caller.memberships.get(project_id)
    return role is not None and right in RIGHTS[role]


@dataclass(frozen=True)
class Scene:
    callers: list[Principal]
    projects: list[UUID]
    publications: list[tuple[UUID, str]]  # project, fate


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    projects = [UUID(int=0x9000 + i) for i in range(draw(st.integers(1, 3), label="projects"))]
    callers = draw_callers(draw, projects, most=5)
    publications = draw(st.lists(st.tuples(st.sampled_from(projects), st.sampled_from(sorted(FATES))), max_size=5))
    return Scene(callers, projects, publications)


class App:
    def __init__(self) -> None:
        self.db = PublicationsDb()
        publications, policy = MemoryPublications(self.db), TablePolicy()
        uow, clock = MemoryPublishingUnitOfWork(self.db), FakeClock(T0)
        counts = MemoryEngagement(self.db)
        self.projects = ExistingProjects()
        self.create = CreatePublication(publications, policy, uow, clock, SequentialIds(), self.projects)
        self.edit = EditPublication(publications, policy, uow, clock)
        self.move = MovePublication(publications, policy, uow, clock)
        self.delete = DeletePublication(publications, policy, uow, clock)
        self.get = GetPublication(publications, policy)
        self.listing = ListPublications(publications, policy, self.projects)
        self.engagement = GetEngagement(publications, counts, policy, clock)

    def snapshot(self) -> Any:
        return copy.deepcopy(
            (
                {pid: fields_of(p) for pid, p in self.db.publications.items()},
                self.db.commits,
                len(self.db.events),
            )
        )


def arrange(scene: Scene) -> App:
    app = App()
    app.projects.ids.update(scene.projects)
    for n, (project_id, fate) in enumerate(scene.publications):
        publication = Publication.draft(UUID(int=0x7000 + n), project_id, AUTHOR, f"Piece {n}", "Body", T0)
        for move in FATES[fate]:
            getattr(publication, move)(AUTHOR, T0)
        publication.pull_events()
        app.db.publications[publication.id] = publication
    return app


def attempts(app: App) -> list[tuple[str, str, Any]]:
    """(name, right needed, call(caller, project_id, publication_id))."""
    calls: list[tuple[str, str, Any]] = [
        ("get", "read", app.get),
        ("edit", "write", lambda a, p, i: app.edit(a, p, i, PublicationChanges(title="Taken over"))),
        ("engagement", "write", app.engagement),
        ("delete", "delete", app.delete),
    ]
    for move in Move:
        right = "write" if move in (Move.SUBMIT, Move.WITHDRAW) else "publish"
        calls.append((move.value, right, lambda a, p, i, move=move: app.move(a, p, i, move)))
    return calls


def describe(caller: Principal) -> str:
    return f"{caller.name} ({caller.role}, { {str(p): str(r) for p, r in caller.memberships.items()} })"


@settings(max_examples=60, deadline=None)
@given(scene=scenes())
async def test_a_caller_without_the_right_is_refused_and_nothing_changes(scene: Scene) -> None:
    app = arrange(scene)
    before = app.snapshot()
    for name, right, call in attempts(app):
        for caller in scene.callers:
            for publication in list(app.db.publications.values()):
                project_id = publication.project_id
                if may(caller, right, project_id):
                    continue
                expected = Forbidden if may(caller, "read", project_id) else NotFound
                attempt = f"{name} by {describe(caller)} on a {publication.status} publication of {project_id}"
                try:
                    await call(caller, project_id, publication.id)
                except (Forbidden, NotFound) as refusal:
                    assert type(refusal) is expected, f"{attempt}: {type(refusal).__name__}"
                else:
                    raise AssertionError(f"{attempt} was not refused")
                assert app.snapshot() == before, f"{attempt} changed the publications"
    for caller in scene.callers:
        for project_id in scene.projects:
            if may(caller, "write", project_id):
                continue
            expected = Forbidden if may(caller, "read", project_id) else NotFound
            try:
                await app.create(caller, project_id, NewPublication("Sneaked in"))
            except (Forbidden, NotFound) as refusal:
                assert type(refusal) is expected, describe(caller)
            else:
                raise AssertionError(f"{describe(caller)} drafted in {project_id}")
    assert app.snapshot() == before


@settings(max_examples=60, deadline=None)
@given(scene=scenes())
async def test_the_list_holds_exactly_the_publications_of_a_project_the_caller_may_read(scene: Scene) -> None:
    app = arrange(scene)
    for caller in scene.callers:
        for project_id in scene.projects:
            query = PublicationQuery(project_id, limit=100)
            if not may(caller, "read", project_id):
                try:
                    await app.listing(caller, query)
                except NotFound:
                    continue
                raise AssertionError(f"{describe(caller)} listed {project_id}")
            page = await app.listing(caller, query)
            expected = {p.id for p in app.db.publications.values() if p.project_id == project_id}
            assert {p.id for p in page.publications} == expected, describe(caller)


async def test_an_administrator_drafts_nothing_in_a_project_that_does_not_exist() -> None:
    app = App()
    admin = Principal(UUID(int=0xAD), "admin", role=GlobalRole.ADMIN)
    with pytest.raises(NotFound):  # the rights of an administrator cover any id; the project must exist
        await app.create(admin, UUID(int=0x9999), NewPublication("Nowhere"))
    assert app.db.publications == {}
