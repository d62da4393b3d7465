from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from adapters.sqlalchemy.engine import create_async_database
from adapters.sqlalchemy.migrations import upgrade
from tests.conftest import create_database, drop_database
from tests.contract.storage import MemoryStorage, SqlStorage

TABLES = "queue_jobs, task_results, execution_logs, task_executions, task_tags, tasks"


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: str) -> Iterator[str]:
    url = create_database(postgres_server)
    upgrade(url)
    yield url
    drop_database(url)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MemoryStorage | SqlStorage]:
    if request.param == "memory":
        yield MemoryStorage()
        return
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/contract.db"
        upgrade(url)
    else:
        url = request.getfixturevalue("migrated_postgres")
        with psycopg.connect(url) as connection:
            connection.execute(f"TRUNCATE {TABLES}")
    engine = create_async_database(url, pool_size=5)
    try:
        yield SqlStorage(request.param, engine)
    finally:
        await engine.dispose()
