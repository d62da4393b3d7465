"""Input and privacy hardening over HTTP, every answer checked against the OpenAPI document: a body
nested too deep is a 422 naming the limit on every route that takes one; every answer says `nosniff`;
answers holding a secret are not to be stored; logging out with an API token is a 400 saying how
to revoke it; /health/ready tells only admins why."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import PASSWORD, Api, bearer, sign_up

AUTH = "/api/v1/auth"
SOME_ID = "01a20000-0000-7000-8000-000000000000"
DEEP = b"[" * 10_000 + b"]" * 10_000


class Service:
    def __init__(self, api: Api, database: Path) -> None:
        self.api = api
        self.database = database
        self.ada: dict[str, str] = {}

    async def headers(self, email: str, *, admin: bool = False) -> dict[str, str]:
        pair = await sign_up(self.api.client, email)
        if admin:
            with sqlite3.connect(self.database) as db:
                db.execute("UPDATE users SET role = 'admin' WHERE email = ?", (email,))
        return bearer(pair)

    async def api_token(self, headers: dict[str, str]) -> dict[str, Any]:
        body = {"name": "ci", "expires_in_days": 30}
        token: dict[str, Any] = await self.api.call("post", AUTH + "/tokens", expect=201, json=body, headers=headers)
        return token


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    directory = tmp_path_factory.mktemp("hardening")
    async with AsyncTestClient(build_embedded_api(directory)) as client:
        document = (await client.get("/schema/openapi.json")).json()
        service = Service(Api(client, OpenApiContract(document)), directory / "api.db")
        service.ada = await service.headers("ada@example.com")
        yield service


# Uploads stream their body (up to AGENTRY_DOCUMENT_MAX_BYTES) after the caller is known: an anonymous
# caller is refused (401) before a byte of it is read, a signed-in one gets the depth check on a JSON body.
READ_THEIR_OWN_BODY = {("post", "/api/v1/documents"), ("post", "/api/v1/documents/batch")}


def body_routes() -> list[tuple[str, str]]:
    from tests.contract.http_app import openapi_document

    return sorted(
        (method, path)
        for path, operations in openapi_document()["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    )


@pytest.mark.asyncio(loop_scope="class")
class TestHardening:
    @pytest.mark.parametrize(("method", "template"), body_routes())
    async def test_a_body_nested_too_deep_is_a_422_naming_the_limit_on_every_route_taking_one(
        self, service: Service, method: str, template: str
    ) -> None:
        ids = dict.fromkeys(
            (
                "task_id",
                "project_id",
                "user_id",
                "token_id",
                "webhook_id",
                "delivery_id",
                "session_id",
                "entity_id",
                "relationship_id",
                "publication_id",
                "project_slug",
            ),
            SOME_ID,
        )
        names = {name: value for name, value in ids.items() if "{" + name + "}" in template}
        for caller in (service.ada, {}):  # signed in, then anonymous: refused before anything else
            if not caller and (method, template) in READ_THEIR_OWN_BODY:
                headers = {"content-type": "application/json"}
                await service.api.call(method, template, expect=401, content=DEEP, headers=headers, **names)
                continue
            headers = {"content-type": "application/json", **caller}
            problem = await service.api.call(method, template, expect=422, content=DEEP, headers=headers, **names)
            assert problem["type"] == "/problems/json-too-deep"
            assert "32 levels" in problem["detail"] and "AGENTRY_MAX_JSON_DEPTH" in problem["detail"]

    async def test_a_body_at_the_limit_is_decoded_and_judged_on_its_content(self, service: Service) -> None:
        nested = b'{"email": "ada@example.com", "password": ' + b"[" * 31 + b"]" * 31 + b"}"
        problem = await service.api.call(
            "post", AUTH + "/login", expect=422, content=nested, headers={"content-type": "application/json"}
        )
        assert problem["type"] != "/problems/json-too-deep", problem

    async def test_a_body_is_read_as_strictly_as_the_document_types_it(self, service: Service) -> None:
        # Litestar would convert 0 to false and "30" to 30; the document says boolean and integer
        client = service.api.client
        project = (await client.get("/api/v1/projects", headers=service.ada)).json()["items"][0]
        lenient_bool = await client.patch(
            f"/api/v1/projects/{project['id']}", json={"settings": {"public_publications": 0}}, headers=service.ada
        )
        lenient_int = await client.post(
            AUTH + "/tokens", json={"name": "ci", "expires_in_days": "30"}, headers=service.ada
        )
        for answer, key in ((lenient_bool, "settings.public_publications"), (lenient_int, "expires_in_days")):
            assert answer.status_code == 422, answer.text
            assert [(e["field"], e["source"]) for e in answer.json()["errors"]] == [(key, "body")]
        after = (await client.get(f"/api/v1/projects/{project['id']}", headers=service.ada)).json()
        assert after["updated_at"] == project["updated_at"]  # nothing was written

    async def test_a_whole_number_written_with_a_fraction_is_an_integer_as_json_schema_has_it(
        self, service: Service
    ) -> None:
        client = service.api.client
        whole = await client.post(AUTH + "/tokens", json={"name": "w", "expires_in_days": 30.0}, headers=service.ada)
        assert whole.status_code == 201, whole.text
        assert whole.json()["expires_at"] is not None
        fraction = await client.post(AUTH + "/tokens", json={"name": "f", "expires_in_days": 1.5}, headers=service.ada)
        assert fraction.status_code == 422, fraction.text
        assert [e["field"] for e in fraction.json()["errors"]] == ["expires_in_days"]

    async def test_every_answer_says_nosniff_errors_refusals_while_routing_and_the_schema_too(
        self, service: Service
    ) -> None:
        client = service.api.client
        answers = [
            await client.get("/api/v1/tasks", headers=service.ada),
            await client.get("/api/v1/nowhere"),
            await client.put("/api/v1/tasks"),
            await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"}),
            await client.post(AUTH + "/login", content=DEEP, headers={"content-type": "application/json"}),
            await client.get("/schema/openapi.json"),
            await client.get("/schema"),
            await client.get("/health/live"),
        ]
        assert [a.status_code for a in answers] == [200, 404, 405, 401, 422, 200, 200, 200]
        for answer in answers:
            assert answer.headers.get("x-content-type-options") == "nosniff", (answer.url, dict(answer.headers))
            assert "server" not in answer.headers

    async def test_answers_holding_a_secret_are_not_to_be_stored(self, service: Service) -> None:
        api = service.api
        headers = await service.headers("grace@example.com")
        login = await api.client.post(AUTH + "/login", json={"email": "grace@example.com", "password": PASSWORD})
        refreshed = await api.client.post(AUTH + "/refresh", json={"refresh_token": login.json()["refresh_token"]})
        token = await api.client.post(AUTH + "/tokens", json={"name": "ci", "expires_in_days": 1}, headers=headers)
        export = await api.client.get(AUTH + "/me/export", headers=headers)
        for answer in (login, refreshed, token, export):
            assert answer.status_code in (200, 201), answer.text
            assert answer.headers.get("cache-control") == "no-store", (answer.url, dict(answer.headers))
        tasks = await api.client.get("/api/v1/tasks", headers=headers)
        assert "no-store" not in tasks.headers.get("cache-control", "")

    async def test_logging_out_with_an_api_token_is_a_403_saying_how_to_revoke_it(self, service: Service) -> None:
        api = service.api
        token = await service.api_token(await service.headers("linus@example.com"))
        robot = {"Authorization": f"Bearer {token['token']}"}
        problem = await api.call("post", AUTH + "/logout", expect=400, headers=robot)
        assert problem["type"] == "/problems/not-a-session"
        assert "DELETE /api/v1/auth/tokens/{id}" in problem["detail"]
        await api.call("get", AUTH + "/me", expect=200, headers=robot)  # the token still works
        await api.call("delete", AUTH + "/tokens/{token_id}", token_id=token["id"], expect=204, headers=robot)
        await api.call("get", AUTH + "/me", expect=401, headers=robot)

    async def test_readiness_details_are_for_admins_and_everyone_else_gets_the_status(self, service: Service) -> None:
        api = service.api
        anonymous = await api.call("get", "/health/ready", expect=200)
        member = await api.call("get", "/health/ready", expect=200, headers=service.ada)
        root = await service.headers("root@example.com", admin=True)
        admin = await api.call("get", "/health/ready", expect=200, headers=root)
        assert anonymous == member == {"status": "ready"}
        refused = await api.call("get", "/health/ready", expect=401, headers={"Authorization": "Bearer forged"})
        assert "checks" not in refused
        assert admin["status"] == "ready"
        assert set(admin["checks"]) == {"database", "broker"} and admin["checks"]["database"]["ok"] is True

    async def test_the_running_service_keeps_its_signing_key_sealed_and_its_files_owner_only(
        self, service: Service
    ) -> None:
        with sqlite3.connect(service.database) as db:
            [(stored,)] = db.execute("SELECT private_key FROM signing_keys").fetchall()
        assert stored.startswith("aesgcm1:") and "PRIVATE KEY" not in stored
        secret = service.database.parent / "agentry-secret.key"
        assert (stat.S_IMODE(secret.stat().st_mode), stat.S_IMODE(service.database.stat().st_mode)) == (0o600, 0o600)
