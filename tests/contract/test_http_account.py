"""Self-service account endpoints over HTTP (personal API tokens, profile, password, export), every answer
checked against the OpenAPI document."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import msgspec
import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from agentry.entrypoints.http.export.schemas import EXPORT_FORMAT_VERSION, AccountExportBody
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import PASSWORD, TASK, TASKS, Api, bearer, new_task, sign_up

AUTH = "/api/v1/auth"
ME = AUTH + "/me"
CHAT = "/api/v1/agent/chat"
TOKENS = AUTH + "/tokens"
TOKEN = TOKENS + "/{token_id}"
NEW_PASSWORD = "quartz meadow lantern"
SCRIPT = [{"say": "Reading. "}, {"tool": "Read", "input": {"path": "a.py"}, "output": "x = 1"}, {"say": "Done."}]


class User:
    def __init__(self, email: str, pair: dict[str, Any], me: dict[str, Any]) -> None:
        self.email = email
        self.pair = pair
        self.headers = bearer(pair)
        self.id = me["id"]


class Service:
    def __init__(self, api: Api) -> None:
        self.api = api

    async def user(self, email: str, name: str = "User") -> User:
        pair = await sign_up(self.api.client, email, name)
        me = await self.api.call("get", ME, expect=200, headers=bearer(pair))
        return User(email, pair, me)

    async def login(self, email: str, password: str = PASSWORD, expect: int = 200) -> dict[str, Any]:
        pair: dict[str, Any] = await self.api.call(
            "post", AUTH + "/login", expect=expect, json={"email": email, "password": password}
        )
        return pair

    async def token(self, user: User, name: str = "ci", days: int = 30) -> dict[str, Any]:
        body = {"name": name, "expires_in_days": days}
        created: dict[str, Any] = await self.api.call("post", TOKENS, expect=201, json=body, headers=user.headers)
        return created


def as_token(created: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {created['token']}"}


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    app = build_embedded_api(tmp_path_factory.mktemp("account"))
    async with AsyncTestClient(app) as client:
        document = (await client.get("/schema/openapi.json")).json()
        yield Service(Api(client, OpenApiContract(document)))


@pytest.mark.asyncio(loop_scope="class")
class TestApiTokens:
    async def test_a_token_acts_as_its_user_until_revoked(self, service: Service) -> None:
        api = service.api
        ada = await service.user("ada@tokens.example", "Ada")
        created = await service.token(ada, "deploys", days=7)
        assert created["token"].startswith("agt_") and created["token"].startswith(created["prefix"])
        assert set(created) == {"id", "name", "prefix", "created_at", "expires_at", "token"}
        task = await api.call("post", TASKS, expect=201, json=new_task(), headers=as_token(created))
        assert task["owner_id"] == ada.id
        await api.call("get", TASKS, expect=200, headers=as_token(created))
        await api.call("get", TASK, task_id=task["id"], expect=200, headers=ada.headers)

        await api.call("delete", TOKEN, token_id=created["id"], expect=204, headers=ada.headers)
        problem = await api.call("get", TASKS, expect=401, headers=as_token(created))
        assert "revoked" in problem["detail"]
        await api.call("delete", TOKEN, token_id=created["id"], expect=204, headers=ada.headers)

    async def test_the_list_shows_state_but_never_the_secret(self, service: Service) -> None:
        api = service.api
        grace = await service.user("grace@tokens.example", "Grace")
        revoked, live = await service.token(grace, "old"), await service.token(grace, "new")
        await api.call("delete", TOKEN, token_id=revoked["id"], expect=204, headers=grace.headers)
        response = await api.client.get(TOKENS, headers=grace.headers)
        listed = api.contract.check("get", TOKENS, response)
        assert revoked["token"] not in response.text and live["token"] not in response.text
        assert [(t["id"], t["usable"], t["revoked_at"] is None) for t in listed["items"]] == [
            (revoked["id"], False, False),
            (live["id"], True, True),
        ]
        assert listed["next_after"] is None
        first = await api.call("get", TOKENS, expect=200, params={"limit": 1}, headers=grace.headers)
        rest = await api.call("get", TOKENS, expect=200, params={"after": first["next_after"]}, headers=as_token(live))
        assert [t["id"] for t in first["items"] + rest["items"]] == [revoked["id"], live["id"]]
        await api.call("get", TOKENS, expect=400, params={"limit": 0}, headers=grace.headers)

    async def test_a_token_cannot_create_another_but_may_revoke_itself(self, service: Service) -> None:
        api = service.api
        hopper = await service.user("hopper@tokens.example", "Hopper")
        created = await service.token(hopper)
        body = {"name": "sneaky", "expires_in_days": 366}
        problem = await api.call("post", TOKENS, expect=403, json=body, headers=as_token(created))
        assert problem["type"].endswith("forbidden")
        assert "needs a login session" in problem["detail"]
        await api.call("delete", TOKEN, token_id=created["id"], expect=204, headers=as_token(created))
        await api.call("get", TOKENS, expect=401, headers=as_token(created))

    async def test_someone_elses_token_is_a_404_and_keeps_working(self, service: Service) -> None:
        api = service.api
        owner, other = await service.user("owner@tokens.example"), await service.user("other@tokens.example")
        created = await service.token(owner)
        await api.call("delete", TOKEN, token_id=created["id"], expect=404, headers=other.headers)
        await api.call("delete", TOKEN, token_id=str(UUID(int=0xBAD)), expect=404, headers=owner.headers)
        await api.call("get", TASKS, expect=200, headers=as_token(created))

    async def test_usable_tokens_are_capped_with_a_409(self, service: Service) -> None:
        api = service.api
        busy = await service.user("busy@tokens.example")
        tokens = [await service.token(busy, f"t{n}") for n in range(50)]
        problem = await api.call(
            "post", TOKENS, expect=409, json={"name": "one more", "expires_in_days": 1}, headers=busy.headers
        )
        assert problem["type"].endswith("too-many-api-tokens") and "revoke one" in problem["detail"]
        await api.call("delete", TOKEN, token_id=tokens[0]["id"], expect=204, headers=busy.headers)
        await service.token(busy, "one more")

    @pytest.mark.parametrize(
        "body",
        [
            {"name": "", "expires_in_days": 30},
            {"name": "   ", "expires_in_days": 30},
            {"name": "x" * 101, "expires_in_days": 30},
            {"name": "nul\x00", "expires_in_days": 30},
            {"name": "ci", "expires_in_days": 0},
            {"name": "ci", "expires_in_days": 367},
            {"name": "ci"},
            {"name": "ci", "expires_in_days": 30, "scopes": ["all"]},
        ],
    )
    async def test_a_bad_token_request_is_a_422_problem(self, service: Service, body: dict[str, Any]) -> None:
        user = await service.user(f"bad-{len(str(body))}-{sum(map(ord, str(body)))}@tokens.example")
        await service.api.call("post", TOKENS, expect=422, json=body, headers=user.headers)


@pytest.mark.asyncio(loop_scope="class")
class TestProfileAndPassword:
    async def test_get_and_patch_me_live_on_one_path(self, service: Service) -> None:
        api = service.api
        user = await service.user("lovelace@profile.example", "Ada")
        updated = await api.call(
            "patch", ME, expect=200, json={"display_name": " Countess  Ada "}, headers=user.headers
        )
        assert updated["display_name"] == "Countess Ada"
        me = await api.call("get", ME, expect=200, headers=user.headers)
        assert (me["display_name"], me["updated_at"]) == ("Countess Ada", updated["updated_at"])

    async def test_the_email_changes_only_with_the_current_password(self, service: Service) -> None:
        api = service.api
        user = await service.user("babbage@profile.example")
        await service.user("taken@profile.example")
        change = {"email": "charles@profile.example"}
        problem = await api.call("patch", ME, expect=422, json=change, headers=user.headers)
        assert [e["field"] for e in problem["errors"]] == ["current_password"]
        problem = await api.call(
            "patch", ME, expect=403, json={**change, "current_password": "wrong password!"}, headers=user.headers
        )
        assert problem["type"].endswith("wrong-password") and problem["detail"] == "the current password is wrong"
        problem = await api.call(
            "patch",
            ME,
            expect=409,
            json={"email": "TAKEN@profile.example", "current_password": PASSWORD},
            headers=user.headers,
        )
        assert problem["type"].endswith("email-taken")
        updated = await api.call(
            "patch", ME, expect=200, json={**change, "current_password": PASSWORD}, headers=user.headers
        )
        assert updated["email"] == "charles@profile.example"
        await service.login("charles@profile.example")
        await service.login("babbage@profile.example", expect=401)

    async def test_through_an_api_token_the_display_name_changes_but_not_the_email(self, service: Service) -> None:
        api = service.api
        user = await service.user("robot@profile.example")
        robot = as_token(await service.token(user))
        await api.call("patch", ME, expect=200, json={"display_name": "Robot"}, headers=robot)
        change = {"email": "elsewhere@profile.example", "current_password": PASSWORD}
        await api.call("patch", ME, expect=403, json=change, headers=robot)
        await api.call(
            "post",
            ME + "/password",
            expect=403,
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=robot,
        )

    @pytest.mark.parametrize(
        "body",
        [{"display_name": ""}, {"display_name": "nul\x00"}, {"email": "nowhere"}, {"role": "admin"}, {"active": False}],
    )
    async def test_a_bad_profile_change_is_a_422_problem(self, service: Service, body: dict[str, Any]) -> None:
        user = await service.user(f"bad-{sum(map(ord, str(body)))}@profile.example")
        await service.api.call(
            "patch", ME, expect=422, json={**body, "current_password": PASSWORD}, headers=user.headers
        )
        assert (await service.api.call("get", ME, expect=200, headers=user.headers))["role"] == "user"

    async def test_a_password_change_ends_the_other_sessions_and_keeps_this_one_and_the_tokens(
        self, service: Service
    ) -> None:
        api = service.api
        user = await service.user("turing@password.example")
        other = await service.login(user.email)
        token = as_token(await service.token(user))
        body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        await api.call("post", ME + "/password", expect=204, json=body, headers=user.headers)
        await api.call("get", ME, expect=200, headers=user.headers)
        await api.call("get", ME, expect=401, headers=bearer(other))
        await api.call("post", AUTH + "/refresh", expect=401, json={"refresh_token": other["refresh_token"]})
        await api.call("post", AUTH + "/refresh", expect=200, json={"refresh_token": user.pair["refresh_token"]})
        await api.call("get", TASKS, expect=200, headers=token)
        await service.login(user.email, expect=401)
        await service.login(user.email, NEW_PASSWORD)

    async def test_a_wrong_current_password_is_a_403_not_a_401(self, service: Service) -> None:
        api = service.api
        user = await service.user("wrong@password.example")
        body = {"current_password": "not my password", "new_password": NEW_PASSWORD}
        problem = await api.call("post", ME + "/password", expect=403, json=body, headers=user.headers)
        assert problem["detail"] == "the current password is wrong"
        await service.login(user.email)

    @pytest.mark.parametrize(
        "body",
        [
            {"current_password": PASSWORD, "new_password": "short"},
            {"current_password": PASSWORD, "new_password": "password1234"},
            {"current_password": PASSWORD, "new_password": PASSWORD},
        ],
    )
    async def test_a_new_password_breaking_the_rules_is_a_422_naming_it(
        self, service: Service, body: dict[str, Any]
    ) -> None:
        user = await service.user(f"weak-{len(body['new_password'])}-{body['new_password'][:3]}@password.example")
        problem = await service.api.call("post", ME + "/password", expect=422, json=body, headers=user.headers)
        assert [e["field"] for e in problem["errors"]] == ["new_password"]
        await service.login(user.email)


@pytest.mark.asyncio(loop_scope="class")
class TestExport:
    async def test_the_export_holds_everything_about_the_caller_and_no_secret(self, service: Service) -> None:
        api = service.api
        user = await service.user("curie@export.example", "Marie")
        await service.login(user.email)
        created = await service.token(user, "lab")
        task = await api.call(
            "post", TASKS, expect=201, json=new_task(options={"script": SCRIPT}), headers=user.headers
        )
        someone = await service.user("someone@export.example")
        theirs = await api.call("get", "/api/v1/projects", expect=200, headers=someone.headers)
        invite = {"email": user.email, "role": "viewer"}
        await api.call(
            "post",
            "/api/v1/projects/{project_id}/invitations",
            project_id=theirs["items"][0]["id"],
            expect=202,
            json=invite,
            headers=someone.headers,
        )

        finished = await self._finished(api, task["id"], user.headers)
        assert finished["status"] == "succeeded"
        chat = await api.call("post", CHAT, expect=202, json={"message": "Hello?"}, headers=user.headers)
        await self._idle(api, chat["session_id"], user.headers)
        upload = {"title": "Radium", "text": "Marie Curie found radium."}
        document = await api.call("post", "/api/v1/documents", expect=202, json=upload, headers=user.headers)
        project = {"project_id": document["document"]["project_id"], "headers": user.headers}
        entity = await api.call(
            "post", "/api/v1/projects/{project_id}/entities", expect=201, json={"name": "Radium", "type": "element"},
            **project,
        )  # fmt: skip
        publication = await api.call(
            "post", "/api/v1/projects/{project_id}/publications", expect=201, json={"title": "On radium", "body": "#"},
            **project,
        )  # fmt: skip
        response = await api.client.get(ME + "/export", headers=user.headers)
        export = api.contract.check("get", ME + "/export", response)
        assert response.status_code == 200
        assert response.headers["content-disposition"] == 'attachment; filename="agentry-export.json"'
        msgspec.json.decode(response.content, type=AccountExportBody)  # exactly the documented shape, strictly
        assert export["format_version"] == EXPORT_FORMAT_VERSION
        assert (export["account"]["id"], export["account"]["email"]) == (user.id, user.email)
        assert [(m["personal"], m["role"]) for m in export["memberships"]] == [(True, "owner")]
        assert [(i["project_id"], i["role"]) for i in export["invitations"]] == [(theirs["items"][0]["id"], "viewer")]
        assert [s["current"] for s in export["login_sessions"]] == [True, False]
        assert [t["id"] for t in export["api_tokens"]] == [created["id"]]
        [exported, chat_task] = export["tasks"]
        [chat_session] = export["chat_sessions"]
        assert (chat_session["session"]["id"], chat_session["session"]["title"]) == (chat["session_id"], "Hello?")
        [turn] = chat_session["turns"]
        assert (turn["id"], turn["message"], turn["status"]) == (chat["turn_id"], "Hello?", "completed")
        assert turn["task_id"] == chat["task_id"] == chat_task["task"]["id"]
        assert exported["task"]["id"] == task["id"] and exported["result"]["task_id"] == task["id"]
        [execution] = exported["executions"]
        assert execution["execution"]["status"] == "succeeded"
        log = await api.call("get", TASK + "/logs", task_id=task["id"], expect=200, headers=user.headers)
        assert execution["log"] == log["items"]
        [exported_document] = export["documents"]
        assert (exported_document["document"]["id"], exported_document["document"]["submitted_by"]) == (
            document["document"]["id"],
            user.id,
        )
        [exported_publication] = export["publications"]
        assert (exported_publication["id"], exported_publication["history"][0]["by"]) == (publication["id"], user.id)
        [edit] = export["knowledge_edits"]
        assert (edit["fact"], edit["fact_id"], edit["action"], edit["changes"]["name"]) == (
            "entity",
            entity["id"],
            "created",
            "Radium",
        )
        for secret in (created["token"], "argon2", "password_hash", "token_hash", user.pair["refresh_token"]):
            assert secret not in response.text

    async def test_the_export_works_through_an_api_token_and_needs_a_credential(self, service: Service) -> None:
        api = service.api
        user = await service.user("token@export.example")
        export = await api.call("get", ME + "/export", expect=200, headers=as_token(await service.token(user)))
        assert [s["current"] for s in export["login_sessions"]] == [False] and export["tasks"] == []
        await api.call("get", ME + "/export", expect=401)

    @staticmethod
    async def _idle(api: Api, session_id: str, headers: dict[str, str]) -> None:
        """Until the chat session's agent has answered (its turn ended)."""
        until = time.monotonic() + 15
        while time.monotonic() < until:
            page = await api.call("get", CHAT + "/sessions", expect=200, headers=headers)
            if [s["answering"] for s in page["items"] if s["id"] == session_id] == [False]:
                return
            await asyncio.sleep(0.05)
        pytest.fail(f"chat session {session_id} is still answering")

    @staticmethod
    async def _finished(api: Api, task_id: str, headers: dict[str, str]) -> dict[str, Any]:
        until = time.monotonic() + 15
        while time.monotonic() < until:
            task: dict[str, Any] = await api.call("get", TASK, task_id=task_id, expect=200, headers=headers)
            if task["status"] in {"succeeded", "failed", "timed_out", "cancelled"}:
                return task
            await asyncio.sleep(0.05)
        pytest.fail(f"task {task_id} did not finish")
