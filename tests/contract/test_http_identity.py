"""Accounts, sessions, projects and members over HTTP, every answer checked against the OpenAPI document;
and the token attacks, each of which must be a 401 problem document."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from cryptography.hazmat.primitives import serialization
from litestar.testing import AsyncTestClient

from agentry.entrypoints.secret_key import load_sealer
from tests.contract.http_app import OpenApiContract, build_embedded_api, embedded_settings
from tests.contract.http_client import PASSWORD, TASK, TASKS, Api, bearer, new_task, sign_up

AUTH = "/api/v1/auth"
PROJECTS = "/api/v1/projects"
PROJECT = "/api/v1/projects/{project_id}"
MEMBERS = PROJECT + "/members"
MEMBER = MEMBERS + "/{user_id}"
INVITE = PROJECT + "/invitations"
INVITED = INVITE + "/{invitation_id}"
INVITATIONS = "/api/v1/invitations"
ACCEPT = INVITATIONS + "/{invitation_id}/accept"
DECLINE = INVITATIONS + "/{invitation_id}/decline"


class Service:
    def __init__(self, api: Api, database: Path) -> None:
        self.api = api
        self.database = database

    async def user(self, email: str, name: str = "User") -> dict[str, Any]:
        pair = await sign_up(self.api.client, email, name)
        me = await self.api.call("get", AUTH + "/me", expect=200, headers=bearer(pair))
        return {"pair": pair, "headers": bearer(pair), "id": me["id"], "email": email}

    async def invite(self, by: dict[str, Any], project_id: str, email: str, role: str, expect: int = 202) -> Any:
        body = {"email": email, "role": role}
        return await self.api.call(
            "post", INVITE, project_id=project_id, expect=expect, json=body, headers=by["headers"]
        )

    async def join(self, by: dict[str, Any], project_id: str, user: dict[str, Any], role: str) -> None:
        """`by` invites `user` at `role`; `user` finds the invitation among theirs and accepts it."""
        sent = await self.invite(by, project_id, user["email"], role)
        mine = await self.api.call("get", INVITATIONS, expect=200, headers=user["headers"])
        assert [(i["id"], i["project_id"], i["role"]) for i in mine] == [(sent["id"], project_id, role)]
        joined = await self.api.call("post", ACCEPT, invitation_id=sent["id"], expect=200, headers=user["headers"])
        assert (joined["project_id"], joined["role"]) == (project_id, role)

    def public_key_pem(self) -> bytes:
        """The verifying key, opened with the operator's secret (the embedded service made it next to the database)."""
        with sqlite3.connect(self.database) as db:
            (kid, sealed) = db.execute("SELECT kid, private_key FROM signing_keys").fetchone()
        pem = load_sealer(embedded_settings(self.database.parent)).opened(kid, sealed)
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        return key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    directory = tmp_path_factory.mktemp("identity")
    app = build_embedded_api(directory)
    async with AsyncTestClient(app) as client:
        document = (await client.get("/schema/openapi.json")).json()
        yield Service(Api(client, OpenApiContract(document)), directory / "api.db")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def _token(header: dict[str, Any], payload: dict[str, Any], signature: str) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}.{signature}"


@pytest.mark.asyncio(loop_scope="class")
class TestAccountsAndSessions:
    async def test_register_login_me_and_the_personal_project(self, service: Service) -> None:
        api = service.api
        user = await service.user("grace@example.com", "Grace")
        me = await api.call("get", AUTH + "/me", expect=200, headers=user["headers"])
        assert (me["email"], me["display_name"], me["role"], me["active"]) == (
            "grace@example.com",
            "Grace",
            "user",
            True,
        )
        projects = await api.call("get", PROJECTS, expect=200, headers=user["headers"])
        assert [(p["personal"], p["your_role"]) for p in projects["items"]] == [(True, "owner")]
        task = await api.call("post", TASKS, expect=201, json=new_task(), headers=user["headers"])
        assert task["project_id"] == projects["items"][0]["id"]

    async def test_registration_refuses_a_taken_email_a_weak_password_and_unknown_fields(
        self, service: Service
    ) -> None:
        api = service.api
        await service.user("taken@example.com")
        body = {"email": "TAKEN@example.com ", "password": PASSWORD, "display_name": "Again"}
        problem = await api.call("post", AUTH + "/register", expect=409, json=body)
        assert problem["type"].endswith("email-taken")
        weak = {"email": "weak@example.com", "password": "password1234", "display_name": "Weak"}
        problem = await api.call("post", AUTH + "/register", expect=422, json=weak)
        assert "password" in problem["detail"]
        short = {**weak, "password": "short"}
        await api.call("post", AUTH + "/register", expect=422, json=short)
        await api.call("post", AUTH + "/register", expect=422, json={**weak, "password": PASSWORD, "admin": True})
        for field, value in (("display_name", "Nul\x00Name"), ("email", "nul\x00@example.com")):
            problem = await api.call("post", AUTH + "/register", expect=422, json={**body, field: value})
            assert field in problem["detail"], "NUL never reaches the database (PostgreSQL cannot store it)"

    async def test_a_look_alike_email_or_display_name_cannot_make_a_second_account(self, service: Service) -> None:
        api = service.api
        await service.user("lookalike@example.com", "Looks")
        body = {"password": PASSWORD, "display_name": "Again"}
        problem = await api.call(
            "post", AUTH + "/register", expect=409, json={**body, "email": "LookAlike@Example.COM"}
        )
        assert problem["type"].endswith("email-taken")
        # An address is ASCII (the document's pattern for it): full-width, invisible, bidirectional-control
        # and look-alike characters are refused before anything compares them (the domain refuses them too).
        for deceptive in (
            "ｌｏｏｋａｌｉｋｅ@example.com",
            "look\u200balike@example.com",
            "lookalike@example.com\u202e",
            "lооkalike@example.com",  # two Cyrillic о
        ):
            problem = await api.call("post", AUTH + "/register", expect=422, json={**body, "email": deceptive})
            assert [e["field"] for e in problem["errors"]] == ["email"], deceptive
        fresh = {**body, "email": "fresh-lookalike@example.com"}
        for name in ("Lo\u200dok", "Аda Lovelace", "Ada\u2067"):
            problem = await api.call("post", AUTH + "/register", expect=422, json={**fresh, "display_name": name})
            assert "display_name" in problem["detail"], name
        login = {"email": " LOOKALIKE@example.com", "password": PASSWORD}
        await api.call("post", AUTH + "/login", expect=200, json=login)
        await api.call("post", AUTH + "/login", expect=401, json={**login, "email": "look\u200balike@example.com"})

    async def test_a_plain_user_cannot_register_an_admin(self, service: Service) -> None:
        user = await service.user("climber@example.com")
        body = {"email": "boss@example.com", "password": PASSWORD, "display_name": "Boss", "role": "admin"}
        await service.api.call("post", AUTH + "/register", expect=403, json=body, headers=user["headers"])

    async def test_a_wrong_password_and_an_unknown_email_get_the_same_401(self, service: Service) -> None:
        api = service.api
        await service.user("known@example.com")
        wrong = await api.call(
            "post", AUTH + "/login", expect=401, json={"email": "known@example.com", "password": "x" * 12}
        )
        unknown = await api.call(
            "post", AUTH + "/login", expect=401, json={"email": "nobody@example.com", "password": PASSWORD}
        )
        assert wrong["detail"] == unknown["detail"]

    async def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(self, service: Service) -> None:
        api = service.api
        user = await service.user("rotator@example.com")
        first = user["pair"]["refresh_token"]
        second = await api.call("post", AUTH + "/refresh", expect=200, json={"refresh_token": first})
        assert second["refresh_token"] != first
        await api.call("get", AUTH + "/me", expect=200, headers=bearer(second))
        reuse = await api.call("post", AUTH + "/refresh", expect=401, json={"refresh_token": first})
        assert "already used" in reuse["detail"]
        # the whole family is revoked: the newer refresh token and the session's access tokens too
        await api.call("post", AUTH + "/refresh", expect=401, json={"refresh_token": second["refresh_token"]})
        await api.call("get", AUTH + "/me", expect=401, headers=bearer(second))

    async def test_logout_stops_the_access_and_refresh_tokens_at_once(self, service: Service) -> None:
        api = service.api
        user = await service.user("leaver@example.com")
        await api.call("post", AUTH + "/logout", expect=204, headers=user["headers"])
        await api.call("get", AUTH + "/me", expect=401, headers=user["headers"])
        await api.call("post", AUTH + "/refresh", expect=401, json={"refresh_token": user["pair"]["refresh_token"]})

    async def test_every_task_and_project_route_needs_a_token(self, service: Service) -> None:
        api = service.api
        for method, path in [("get", TASKS), ("post", TASKS), ("get", PROJECTS), ("get", AUTH + "/me")]:
            response = await api.client.request(method.upper(), path, json=new_task() if method == "post" else None)
            api.contract.check(method, path, response)
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert (await api.client.get("/health/live")).status_code == 200
        assert (await api.client.get("/schema/openapi.json")).status_code == 200


@pytest.mark.asyncio(loop_scope="class")
class TestTokenAttacks:
    """Each forged or stale credential is a 401 problem document, never a 500 and never accepted."""

    async def _refused(self, service: Service, token: str) -> dict[str, Any]:
        problem: dict[str, Any] = await service.api.call(
            "get", AUTH + "/me", expect=401, headers={"Authorization": f"Bearer {token}"}
        )
        assert problem["type"].endswith("unauthenticated")
        return problem

    async def test_alg_none_is_refused(self, service: Service) -> None:
        user = await service.user("none@example.com")
        header, payload, _ = _parts(user["pair"]["access_token"])
        await self._refused(service, _token({**header, "alg": "none"}, payload, ""))

    async def test_hs256_signed_with_the_public_key_is_refused(self, service: Service) -> None:
        user = await service.user("confused@example.com")
        header, payload, _ = _parts(user["pair"]["access_token"])
        forged_header = {**header, "alg": "HS256"}
        signing_input = f"{_b64(json.dumps(forged_header).encode())}.{_b64(json.dumps(payload).encode())}"
        mac = hmac.new(service.public_key_pem(), signing_input.encode(), hashlib.sha256).digest()
        await self._refused(service, f"{signing_input}.{_b64(mac)}")

    @pytest.mark.parametrize(
        ("claim", "value"),
        [
            ("exp", 1_000_000_000),
            ("nbf", 4_000_000_000),
            ("iss", "someone-else"),
            ("aud", "another-api"),
            ("sub", "00000000-0000-0000-0000-000000000bad"),
        ],
    )
    async def test_a_tampered_or_expired_payload_is_refused(self, service: Service, claim: str, value: Any) -> None:
        user = await service.user(f"tamper-{claim}@example.com")
        header, payload, signature = _parts(user["pair"]["access_token"])
        await self._refused(service, _token(header, {**payload, claim: value}, signature))

    async def test_an_unknown_kid_is_refused(self, service: Service) -> None:
        user = await service.user("kid@example.com")
        header, payload, signature = _parts(user["pair"]["access_token"])
        await self._refused(service, _token({**header, "kid": "not-a-key"}, payload, signature))

    async def test_garbage_and_a_malformed_header_are_refused(self, service: Service) -> None:
        await self._refused(service, "not.a.token")
        response = await service.api.client.get(AUTH + "/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert response.status_code == 401

    async def test_a_reused_refresh_token_revokes_its_family(self, service: Service) -> None:
        api = service.api
        user = await service.user("family@example.com")
        first = user["pair"]["refresh_token"]
        newer = await api.call("post", AUTH + "/refresh", expect=200, json={"refresh_token": first})
        await api.call("post", AUTH + "/refresh", expect=401, json={"refresh_token": first})
        await api.call("post", AUTH + "/refresh", expect=401, json={"refresh_token": newer["refresh_token"]})


@pytest.mark.asyncio(loop_scope="class")
class TestProjectsAndMembers:
    async def test_the_team_flow_with_roles(self, service: Service) -> None:
        api = service.api
        owner, member, viewer, outsider = [
            await service.user(f"{n}@team.example", n) for n in ("owner", "member", "viewer", "outsider")
        ]
        project = await api.call(
            "post", PROJECTS, expect=201, json={"name": "Team", "slug": "team"}, headers=owner["headers"]
        )
        assert project["your_role"] == "owner"
        pid = project["id"]
        await service.join(owner, pid, member, "member")
        await service.join(owner, pid, viewer, "viewer")
        await service.invite(owner, pid, viewer["email"], "member", expect=409)  # a member already

        task = await api.call("post", TASKS, expect=201, json=new_task(project_id=pid), headers=member["headers"])
        seen = await api.call("get", TASK, task_id=task["id"], expect=200, headers=viewer["headers"])
        assert seen["project_id"] == pid
        await api.call("post", TASKS, expect=403, json=new_task(project_id=pid), headers=viewer["headers"])
        await api.call("post", TASK + "/cancel", task_id=task["id"], expect=403, headers=viewer["headers"])
        await api.call("get", TASK, task_id=task["id"], expect=404, headers=outsider["headers"])
        await api.call("get", PROJECT, project_id=pid, expect=404, headers=outsider["headers"])
        await api.call("post", TASKS, expect=404, json=new_task(project_id=pid), headers=outsider["headers"])
        listed = await api.call("get", TASKS, expect=200, params={"project_id": pid}, headers=outsider["headers"])
        assert listed["items"] == []
        members = await api.call("get", MEMBERS, project_id=pid, expect=200, headers=viewer["headers"])
        assert [(m["email"], m["role"]) for m in members] == [
            ("owner@team.example", "owner"),
            ("member@team.example", "member"),
            ("viewer@team.example", "viewer"),
        ]

        await api.call(
            "patch",
            MEMBER,
            project_id=pid,
            user_id=member["id"],
            expect=200,
            json={"role": "maintainer"},
            headers=owner["headers"],
        )
        # a maintainer manages members below owner, not owners
        await api.call(
            "patch",
            MEMBER,
            project_id=pid,
            user_id=viewer["id"],
            expect=200,
            json={"role": "member"},
            headers=member["headers"],
        )
        await api.call(
            "patch",
            MEMBER,
            project_id=pid,
            user_id=owner["id"],
            expect=403,
            json={"role": "member"},
            headers=member["headers"],
        )
        # the last owner can neither leave nor step down
        await api.call("delete", MEMBER, project_id=pid, user_id=owner["id"], expect=409, headers=owner["headers"])
        await api.call("delete", MEMBER, project_id=pid, user_id=viewer["id"], expect=204, headers=viewer["headers"])
        await api.call("get", TASK, task_id=task["id"], expect=404, headers=viewer["headers"])

        await api.call(
            "patch", PROJECT, project_id=pid, expect=403, json={"name": "Renamed"}, headers=member["headers"]
        )
        renamed = await api.call(
            "patch", PROJECT, project_id=pid, expect=200, json={"name": "Renamed"}, headers=owner["headers"]
        )
        assert renamed["name"] == "Renamed"
        await api.call("post", PROJECTS, expect=409, json={"name": "Again", "slug": "team"}, headers=owner["headers"])
        await api.call("delete", PROJECT, project_id=pid, expect=403, headers=member["headers"])

    async def test_project_settings_limit_the_runners_its_tasks_may_use(self, service: Service) -> None:
        api = service.api
        owner = await service.user("strict@team.example")
        settings = {"allowed_runners": [], "allowed_permission_modes": ["default"]}
        project = await api.call(
            "post",
            PROJECTS,
            expect=201,
            json={"name": "Strict", "slug": "strict", "settings": settings},
            headers=owner["headers"],
        )
        problem = await api.call(
            "post", TASKS, expect=422, json=new_task(project_id=project["id"]), headers=owner["headers"]
        )
        assert problem["errors"][0]["field"] == "options.runner"

    async def test_only_an_owner_changes_the_hosts_a_project_allows(self, service: Service) -> None:
        api = service.api
        owner = await service.user("hosts-owner@team.example")
        maintainer = await service.user("hosts-maintainer@team.example")
        project = await api.call(
            "post", PROJECTS, expect=201, json={"name": "Hosts", "slug": "hosts"}, headers=owner["headers"]
        )
        await service.join(owner, project["id"], maintainer, "maintainer")
        wider = {"settings": {"allowed_hosts": ["*.example.com"]}}
        await api.call(
            "patch", PROJECT, project_id=project["id"], expect=403, json=wider, headers=maintainer["headers"]
        )
        changed = await api.call(
            "patch", PROJECT, project_id=project["id"], expect=200, json=wider, headers=owner["headers"]
        )
        assert changed["settings"]["allowed_hosts"] == ["*.example.com"]

    async def test_a_personal_project_cannot_be_deleted(self, service: Service) -> None:
        api = service.api
        user = await service.user("keeper@example.com")
        personal = (await api.call("get", PROJECTS, expect=200, headers=user["headers"]))["items"][0]
        await api.call("delete", PROJECT, project_id=personal["id"], expect=409, headers=user["headers"])


@pytest.mark.asyncio(loop_scope="class")
class TestInvitationsAndOwnedSlugs:
    async def test_inviting_answers_the_same_whether_or_not_the_address_has_an_account(self, service: Service) -> None:
        api = service.api
        owner = await service.user("inviter@privacy.example")
        await service.user("exists@privacy.example")
        pid = (await api.call("post", PROJECTS, expect=201, json={"name": "P", "slug": "p"}, headers=owner["headers"]))[
            "id"
        ]
        answers = [
            await api.client.post(
                INVITE.format(project_id=pid), json={"email": email, "role": "member"}, headers=owner["headers"]
            )
            for email in ("exists@privacy.example", "nobody@privacy.example")
        ]
        assert [a.status_code for a in answers] == [202, 202]
        shapes = [
            {k: v for k, v in a.json().items() if k not in {"id", "email", "invited_at", "expires_at"}} for a in answers
        ]
        assert shapes[0] == shapes[1] == {"project_id": pid, "role": "member", "invited_by": owner["id"]}
        assert set(answers[0].headers) - {"x-correlation-id", "date"} == set(answers[1].headers) - {
            "x-correlation-id",
            "date",
        }
        assert answers[0].headers["content-length"] == answers[1].headers["content-length"]
        pending = await api.call("get", INVITE, project_id=pid, expect=200, headers=owner["headers"])
        assert sorted(i["email"] for i in pending) == ["exists@privacy.example", "nobody@privacy.example"]
        for bad, status in (("not-an-email", 422), ("pаypal@privacy.example", 422), ("x\u200b@privacy.example", 422)):
            problem = await service.invite(owner, pid, bad, "member", expect=status)
            assert [e["field"] for e in problem["errors"]] == ["email"], bad
        problem = await service.invite(owner, pid, "someone@privacy.example", "emperor", expect=422)
        assert "role" in str(problem)

    async def test_only_the_invitee_answers_and_only_then_is_a_member(self, service: Service) -> None:
        api = service.api
        owner, maintainer, guest, intruder = [
            await service.user(f"{n}@consent.example", n.title()) for n in ("owner", "maint", "guest", "intruder")
        ]
        pid = (await api.call("post", PROJECTS, expect=201, json={"name": "C", "slug": "c"}, headers=owner["headers"]))[
            "id"
        ]
        await service.join(owner, pid, maintainer, "maintainer")
        sent = await service.invite(maintainer, pid, " GUEST@Consent.example", "viewer")
        assert sent["email"] == "guest@consent.example"
        await service.invite(maintainer, pid, "other@consent.example", "owner", expect=403)  # below owner only
        await api.call("get", PROJECT, project_id=pid, expect=404, headers=guest["headers"])  # not a member yet
        for who in (intruder, owner):  # an invitation to someone else does not exist for you
            await api.call("post", ACCEPT, invitation_id=sent["id"], expect=404, headers=who["headers"])
            await api.call("post", DECLINE, invitation_id=sent["id"], expect=404, headers=who["headers"])
        assert await api.call("get", INVITATIONS, expect=200, headers=intruder["headers"]) == []
        await api.call("get", INVITE, project_id=pid, expect=404, headers=intruder["headers"])
        await api.call("post", DECLINE, invitation_id=sent["id"], expect=204, headers=guest["headers"])
        await api.call("post", ACCEPT, invitation_id=sent["id"], expect=404, headers=guest["headers"])
        await api.call("get", PROJECT, project_id=pid, expect=404, headers=guest["headers"])

        again = await service.invite(owner, pid, guest["email"], "viewer")
        await api.call(
            "delete", INVITED, project_id=pid, invitation_id=again["id"], expect=204, headers=owner["headers"]
        )
        await api.call("post", ACCEPT, invitation_id=again["id"], expect=404, headers=guest["headers"])
        await service.join(owner, pid, guest, "viewer")
        await api.call("get", INVITE, project_id=pid, expect=403, headers=guest["headers"])  # viewers do not manage
        await api.call("get", PROJECT, project_id=pid, expect=200, headers=guest["headers"])
        assert await api.call("get", INVITE, project_id=pid, expect=200, headers=owner["headers"]) == []

    async def test_a_slug_is_unique_per_owner_so_a_clash_reveals_nobody_elses_project(self, service: Service) -> None:
        api = service.api
        ann, ben = await service.user("ann@slugs.example"), await service.user("ben@slugs.example")
        body = {"name": "Shared name", "slug": "same"}
        anns = await api.call("post", PROJECTS, expect=201, json=body, headers=ann["headers"])
        bens = await api.call("post", PROJECTS, expect=201, json=body, headers=ben["headers"])
        problem = await api.call("post", PROJECTS, expect=409, json=body, headers=ann["headers"])
        assert problem["type"].endswith("slug-taken")
        other = await api.call(
            "post", PROJECTS, expect=201, json={"name": "O", "slug": "other"}, headers=ben["headers"]
        )
        await api.call(
            "patch", PROJECT, project_id=other["id"], expect=409, json={"slug": "same"}, headers=ben["headers"]
        )
        await service.join(ann, anns["id"], ben, "viewer")
        first = await api.call("get", PROJECTS, expect=200, params={"limit": 2}, headers=ben["headers"])
        rest = await api.call(
            "get", PROJECTS, expect=200, params={"after": first["next_after"]}, headers=ben["headers"]
        )
        seen = [p["id"] for p in first["items"] + rest["items"]]
        assert sorted(seen) == sorted({*seen}) and {anns["id"], bens["id"], other["id"]} <= set(seen)
        await api.call("get", PROJECTS, expect=400, params={"after": "same"}, headers=ben["headers"])
