"""Empty databases at the newest revision for the storage contracts, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from agentry.adapters.sqlalchemy.schema import metadata
from tests.migrated import migrated_sqlite

# Every table of the schema: a new capability's tables come along by themselves.
TABLES = ", ".join(table.name for table in reversed(metadata.sorted_tables))


def empty_database(request: pytest.FixtureRequest, kind: str, directory: Path) -> str:
    """The URL of an empty database at the newest revision: a fresh SQLite file, or the session's PostgreSQL
    database with every table emptied."""
    if kind == "sqlite":
        return migrated_sqlite(directory / "contract.db")
    url: str = request.getfixturevalue("migrated_postgres")
    with psycopg.connect(url) as connection:
        connection.execute(f"TRUNCATE {TABLES}")
    return url
