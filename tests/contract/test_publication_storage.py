"""Publications on SQLAlchemy, SQLite and PostgreSQL alike, driven through the use cases: the history
and labels round-trip, the project's list and the public list filter by status, category, tag, entity
and text and page by cursor, a project that does not publish publicly is not found, engagement is
counted once per visitor, kind and day and keeps no digest past its day, deletion takes the counts
along, and every change is in the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.identity.user_repository import SqlAlchemyUserRepository
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.outbox.tables import domain_events
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.publishing.engagement import SqlAlchemyEngagement
from agentry.adapters.sqlalchemy.publishing.repository import SqlAlchemyPublications, SqlAlchemyPublicProjects
from agentry.adapters.sqlalchemy.publishing.tables import (
    engagement_salts,
    publication_engagement,
    publication_visitors,
)
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.errors import InvalidCursor, NotFound, PublicSlugTaken
from agentry.application.publishing.engagement import GetEngagement, RecordEngagement, Visitor
from agentry.application.publishing.ports import PublicationQuery
from agentry.application.publishing.public import GetPublished, ListPublished, PublicQuery
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
from agentry.domain.projects.project import ProjectSettings
from agentry.domain.publishing.publication import PublicationStatus
from agentry.domain.roles import ProjectRole
from tests.contract.builders import make_project, make_user
from tests.contract.databases import empty_database
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock

ENTITY = uuid4()
READER = Visitor("203.0.113.7", "Mozilla/5.0")
PEOPLE = (*range(11), 77)  # the principals the tests act as


@dataclass
class Scope:
    create: CreatePublication
    edit: EditPublication
    move: MovePublication
    delete: DeletePublication
    get: GetPublication
    listing: ListPublications
    public_list: ListPublished
    public_get: GetPublished
    record: RecordEngagement
    engagement: GetEngagement
    session: AsyncSession


class Store:
    def __init__(self, engine: AsyncEngine, project_id: UUID, private_id: UUID) -> None:
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.project_id = project_id  # publishes publicly as "news"
        self.private_id = private_id  # "quiet": does not
        self.clock = FakeClock()

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Scope]:
        async with self.sessions() as s:
            publications, public, counts = (
                SqlAlchemyPublications(s),
                SqlAlchemyPublicProjects(s),
                SqlAlchemyEngagement(s),
            )
            uow, policy, clock = SqlAlchemyUnitOfWork(s, uuid4), TablePolicy(), self.clock
            yield Scope(
                CreatePublication(publications, policy, uow, clock, _Ids(), SqlAlchemyProjectRepository(s)),
                EditPublication(publications, policy, uow, clock),
                MovePublication(publications, policy, uow, clock),
                DeletePublication(publications, policy, uow, clock),
                GetPublication(publications, policy),
                ListPublications(publications, policy, SqlAlchemyProjectRepository(s)),
                ListPublished(public, publications),
                GetPublished(public, publications),
                RecordEngagement(public, publications, counts, uow, clock),
                GetEngagement(publications, counts, policy, clock),
                s,
            )


class _Ids:
    def new_id(self) -> UUID:
        return uuid4()


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    url = empty_database(request, request.param, tmp_path)
    start_mappers()
    engine = create_async_database(url, pool_size=5)
    public = make_project(slug="news", settings=ProjectSettings(public_publications=True))
    private = make_project(slug="quiet")
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await SqlAlchemyProjectRepository(s).add(public)
        await SqlAlchemyProjectRepository(s).add(private)
        for number in PEOPLE:  # the principals' accounts: what they author references them
            await SqlAlchemyUserRepository(s).add(make_user(id=UUID(int=number)))
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    try:
        yield Store(engine, public.id, private.id)
    finally:
        await engine.dispose()


def person(store: Store, role: ProjectRole, number: int) -> Principal:
    return Principal(UUID(int=number), f"user-{number}", memberships={store.project_id: role, store.private_id: role})


async def published(store: Store, title: str, body: str = "", project_id: UUID | None = None, **labels: Any) -> UUID:
    member, maintainer = person(store, ProjectRole.MEMBER, 3), person(store, ProjectRole.MAINTAINER, 4)
    project_id = project_id or store.project_id
    async with store.scope() as p:
        made = await p.create(member, project_id, NewPublication(title, body, **labels))
    for move, by in ((Move.SUBMIT, member), (Move.PUBLISH, maintainer)):
        async with store.scope() as p:
            await p.move(by, project_id, made.id, move)
    return made.id


async def test_a_publication_round_trips_with_its_history_and_every_change_is_announced(store: Store):
    member, maintainer = person(store, ProjectRole.MEMBER, 3), person(store, ProjectRole.MAINTAINER, 4)
    new = NewPublication("Graphs", "# Heading", categories=["Research"], tags=["ai", "Graphs"], entity_ids=[ENTITY])
    async with store.scope() as p:
        made = await p.create(member, store.project_id, new)
    async with store.scope() as p:
        await p.edit(member, store.project_id, made.id, PublicationChanges(body="# Better", tags=["ai"]))
    for move, by in ((Move.SUBMIT, member), (Move.WITHDRAW, member), (Move.SUBMIT, member), (Move.PUBLISH, maintainer)):
        async with store.scope() as p:
            await p.move(by, store.project_id, made.id, move)
    async with store.scope() as p:
        found = await p.get(person(store, ProjectRole.VIEWER, 5), store.project_id, made.id)
        kinds = (await p.session.execute(select(domain_events.c.type).order_by(domain_events.c.occurred_at))).scalars()
        kinds = [k for k in kinds if k.startswith("publication.")]
    assert (found.title, found.body, found.categories, found.tags, found.entity_ids) == (
        "Graphs",
        "# Better",
        ("research",),
        ("ai",),
        (ENTITY,),
    )
    assert found.status is PublicationStatus.PUBLISHED and found.published_at is not None
    moves = [(t.from_status, t.to_status, t.by) for t in found.history]
    assert moves == [
        (None, PublicationStatus.DRAFT, member.id),
        (PublicationStatus.DRAFT, PublicationStatus.REVIEW, member.id),
        (PublicationStatus.REVIEW, PublicationStatus.DRAFT, member.id),
        (PublicationStatus.DRAFT, PublicationStatus.REVIEW, member.id),
        (PublicationStatus.REVIEW, PublicationStatus.PUBLISHED, maintainer.id),
    ]
    assert kinds == [
        "publication.created",
        "publication.updated",
        "publication.submitted",
        "publication.withdrawn",
        "publication.submitted",
        "publication.published",
    ]


async def test_the_lists_filter_by_status_label_entity_and_text_and_page_by_cursor(store: Store):
    first = await published(store, "Graph databases", "Nodes and edges", tags=["db"], entity_ids=[ENTITY])
    second = await published(store, "Vector search", "Embeddings and HNSW", categories=["Search"], tags=["db", "ml"])
    await published(store, "Elsewhere", "Nodes too", project_id=store.private_id)
    async with store.scope() as p:
        draft = await p.create(person(store, ProjectRole.MEMBER, 3), store.project_id, NewPublication("Draft nodes"))
    viewer = person(store, ProjectRole.VIEWER, 5)

    async def public_ids(**query: Any) -> list[UUID]:
        async with store.scope() as p:
            return [x.id for x in (await p.public_list("news", PublicQuery(**query))).publications]

    assert await public_ids() == [second, first]  # newest published first, no draft
    assert await public_ids(tag="DB ") == [second, first]
    assert await public_ids(tag="ml") == [second]
    assert await public_ids(category="search") == [second]
    assert await public_ids(entity_id=ENTITY) == [first]
    assert await public_ids(text="NODES edges") == [first]
    assert await public_ids(text="nodes hnsw") == []
    assert await public_ids(text="100%_") == []
    assert await public_ids(text="databases nodes") == [first]  # one word in the title, one in the body
    assert await public_ids(text="databasesnodes") == []  # never across the title's end
    assert await public_ids(text="databases\nnodes") == [first]
    assert await public_ids(text="tabase odes") == [first]  # substrings, as the scan found them
    async with store.scope() as p:
        page = await p.public_list("news", PublicQuery(limit=1))
        rest = await p.public_list("news", PublicQuery(limit=1), page.next_cursor)
        drafts = await p.listing(viewer, PublicationQuery(store.project_id, status=PublicationStatus.DRAFT))
        everything = await p.listing(viewer, PublicationQuery(store.project_id, limit=2))
        with pytest.raises(InvalidCursor):
            await p.listing(viewer, PublicationQuery(store.project_id), page.next_cursor)
    assert [x.id for x in page.publications + rest.publications] == [second, first] and rest.next_cursor is None
    assert [x.id for x in drafts.publications] == [draft.id]
    assert [x.id for x in everything.publications] == [draft.id, second] and everything.next_cursor


async def test_a_project_that_does_not_publish_publicly_and_an_unknown_one_are_not_found_alike(store: Store):
    hidden = await published(store, "Hidden", project_id=store.private_id)
    async with store.scope() as p:
        draft = await p.create(person(store, ProjectRole.MEMBER, 3), store.project_id, NewPublication("Draft"))
    async with store.scope() as p:
        for slug, publication_id in (("quiet", hidden), ("nobody", hidden), ("news", hidden), ("news", draft.id)):
            with pytest.raises(NotFound):
                await p.public_get(slug, publication_id)
        for slug in ("quiet", "nobody"):
            with pytest.raises(NotFound):
                await p.public_list(slug, PublicQuery())
            with pytest.raises(NotFound):
                await p.record(slug, hidden, READER)


async def test_views_and_reactions_count_once_per_visitor_and_day_and_no_digest_outlives_its_day(store: Store):
    publication_id = await published(store, "Read me")
    other = Visitor("198.51.100.1", "curl/8")
    outcomes = []
    for visitor, kind in ((READER, None), (READER, None), (other, None), (READER, "like"), (READER, "like")):
        async with store.scope() as p:
            outcomes.append(await p.record("news", publication_id, visitor, kind))
    assert outcomes == [True, False, True, True, False]
    first_day = store.clock.now().date()
    store.clock.advance(days=1)
    async with store.scope() as p:
        assert await p.record("news", publication_id, READER)  # a new day: counted again
        digests = (await p.session.execute(select(func.min(publication_visitors.c.day)))).scalar_one()
        salts = (await p.session.execute(select(func.count()).select_from(engagement_salts))).scalar_one()
        tally = await p.engagement(
            person(store, ProjectRole.MEMBER, 3), store.project_id, publication_id, first_day, first_day + timedelta(1)
        )
    assert digests == first_day + timedelta(1) and salts == 1
    assert [(day, t.views, t.reactions["like"]) for day, t in sorted(tally.days.items())] == [
        (first_day, 2, 1),
        (first_day + timedelta(1), 1, 0),
    ]
    assert (tally.total.views, tally.total.reactions) == (3, {"like": 1, "insightful": 0, "celebrate": 0})


async def test_deleting_takes_the_counts_along_and_only_maintainers_may(store: Store):
    publication_id = await published(store, "Short-lived")
    async with store.scope() as p:
        await p.record("news", publication_id, READER)
    async with store.scope() as p:
        with pytest.raises(Exception, match="may not delete publication"):
            await p.delete(person(store, ProjectRole.MEMBER, 3), store.project_id, publication_id)
    async with store.scope() as p:
        await p.delete(person(store, ProjectRole.MAINTAINER, 4), store.project_id, publication_id)
    async with store.scope() as p:
        with pytest.raises(NotFound):
            await p.get(person(store, ProjectRole.OWNER, 6), store.project_id, publication_id)
        left = (await p.session.execute(select(func.count()).select_from(publication_visitors))).scalar_one()
        deleted = (
            await p.session.execute(select(func.count()).where(domain_events.c.type == "publication.deleted"))
        ).scalar_one()
    assert (left, deleted) == (0, 1)


async def test_a_deleted_project_takes_its_publications_and_their_counts_along(store: Store):
    publication_id = await published(store, "Goes with its project")
    async with store.scope() as p:
        await p.record("news", publication_id, READER)
    async with store.sessions() as s:
        projects = SqlAlchemyProjectRepository(s)
        project = await projects.get(store.project_id)
        assert project is not None
        project.delete(store.clock.now())
        await projects.delete(project)
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    async with store.scope() as p:
        assert await p.move.publications.get(publication_id) is None
        left = (await p.session.execute(select(func.count()).select_from(publication_visitors))).scalar_one()
        counts = (await p.session.execute(select(func.count()).select_from(publication_engagement))).scalar_one()
    assert (left, counts) == (0, 0)


async def test_a_second_project_cannot_publish_publicly_under_a_slug_another_publishes_under(store: Store):
    """The partial unique index: by a new project, by switching the setting on, and by a rename."""
    public = ProjectSettings(public_publications=True)
    sessions = store.sessions
    async with sessions() as s:
        with pytest.raises(PublicSlugTaken) as refused:  # at the flush that writes it
            await SqlAlchemyProjectRepository(s).add(make_project(slug="news", settings=public))
    assert refused.value.slug == "news"
    namesake, renamed = make_project(slug="news"), make_project(slug="elsewhere", settings=public)
    async with sessions() as s:
        await SqlAlchemyProjectRepository(s).add(namesake)  # the same slug without publishing: allowed
        await SqlAlchemyProjectRepository(s).add(renamed)
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    for project_id, changes in ((namesake.id, {"settings": public}), (renamed.id, {"slug": "news"})):
        async with sessions() as s:
            project = await SqlAlchemyProjectRepository(s).get(project_id)
            assert project is not None
            project.update(project.updated_at, **changes)
            with pytest.raises(PublicSlugTaken):
                await SqlAlchemyUnitOfWork(s, uuid4).commit()
    async with sessions() as s:
        assert await SqlAlchemyPublicProjects(s).publishing_as("news") == store.project_id
