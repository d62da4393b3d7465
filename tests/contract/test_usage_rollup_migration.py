"""Migration 0008's backfill, on SQLite and PostgreSQL: executions ended before the roll-ups
existed are added up by the migration exactly as the flush that ends each one adds it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from agentry.adapters.sqlalchemy.engine import create_sync_database
from agentry.adapters.sqlalchemy.migrations import downgrade, upgrade
from tests.contract.storage import SqlStorage, Storage
from tests.contract.test_usage_reports import store_fixture


def roll_ups(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = create_sync_database(url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(
                    (tuple(str(v) for v in row) for row in connection.execute(sa.text(f"SELECT * FROM {table}"))),
                )
                for table in ("usage_daily", "usage_monthly")
            }
    finally:
        engine.dispose()


async def test_the_backfill_gives_the_roll_ups_the_endings_kept(storage: Storage) -> None:
    if not isinstance(storage, SqlStorage):
        pytest.skip("a migration is the SQL adapters' business")
    await store_fixture(storage)
    url = storage.engine.url.render_as_string(hide_password=False)
    kept = roll_ups(url)
    assert kept["usage_daily"] and kept["usage_monthly"]
    await storage.engine.dispose()
    downgrade(url, "0007")
    upgrade(url)
    assert roll_ups(url) == kept
