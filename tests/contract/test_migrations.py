"""Migrations, on SQLite and PostgreSQL: every step reversible (the stairway), and the result is
exactly the schema the adapters are written against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from agentry.adapters.sqlalchemy.engine import create_sync_database
from agentry.adapters.sqlalchemy.metadata import POSTGRESQL_ONLY
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
    """PostgreSQL-only indexes (on an expression, which alembic does not compare reliably): by name."""
    only_postgresql = {
        (table.name, index.name)
        for table in metadata.tables.values()
        for index in table.indexes
        if index.info.get(POSTGRESQL_ONLY)
    }
    names = {name for _, name in only_postgresql}

    def include(_item: Any, name: str | None, kind: str, _reflected: bool, _compare_to: Any) -> bool:
        return not (kind == "index" and name in names)

    upgrade(database_url)
    engine = create_sync_database(database_url)
    try:
        with engine.connect() as connection:
            opts = {"compare_type": True, "include_object": include}
            context = MigrationContext.configure(connection, opts=opts)
            differences = compare_metadata(context, metadata)
            postgresql = connection.dialect.name == "postgresql"
        found = {(table, index["name"]) for table, _ in only_postgresql for index in inspect(engine).get_indexes(table)}
    finally:
        engine.dispose()
    assert differences == []
    assert tables(database_url) == set(metadata.tables)
    assert only_postgresql, "the publications' trigram index"
    assert (only_postgresql <= found) if postgresql else not (only_postgresql & found)
