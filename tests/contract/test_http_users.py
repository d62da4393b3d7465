"""Accounts managed by admins (/api/v1/users) and deleted by their users (DELETE /api/v1/auth/me) over HTTP,
every answer checked against the OpenAPI document."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import PASSWORD, TASK, TASKS, Api, bearer, new_task, sign_up

AUTH = "/api/v1/auth"
ME = AUTH + "/me"
USERS = "/api/v1/users"
USER = USERS + "/{user_id}"
PROJECTS = "/api/v1/projects"
MEMBERS = PROJECTS + "/{project_id}/members"
INVITE = PROJECTS + "/{project_id}/invitations"
ACCEPT = "/api/v1/invitations/{invitation_id}/accept"
MEMBER = MEMBERS + "/{user_id}"
UNKNOWN = "00000000-0000-0000-0000-00000000beef"


class Account:
    def __init__(self, email: str, pair: dict[str, Any], me: dict[str, Any]) -> None:
        self.email = email
        self.headers = bearer(pair)
        self.id: str = me["id"]


class Service:
    def __init__(self, api: Api, database: Path) -> None:
        self.api = api
        self.database = database

    async def user(self, email: str, name: str = "User") -> Account:
        pair = await sign_up(self.api.client, email, name)
        return Account(email, pair, await self.api.call("get", ME, expect=200, headers=bearer(pair)))

    async def admin(self, email: str) -> Account:
        """A new account made admin in the database, as the first admin is made outside the API."""
        account = await self.user(email, "Admin")
        with sqlite3.connect(self.database) as db:
            db.execute("UPDATE users SET role = 'admin' WHERE email = ?", (email,))
        return account

    async def login(self, email: str, expect: int = 200) -> dict[str, Any]:
        body = {"email": email, "password": PASSWORD}
        pair: dict[str, Any] = await self.api.call("post", AUTH + "/login", expect=expect, json=body)
        return pair

    async def api_token(self, account: Account) -> dict[str, str]:
        body = {"name": "ci", "expires_in_days": 30}
        created = await self.api.call("post", AUTH + "/tokens", expect=201, json=body, headers=account.headers)
        return {"Authorization": f"Bearer {created['token']}"}

    async def wait_for(self, task_id: str, status: str, account: Account, deadline_s: float = 15.0) -> None:
        until = time.monotonic() + deadline_s
        while (await self.api.call("get", TASK, task_id=task_id, expect=200, headers=account.headers))[
            "status"
        ] != status:
            if time.monotonic() > until:
                pytest.fail(f"task {task_id} is not {status} after {deadline_s} s")
            await asyncio.sleep(0.05)

    async def project(self, owner: Account, slug: str, **members: tuple[Account, str]) -> str:
        body = {"name": slug.title(), "slug": slug}
        project_id: str = (await self.api.call("post", PROJECTS, expect=201, json=body, headers=owner.headers))["id"]
        for member, role in members.values():
            body = {"email": member.email, "role": role}
            sent = await self.api.call(
                "post", INVITE, project_id=project_id, expect=202, json=body, headers=owner.headers
            )
            await self.api.call("post", ACCEPT, invitation_id=sent["id"], expect=200, headers=member.headers)
        return project_id


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    """One embedded service for a test class, so each class knows every account in it."""
    directory = tmp_path_factory.mktemp("users")
    app = build_embedded_api(directory)
    async with AsyncTestClient(app) as client:
        document = (await client.get("/schema/openapi.json")).json()
        yield Service(Api(client, OpenApiContract(document)), directory / "api.db")


@pytest.mark.asyncio(loop_scope="class")
class TestListingAndReading:
    async def test_an_admin_pages_through_accounts_in_email_order_with_filters(self, service: Service) -> None:
        api = service.api
        admin = await service.admin("admin@example.com")
        for name in ("dora", "bea", "carl"):
            await service.user(f"{name}@example.com", name.title())
        first = await api.call("get", USERS, expect=200, params={"limit": 2}, headers=admin.headers)
        rest = await api.call("get", USERS, expect=200, params={"after": first["next_after"]}, headers=admin.headers)
        assert [u["email"] for u in first["items"] + rest["items"]] == [
            "admin@example.com",
            "bea@example.com",
            "carl@example.com",
            "dora@example.com",
        ]
        assert (first["next_after"], rest["next_after"]) == ("bea@example.com", None)
        admins = await api.call("get", USERS, expect=200, params={"role": "admin"}, headers=admin.headers)
        assert [u["email"] for u in admins["items"]] == ["admin@example.com"]
        inactive = await api.call("get", USERS, expect=200, params={"active": "false"}, headers=admin.headers)
        assert inactive["items"] == []

    async def test_an_admin_reads_an_account_with_its_memberships(self, service: Service) -> None:
        api = service.api
        admin = await service.admin("reader@example.com")
        owner, erin = await service.user("owner@example.com"), await service.user("erin@example.com")
        project_id = await service.project(owner, "tools", erin=(erin, "viewer"))
        detail = await api.call("get", USER, user_id=erin.id, expect=200, headers=admin.headers)
        assert (detail["email"], detail["role"], detail["active"]) == ("erin@example.com", "user", True)
        assert [(m["personal"], m["role"]) for m in detail["memberships"]] == [(True, "owner"), (False, "viewer")]
        assert (detail["memberships"][1]["project_id"], detail["memberships"][1]["slug"]) == (project_id, "tools")
        await api.call("get", USER, user_id=UNKNOWN, expect=404, headers=admin.headers)

    async def test_anyone_but_an_admin_gets_a_403_whether_the_account_exists_or_not(self, service: Service) -> None:
        api = service.api
        frank = await service.user("frank@example.com")
        for user_id in (frank.id, UNKNOWN):
            await api.call("get", USER, user_id=user_id, expect=403, headers=frank.headers)
            await api.call("patch", USER, user_id=user_id, expect=403, json={"role": "admin"}, headers=frank.headers)
            await api.call("delete", USER, user_id=user_id, expect=403, headers=frank.headers)
        problem = await api.call("get", USERS, expect=403, headers=frank.headers)
        assert problem["type"].endswith("forbidden")
        await api.call("get", USERS, expect=401)

    @pytest.mark.parametrize(
        "params", [{"limit": 0}, {"limit": 101}, {"role": "king"}, {"active": "maybe"}, {"after": "a\x00b"}]
    )
    async def test_a_bad_query_is_a_400_problem(self, service: Service, params: dict[str, Any]) -> None:
        admin = await service.admin(f"query-{len(str(params))}-{sum(map(ord, str(params)))}@example.com")
        expect = 422 if "after" in params else 400
        await service.api.call("get", USERS, expect=expect, params=params, headers=admin.headers)


@pytest.mark.asyncio(loop_scope="class")
class TestRolesAndDeactivation:
    async def test_deactivation_stops_the_access_and_api_tokens_at_once_and_reactivation_revives_neither(
        self, service: Service
    ) -> None:
        api = service.api
        admin = await service.admin("admin@example.com")
        gus = await service.user("gus@example.com")
        robot = await service.api_token(gus)
        await api.call("get", TASKS, expect=200, headers=robot)
        deactivated = await api.call(
            "patch", USER, user_id=gus.id, expect=200, json={"active": False}, headers=admin.headers
        )
        assert deactivated["active"] is False
        await api.call("get", ME, expect=401, headers=gus.headers)
        await api.call("get", TASKS, expect=401, headers=robot)
        await service.login(gus.email, expect=401)

        reactivated = await api.call(
            "patch", USER, user_id=gus.id, expect=200, json={"active": True}, headers=admin.headers
        )
        assert reactivated["active"] is True
        await api.call("get", ME, expect=401, headers=gus.headers)
        await api.call("get", TASKS, expect=401, headers=robot)
        await api.call("get", ME, expect=200, headers=bearer(await service.login(gus.email)))

    async def test_a_promoted_user_manages_users_at_once_and_the_last_admin_is_kept(self, service: Service) -> None:
        api = service.api
        admin = await service.admin("boss@example.com")
        hana = await service.user("hana@example.com")
        await api.call("get", USERS, expect=403, headers=hana.headers)
        promoted = await api.call(
            "patch", USER, user_id=hana.id, expect=200, json={"role": "admin"}, headers=admin.headers
        )
        assert promoted["role"] == "admin"
        await api.call("get", USERS, expect=200, headers=hana.headers)
        admins = await api.call("get", USERS, expect=200, params={"role": "admin"}, headers=hana.headers)
        for other in admins["items"]:
            if other["id"] != hana.id:
                change = {"role": "user"}
                await api.call("patch", USER, user_id=other["id"], expect=200, json=change, headers=hana.headers)
        for change in ({"role": "user"}, {"active": False}):
            problem = await api.call("patch", USER, user_id=hana.id, expect=409, json=change, headers=hana.headers)
            assert problem["type"].endswith("last-admin") and "last active admin" in problem["detail"]
        problem = await api.call("delete", ME, expect=409, json={"password": PASSWORD}, headers=hana.headers)
        assert problem["type"].endswith("last-admin")
        await api.call("get", USERS, expect=200, headers=hana.headers)

    @pytest.mark.parametrize(
        ("body", "expect"),
        [({"role": "king"}, 422), ({"active": "yes"}, 422), ({"email": "x@example.com"}, 422), (None, 400)],
    )
    async def test_a_bad_change_is_a_problem_and_an_unknown_account_a_404(
        self, service: Service, body: dict[str, Any] | None, expect: int
    ) -> None:
        api = service.api
        suffix = f"{expect}-{len(str(body))}"
        admin, ivan = (
            await service.admin(f"fixer-{suffix}@example.com"),
            await service.user(f"ivan-{suffix}@example.com"),
        )
        await api.call("patch", USER, user_id=ivan.id, expect=expect, json=body, headers=admin.headers)
        await api.call("patch", USER, user_id=UNKNOWN, expect=404, json={"active": False}, headers=admin.headers)


@pytest.mark.asyncio(loop_scope="class")
class TestDeletingAccounts:
    async def test_a_user_deletes_their_account_and_their_tasks_in_shared_projects_stay(self, service: Service) -> None:
        api = service.api
        admin = await service.admin("admin@example.com")
        jo, kim = await service.user("jo@example.com"), await service.user("kim@example.com")
        shared = await service.project(kim, "shared", jo=(jo, "member"))
        alone = await service.project(jo, "alone")
        stays = await api.call("post", TASKS, expect=201, json=new_task(project_id=shared), headers=jo.headers)
        goes = await api.call("post", TASKS, expect=201, json=new_task(), headers=jo.headers)
        for task in (stays, goes):  # a project with a task running could not go (another test shows it)
            await service.wait_for(task["id"], "succeeded", jo)
        await api.call("delete", ME, expect=204, json={"password": PASSWORD}, headers=jo.headers)

        await api.call("get", ME, expect=401, headers=jo.headers)
        await service.login(jo.email, expect=401)
        await api.call("get", USER, user_id=jo.id, expect=404, headers=admin.headers)
        kept = await api.call("get", TASK, task_id=stays["id"], expect=200, headers=kim.headers)
        assert kept["owner_id"] == jo.id
        await api.call("get", TASK, task_id=goes["id"], expect=404, headers=admin.headers)
        await api.call("get", PROJECTS + "/{project_id}", project_id=alone, expect=404, headers=admin.headers)

    async def test_a_wrong_or_missing_password_or_an_api_token_is_refused(self, service: Service) -> None:
        api = service.api
        lee = await service.user("lee@example.com")
        problem = await api.call("delete", ME, expect=403, json={"password": "not the password"}, headers=lee.headers)
        assert problem["type"].endswith("wrong-password")
        await api.call("delete", ME, expect=400, headers=lee.headers)
        await api.call("delete", ME, expect=422, json={"password": PASSWORD, "why": "bored"}, headers=lee.headers)
        problem = await api.call(
            "delete", ME, expect=403, json={"password": PASSWORD}, headers=await service.api_token(lee)
        )
        assert problem["type"].endswith("forbidden")
        await api.call("get", ME, expect=200, headers=lee.headers)

    async def test_the_only_owner_of_a_shared_project_others_are_in_must_hand_it_over(self, service: Service) -> None:
        api = service.api
        max_, ned = await service.user("max@example.com"), await service.user("ned@example.com")
        crew = await service.project(max_, "crew", ned=(ned, "member"))
        problem = await api.call("delete", ME, expect=409, json={"password": PASSWORD}, headers=max_.headers)
        assert problem["type"].endswith("sole-owner") and "crew" in problem["detail"] and crew in problem["detail"]
        change = {"role": "owner"}
        await api.call("patch", MEMBER, project_id=crew, user_id=ned.id, expect=200, json=change, headers=max_.headers)
        await api.call("delete", ME, expect=204, json={"password": PASSWORD}, headers=max_.headers)
        members = await api.call("get", MEMBERS, project_id=crew, expect=200, headers=ned.headers)
        assert [m["user_id"] for m in members] == [ned.id]

    async def test_an_admin_deletes_an_account_but_not_while_a_task_runs_in_a_project_that_would_go(
        self, service: Service
    ) -> None:
        api = service.api
        admin = await service.admin("remover@example.com")
        olga = await service.user("olga@example.com")
        task = await api.call(
            "post", TASKS, expect=201, json=new_task(options={"script": [{"sleep": 60}]}), headers=olga.headers
        )
        await service.wait_for(task["id"], "running", olga)
        problem = await api.call("delete", USER, user_id=olga.id, expect=409, headers=admin.headers)
        assert problem["type"].endswith("project-busy")
        await api.call("post", TASK + "/cancel", task_id=task["id"], expect=200, headers=olga.headers)
        await service.wait_for(task["id"], "cancelled", olga)
        await api.call("delete", USER, user_id=olga.id, expect=204, headers=admin.headers)
        await api.call("delete", USER, user_id=olga.id, expect=404, headers=admin.headers)
        await api.call("get", ME, expect=401, headers=olga.headers)

    async def test_an_admin_deletes_their_own_account_only_with_their_password(self, service: Service) -> None:
        api = service.api
        pat = await service.admin("pat@example.com")
        await service.admin("pat-deputy@example.com")
        problem = await api.call("delete", USER, user_id=pat.id, expect=403, headers=pat.headers)
        assert "password" in problem["detail"]
        await api.call("delete", ME, expect=204, json={"password": PASSWORD}, headers=pat.headers)
