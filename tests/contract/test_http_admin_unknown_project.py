"""An administrator's rights cover any project id, so the rights alone do not say that a project exists:
every route that creates something under a project named by the caller answers an unknown one with a
404 problem document, and writes nothing (on SQLite, the embedded default, an insert under it would
break a foreign key: a 500, which schemathesis found on POST /api/v1/agent/chat)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import build_embedded_api
from tests.contract.http_client import PASSWORD, bearer, sign_up

UNKNOWN = str(UUID(int=0xBAD_C0FFEE))  # fixed: test ids must be the same in every xdist worker
CREATES: list[tuple[str, dict[str, Any]]] = [
    ("/api/v1/agent/chat", {"message": "Hello", "project_id": UNKNOWN}),
    ("/api/v1/tasks", {"title": "t", "prompt": "p", "project_id": UNKNOWN}),
    ("/api/v1/documents", {"title": "d", "text": "Some text.", "project_id": UNKNOWN}),
    (f"/api/v1/projects/{UNKNOWN}/entities", {"name": "Ada", "type": "person"}),
    (f"/api/v1/projects/{UNKNOWN}/publications", {"title": "Notes"}),
    (f"/api/v1/projects/{UNKNOWN}/publications/drafts", {"about": "Ada"}),
    (f"/api/v1/projects/{UNKNOWN}/webhooks", {"url": "https://example.com/hook", "event_types": ["task.queued"]}),
    (f"/api/v1/projects/{UNKNOWN}/invitations", {"email": "bob@example.com", "role": "member"}),
]

TABLES = (
    "chat_sessions",
    "tasks",
    "documents",
    "kg_entities",
    "publications",
    "publication_drafts",
    "webhook_endpoints",
    "invitations",
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def admin(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[AsyncTestClient[Any], Path]]:
    directory = tmp_path_factory.mktemp("api")
    app = build_embedded_api(directory)
    async with AsyncTestClient(app) as client:
        await sign_up(client, "root@example.com", "Root")
        with sqlite3.connect(directory / "api.db") as db:
            db.execute("UPDATE users SET role = 'admin' WHERE email = 'root@example.com'")
        login = await client.post("/api/v1/auth/login", json={"email": "root@example.com", "password": PASSWORD})
        client.headers.update(bearer(login.json()))
        assert (await client.get("/api/v1/auth/me")).json()["role"] == "admin"
        yield client, directory / "api.db"


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("path", "body"), CREATES, ids=[p for p, _ in CREATES])
async def test_creating_under_a_project_that_does_not_exist_is_a_404_and_writes_nothing(
    admin: tuple[AsyncTestClient[Any], Path], path: str, body: dict[str, Any]
) -> None:
    client, database = admin
    answer = await client.post(path, json=body)
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    with sqlite3.connect(database) as db:
        for table in TABLES:
            rows = db.execute(f"SELECT count(*) FROM {table} WHERE project_id = ?", (UUID(UNKNOWN).hex,)).fetchone()
            assert rows == (0,), table


READS = [
    f"/api/v1/projects/{UNKNOWN}",
    f"/api/v1/projects/{UNKNOWN}/entities",
    f"/api/v1/projects/{UNKNOWN}/relationships",
    f"/api/v1/projects/{UNKNOWN}/graph/subgraph?q=Ada",
    f"/api/v1/projects/{UNKNOWN}/publications",
    f"/api/v1/projects/{UNKNOWN}/search?q=Ada",
    f"/api/v1/projects/{UNKNOWN}/members",
    f"/api/v1/projects/{UNKNOWN}/invitations",
    f"/api/v1/projects/{UNKNOWN}/webhooks",
]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("path", READS, ids=[p.split(UNKNOWN)[1] or "/" for p in READS])
async def test_reading_under_a_project_that_does_not_exist_is_a_404_not_an_empty_page(
    admin: tuple[AsyncTestClient[Any], Path], path: str
) -> None:
    client, _ = admin
    answer = await client.get(path)
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["detail"] == f"project {UNKNOWN} was not found"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_deleted_projects_reads_are_404_once_it_is_gone(
    admin: tuple[AsyncTestClient[Any], Path],
) -> None:
    """What schemathesis' stateful phase found: search answered 200 with no hits once the project was gone."""
    client, _ = admin
    project = (await client.post("/api/v1/projects", json={"name": "Gone soon", "slug": "gone-soon"})).json()
    reads = [path.replace(UNKNOWN, project["id"]) for path in READS]
    for path in reads:
        assert (await client.get(path)).status_code == 200, path
    assert (await client.delete(f"/api/v1/projects/{project['id']}")).status_code == 204
    for path in reads:
        assert (await client.get(path)).status_code == 404, path
