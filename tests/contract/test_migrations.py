"""Migrations, on SQLite and PostgreSQL: every step reversible (the stairway), and the result is
exactly the schema the adapters are written against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from agentry.adapters.sqlalchemy.engine import create_sync_database
from agentry.adapters.sqlalchemy.migrations import current_revision, downgrade, revisions, upgrade
from agentry.adapters.sqlalchemy.schema import metadata
from tests.conftest import create_database, drop_database


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/stairway.db"
        return
    url = create_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


def tables(url: str) -> set[str]:
    engine = create_sync_database(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_each_revision_upgrades_downgrades_and_upgrades_again(database_url: str) -> None:
    steps = revisions(database_url)
    assert steps, "there are migrations"
    previous = "base"
    for revision in steps:
        upgrade(database_url, revision)
        assert current_revision(database_url) == revision
        downgrade(database_url, previous)
        assert current_revision(database_url) == (None if previous == "base" else previous)
        upgrade(database_url, revision)
        previous = revision
    downgrade(database_url, "base")
    assert tables(database_url) == set()


def test_the_migrated_schema_is_the_schema_of_the_code(database_url: str) -> None:
    upgrade(database_url)
    engine = create_sync_database(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []
    assert tables(database_url) == set(metadata.tables)
