"""DELETE /api/v1/projects/{id} (and DELETE /api/v1/auth/me, for the projects that go with the account)
takes the project's vectors with it, on the embedded index (files beside the SQLite database) and on
pgvector (AGENTRY_VECTOR_DATABASE_URL): the search chunks' and the entity names'; another project's stay.
The relay removes them (ForgetProjectVectors)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from litestar.testing import AsyncTestClient

from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.search.ports import VectorEntry, VectorIndex
from tests.app_loop import in_app
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import PASSWORD, Api, bearer, sign_up

PROJECTS = "/api/v1/projects"
PROJECT = PROJECTS + "/{project_id}"


@pytest.fixture(params=["embedded", "pgvector"])
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    overrides = {"vector_database_url": request.getfixturevalue("pgvector_url")} if request.param == "pgvector" else {}
    async with AsyncTestClient(build_embedded_api(tmp_path, **overrides)) as client:
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        yield Api(client, OpenApiContract((await client.get("/schema/openapi.json")).json()))


async def counts(api: Api, project_id: str) -> tuple[int, int]:
    """How many chunk vectors and entity name vectors the project holds (read in the app's loop)."""

    async def read() -> tuple[int, int]:
        container = api.client.app.state.dishka_container
        chunks: VectorIndex = await container.get(VectorIndex)
        names: EntityNameVectors = await container.get(EntityNameVectors)
        return await chunks.count(UUID(project_id)), await names.count(UUID(project_id))

    return await in_app(api.client, read)


async def planted(api: Api, project_id: str, n: int) -> None:
    """`n` chunk vectors and `n` name vectors in the project, as ingestion and the link step keep them
    (written directly: embedding is not what is tested here, and the model would cost seconds)."""

    async def write() -> None:
        container = api.client.app.state.dishka_container
        for index in (await container.get(VectorIndex), await container.get(EntityNameVectors)):
            keys = [uuid4() for _ in range(n)]
            vectors = [[1.0 if i == k else 0.0 for i in range(index.dimension)] for k in range(n)]
            entries = [VectorEntry(key, UUID(project_id), key, v) for key, v in zip(keys, vectors, strict=True)]
            await index.upsert(entries)

    await in_app(api.client, write)


async def test_a_deleted_projects_vectors_go_and_another_projects_stay(api: Api) -> None:
    kept = (await api.call("get", PROJECTS, expect=200))["items"][0]["id"]  # her personal project
    doomed = (await api.call("post", PROJECTS, expect=201, json={"name": "Doomed", "slug": "doomed"}))["id"]
    await planted(api, kept, 2)
    await planted(api, doomed, 3)
    assert (await counts(api, kept), await counts(api, doomed)) == ((2, 2), (3, 3))

    await api.call("delete", PROJECT, project_id=doomed, expect=204)

    await gone(api, doomed)
    assert await counts(api, kept) == (2, 2)

    await api.call("delete", "/api/v1/auth/me", expect=204, json={"password": PASSWORD})  # her personal one too
    await gone(api, kept)


async def gone(api: Api, project_id: str) -> None:
    """Wait for the relay to leave the project without vectors."""
    deadline = time.monotonic() + 5.0
    while (left := await counts(api, project_id)) != (0, 0):
        assert time.monotonic() < deadline, f"the deleted project still holds {left} vectors"
        await asyncio.sleep(0.05)
