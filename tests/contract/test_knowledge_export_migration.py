"""Migration 0020 on data, on SQLite and PostgreSQL: rows naming an account that is already gone stop naming
it, stored mentions get the kind of the extractor whose extraction of their document is kept (`human`
where none is), and the downgrade takes the kinds out again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from agentry.adapters.sqlalchemy.engine import create_async_database, create_sync_database
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.migrations import downgrade, upgrade
from agentry.domain.documents.document import Document, MediaType
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.facts import Extraction
from agentry.domain.knowledge.values import ExtractorKind, FactStatus, Mention
from agentry.domain.publishing.publication import Publication
from tests.conftest import create_database, drop_database
from tests.contract.builders import make_project, make_user, moment
from tests.contract.storage import SqlStorage


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/authored.db"
        return
    url = create_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


def mentions_of(url: str, entity_id: UUID) -> list[list[object]]:
    engine = create_sync_database(url)
    table = sa.table("kg_entities", sa.column("id", sa.Uuid()), sa.column("sources", sa.JSON()))
    try:
        with engine.connect() as connection:
            raw = connection.execute(sa.select(table.c.sources).where(table.c.id == entity_id)).scalar_one()
    finally:
        engine.dispose()
    return sorted(raw if isinstance(raw, list) else json.loads(raw))


def text_document(document_id: UUID, project_id: UUID, by: UUID, content: bytes) -> Document:
    digest = hashlib.sha256(content).hexdigest()
    return Document.submit(document_id, project_id, by, "A text", MediaType.TEXT, digest, len(content), moment(1))


async def test_the_upgrade_unlinks_accounts_already_gone_and_gives_mentions_their_extractor(database_url: str) -> None:
    upgrade(database_url)
    start_mappers()  # before the domain objects are made, so they are instrumented
    gone, staying = make_user(), make_user()
    project = make_project()
    read, unread = uuid4(), uuid4()  # documents: one with a stored extraction, one without
    document = Document.submit(
        read, project.id, gone.id, "Read", MediaType.TEXT, hashlib.sha256(b"x").hexdigest(), 1, moment(1)
    )
    other = Document.submit(
        unread, project.id, staying.id, "Unread", MediaType.TEXT, hashlib.sha256(b"y").hexdigest(), 1, moment(2)
    )
    publication = Publication.draft(uuid4(), project.id, staying.id, "Post", "", moment(3))
    publication.submit(gone.id, moment(4))
    entity = Entity.extracted(
        uuid4(), project.id, "Acme", "organisation", 0.9, FactStatus.GRAPH,
        [Mention(read, uuid4(), 0, 4, ExtractorKind.OFFLINE), Mention(unread, uuid4(), 0, 4, ExtractorKind.OFFLINE)],
        moment(5),
    )  # fmt: skip
    engine = create_async_database(database_url, pool_size=1)
    storage = SqlStorage("migration", engine)
    async with storage.scope() as p:
        for account in (gone, staying):
            await p.users.add(account)
        await p.projects.add(project)
        await p.documents.add(document, b"x")
        await p.documents.add(other, b"y")
        await p.documents.save_extraction(read, "anthropic:claude-haiku-4-5", Extraction())
        await p.publications.add(publication)
        await p.entities.add(entity)
        await p.uow.commit()
    await engine.dispose()

    downgrade(database_url, "0019")
    assert [m[4:] for m in mentions_of(database_url, entity.id)] == [[], []]
    users = sa.table("users", sa.column("id", sa.Uuid()))
    sync = create_sync_database(database_url)
    with sync.begin() as connection:  # gone before 0020 kept track of what it authored
        connection.execute(users.delete().where(users.c.id == gone.id))
    sync.dispose()
    upgrade(database_url)

    by_document = {str(m[0]): m[4] for m in mentions_of(database_url, entity.id)}
    assert by_document == {str(read): "anthropic", str(unread): "human"}
    engine = create_async_database(database_url, pool_size=1)
    storage = SqlStorage("migration", engine)
    async with storage.scope() as p:
        assert [(await p.documents.get(d)).submitted_by for d in (read, unread)] == [None, staying.id]
        kept = await p.publications.get(publication.id)
        assert (kept.author_id, [t.by for t in kept.history]) == (staying.id, [staying.id, None])
    await engine.dispose()
