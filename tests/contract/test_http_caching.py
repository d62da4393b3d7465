"""HTTP caching over the embedded service, every answer checked against the OpenAPI document: a task read
carries an ETag and `Cache-Control: private, no-cache`; the same ETag in If-None-Match gets a 304 until
the task changes; token answers stay `no-store`."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import PASSWORD, bearer, sign_up

TASKS = "/api/v1/tasks"
TASK = TASKS + "/{task_id}"


async def test_a_task_read_is_answered_304_until_the_task_changes(tmp_path: Path) -> None:
    app = build_embedded_api(tmp_path)
    async with AsyncTestClient(app) as client:
        contract = OpenApiContract((await client.get("/schema/openapi.json")).json())
        pair = await sign_up(client, "ada@example.com")
        headers = bearer(pair)
        body = {"title": "Cached", "prompt": "p", "options": {"script": [{"sleep": 60}]}}
        task = (await client.post(TASKS, json=body, headers=headers)).json()
        url = f"{TASKS}/{task['id']}"

        first = await client.get(url, headers=headers)
        contract.check("get", TASK, first)
        tag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == "private, no-cache"
        same = await client.get(url, headers=headers | {"If-None-Match": tag})
        contract.check("get", TASK, same)
        if same.status_code == 200:  # the run had moved the task on in between: its tag moved with it
            assert same.headers["ETag"] != tag
            tag = same.headers["ETag"]
            same = await client.get(url, headers=headers | {"If-None-Match": tag})
        assert (same.status_code, same.content, same.headers["ETag"]) == (304, b"", tag)

        cancelled = await client.post(f"{url}/cancel", headers=headers)
        assert cancelled.status_code == 200, cancelled.text
        changed = await client.get(url, headers=headers | {"If-None-Match": tag})
        assert changed.status_code == 200 and changed.headers["ETag"] != tag
        listed = await client.get(TASKS, headers=headers)
        contract.check("get", TASKS, listed)
        assert "ETag" in listed.headers

        login = await client.post("/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
        assert login.status_code == 200 and login.headers["Cache-Control"] == "no-store"
        me = await client.get("/api/v1/auth/me", headers=headers)
        assert me.headers["Cache-Control"] in ("no-store", "private, no-cache")


async def test_a_task_s_tag_comes_from_its_row_version_and_a_304_carries_no_body(tmp_path: Path) -> None:
    """The tag is known before the body is built: the version of the row, bumped by every write."""
    app = build_embedded_api(tmp_path)
    async with AsyncTestClient(app) as client:
        headers = bearer(await sign_up(client, "ada@example.com"))
        body = {"title": "Versioned", "prompt": "p", "scheduled_at": "2999-01-01T00:00:00Z"}
        task = (await client.post(TASKS, json=body, headers=headers)).json()
        url = f"{TASKS}/{task['id']}"
        first = await client.get(url, headers=headers)
        tag = first.headers["ETag"]
        assert tag.startswith('"v') and first.json()["title"] == "Versioned"
        for given in (tag, f"W/{tag}", f'"other", {tag}', "*"):
            again = await client.get(url, headers=headers | {"If-None-Match": given})
            assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", tag), given
            assert "content-length" not in again.headers or again.headers["content-length"] == "0"
        edited = await client.patch(url, json={"title": "Edited"}, headers=headers)
        assert edited.status_code == 200, edited.text
        changed = await client.get(url, headers=headers | {"If-None-Match": tag})
        assert changed.status_code == 200 and changed.json()["title"] == "Edited"
        assert changed.headers["ETag"] != tag
        bob = bearer(await sign_up(client, "bob@example.com"))
        for given in (None, changed.headers["ETag"], "*"):  # a tag never answers for a task the caller may not read
            other = await client.get(url, headers=bob | ({"If-None-Match": given} if given else {}))
            assert other.status_code == 404, given
        missing = await client.get(f"{TASKS}/{uuid4()}", headers=headers | {"If-None-Match": "*"})
        assert missing.status_code == 404
