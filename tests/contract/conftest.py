from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.migrations import upgrade
from tests.conftest import create_database, drop_database
from tests.contract.builders import OTHER_PROJECT, PROJECT, make_project
from tests.contract.databases import empty_database
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up
from tests.contract.storage import MemoryStorage, SqlStorage
from tests.pgvector_server import pgvector_url_for_tests


@pytest.fixture(scope="session")
def pgvector_url() -> Iterator[str]:
    """A PostgreSQL 16 with pgvector (pgserver), one for the session: the vector indexes' contracts share it."""
    yield from pgvector_url_for_tests()


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: str) -> Iterator[str]:
    url = create_database(postgres_server)
    upgrade(url)
    yield url
    drop_database(url)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def empty_storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MemoryStorage | SqlStorage]:
    """Each storage adapter, with nothing stored."""
    if request.param == "memory":
        yield MemoryStorage()
        return
    url = empty_database(request, request.param, tmp_path)
    engine = create_async_database(url, pool_size=5)
    try:
        yield SqlStorage(request.param, engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def storage(empty_storage: MemoryStorage | SqlStorage) -> MemoryStorage | SqlStorage:
    """Each storage adapter, holding the projects the task builders put tasks in (PROJECT, OTHER_PROJECT)."""
    await empty_storage.add_project(make_project(id=PROJECT, slug="main"))
    await empty_storage.add_project(make_project(id=OTHER_PROJECT, slug="other"))
    return empty_storage


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AsyncTestClient[Any]]:
    """One embedded service for a test class, signed in as a fresh user whose personal project takes the tasks."""
    app = build_embedded_api(tmp_path_factory.mktemp("api"))
    async with AsyncTestClient(app) as client:  # leaving it stops the in-process worker and the relay
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        yield client


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def api(client: AsyncTestClient[Any]) -> Api:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return Api(client, OpenApiContract(response.json()))
