"""A project's public chat on the embedded service: the visitor's cookie, its CSRF token, its limits
(429 with the RateLimit headers), what another visitor sees (nothing), and adoption by a user."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import pytest
import pytest_asyncio
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.sqlalchemy.chat.tables import chat_sessions, chat_turns, chat_visitors
from agentry.adapters.sqlalchemy.tasks.tables import task_executions, tasks
from agentry.application.chat.purge_visitors import PurgeExpiredVisitors
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from tests.app_loop import in_app
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up

PUBLIC = "/api/v1/public/projects/{project_id}/chat"
START = PUBLIC + "/session"
HISTORY = PUBLIC + "/history/{session_id}"
EVENTS = PUBLIC + "/{session_id}/events"
ADOPT = "/api/v1/agent/chat/adopt"
USER_HISTORY = "/api/v1/agent/chat/history/{session_id}"
USER_SESSION = "/api/v1/agent/chat/{session_id}"
USER_SEND = "/api/v1/agent/chat"
SESSIONS = "/api/v1/agent/chat/sessions"
PROJECTS = "/api/v1/projects"
T = TypeVar("T")
OPEN = {"messages_per_minute": 2, "messages_per_day": 3, "tokens_per_session": 100_000, "daily_cost_usd": 10.0}


class World:
    def __init__(self, app: Litestar, api: Api, ada: dict[str, str], eve: dict[str, str], work: Path) -> None:
        self.app, self.api, self.ada, self.eve, self.work = app, api, ada, eve, work

    async def in_app(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work` in the app's event loop (the test client runs the app in a thread of its own)."""
        return await in_app(self.api.client, work)

    async def project(self, slug: str, public_chat: dict[str, Any] | None) -> str:
        body = {"name": slug, "slug": slug, "settings": {"public_chat": public_chat}}
        project: dict[str, Any] = await self.api.call("post", PROJECTS, expect=201, json=body, headers=self.ada)
        if public_chat is None:
            assert project["settings"]["public_chat"] is None
        else:
            assert {k: project["settings"]["public_chat"][k] for k in public_chat} == public_chat
        return str(project["id"])


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    directory = tmp_path_factory.mktemp("api")
    app = build_embedded_api(directory)
    async with AsyncTestClient(app) as client:
        ada = bearer(await sign_up(client, "ada@example.com"))
        eve = bearer(await sign_up(client, "eve@example.com", "Eve"))
        document = (await client.get("/schema/openapi.json")).json()
        yield World(app, Api(client, OpenApiContract(document)), ada, eve, directory / "agentry-work")


class Visitor:
    """A browser: its cookie (sent by hand, as the test client speaks plain HTTP and keeps Secure
    cookies to itself) and its CSRF token."""

    def __init__(self, api: Api, project_id: str, cookie: str, csrf: str, body: dict[str, Any]) -> None:
        self.api, self.project_id, self.cookie, self.csrf, self.body = api, project_id, cookie, csrf, body

    @classmethod
    async def arrive(cls, api: Api, project_id: str, cookie: str | None = None) -> Visitor:
        headers = {"Cookie": cookie} if cookie else {}
        api.client.cookies.clear()
        response = await api.client.post(START.format(project_id=project_id), headers=headers)
        api.client.cookies.clear()
        api.contract.check("post", START, response)
        assert response.status_code == 201, response.text
        set_cookie = response.headers["set-cookie"]
        body = response.json()
        return cls(api, project_id, set_cookie.split(";")[0], body["csrf_token"], body)

    def headers(self, *, csrf: bool = True) -> dict[str, str]:
        return {"Cookie": self.cookie} | ({"X-CSRF-Token": self.csrf} if csrf else {})

    async def send(self, message: str, session_id: str | None = None, *, expect: int = 202, csrf: bool = True) -> Any:
        body = {"message": message} | ({"session_id": session_id} if session_id else {})
        return await self.api.call(
            "post", PUBLIC, project_id=self.project_id, expect=expect, json=body, headers=self.headers(csrf=csrf)
        )

    async def history(self, session_id: str, *, expect: int = 200) -> Any:
        return await self.api.call(
            "get", HISTORY, project_id=self.project_id, session_id=session_id, expect=expect, headers=self.headers()
        )

    async def settled(self, session_id: str, turns: int) -> dict[str, Any]:
        until = time.monotonic() + 20
        while True:
            page: dict[str, Any] = await self.history(session_id)
            answers = [m for m in page["items"] if m["role"] == "assistant"]
            if len(answers) == turns and all(m["status"] not in ("queued", "running") for m in answers):
                return page
            assert time.monotonic() < until, page
            await asyncio.sleep(0.05)


@pytest.mark.asyncio(loop_scope="class")
class TestPublicChat:
    async def test_the_cookie_is_secure_httponly_strict_signed_and_expiring(self, world: World) -> None:
        project = await world.project("cookies", OPEN)
        response = await world.api.client.post(START.format(project_id=project))
        world.api.client.cookies.clear()
        assert response.status_code == 201, response.text
        cookie = response.headers["set-cookie"]
        attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
        assert cookie.startswith("agentry_chat=")
        assert {"secure", "httponly", "max-age", "path"} <= set(attributes)
        assert attributes["samesite"].lower() == "samesite=strict"
        assert attributes["path"] == "Path=/api/v1/"
        assert 86_000 <= int(attributes["max-age"].split("=")[1]) <= 86_400
        body = response.json()
        assert len(body["csrf_token"]) >= 40 and body["project_id"] == project

        visitor = await Visitor.arrive(world.api, project)
        again = await Visitor.arrive(world.api, project, visitor.cookie)
        assert again.body["visitor_id"] == visitor.body["visitor_id"] and again.csrf == visitor.csrf

        forged = visitor.cookie[:-3] + ("AAA" if not visitor.cookie.endswith("AAA") else "BBB")
        stranger = await Visitor.arrive(world.api, project, forged)
        assert stranger.body["visitor_id"] != visitor.body["visitor_id"]
        headers = {"Cookie": forged, "X-CSRF-Token": visitor.csrf}
        url = PUBLIC.format(project_id=project)
        refused = await world.api.client.post(url, json={"message": "hi"}, headers=headers)
        assert refused.status_code == 401, refused.text

    async def test_a_project_without_public_chat_answers_404(self, world: World) -> None:
        closed = await world.project("closed", None)
        response = await world.api.client.post(START.format(project_id=closed))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "set-cookie" not in response.headers

    async def test_a_visitor_chats_and_sees_its_history(self, world: World) -> None:
        project = await world.project("chatty", OPEN)
        visitor = await Visitor.arrive(world.api, project)
        sent = await visitor.send("Hello there")
        page = await visitor.settled(sent["session_id"], 1)
        assert [(m["turn"], m["role"]) for m in page["items"]] == [(1, "user"), (1, "assistant")]
        assert page["items"][1]["status"] == "completed"

    async def test_writes_without_the_csrf_token_are_refused(self, world: World) -> None:
        project = await world.project("csrf", OPEN)
        visitor = await Visitor.arrive(world.api, project)
        refused = await visitor.send("Hello", expect=403, csrf=False)
        assert refused["status"] == 403
        other = await Visitor.arrive(world.api, project)
        visitor.csrf = other.csrf  # another visitor's token
        await visitor.send("Hello", expect=403)
        adopt = await world.api.client.post(ADOPT, headers=world.eve | {"Cookie": visitor.cookie})
        assert adopt.status_code == 403, adopt.text
        no_cookie = await world.api.client.post(PUBLIC.format(project_id=project), json={"message": "x"})
        assert no_cookie.status_code == 401

    async def test_another_cookie_sees_nothing(self, world: World) -> None:
        project = await world.project("private", OPEN)
        mine, theirs = await Visitor.arrive(world.api, project), await Visitor.arrive(world.api, project)
        sent = await mine.send("My secret")
        await theirs.history(sent["session_id"], expect=404)
        await theirs.send("Into yours", sent["session_id"], expect=404)
        events = await world.api.client.get(
            EVENTS.format(project_id=project, session_id=sent["session_id"]), headers=theirs.headers()
        )
        assert events.status_code == 404
        # Nor does a user: the session is the visitor's.
        await world.api.call("get", USER_HISTORY, session_id=sent["session_id"], expect=404, headers=world.ada)
        # A visitor of another project's public chat is a stranger there.
        elsewhere = await Visitor.arrive(world.api, await world.project("elsewhere", OPEN))
        elsewhere.project_id = project
        await elsewhere.history(sent["session_id"], expect=404)

    async def test_messages_past_the_limits_get_429_with_rate_limit_headers(self, world: World) -> None:
        project = await world.project("limited", OPEN)
        visitor = await Visitor.arrive(world.api, project)
        first = await visitor.send("One")
        await visitor.send("Two", first["session_id"])
        response = await world.api.client.post(
            PUBLIC.format(project_id=project), json={"message": "Three"}, headers=visitor.headers()
        )
        assert response.status_code == 429, response.text
        assert response.json()["limit"] == "chat-minute"
        assert '"chat-minute";q=2;w=60' in response.headers["ratelimit-policy"]
        assert int(response.headers["retry-after"]) >= 1
        assert '"chat-minute";r=0' in response.headers["ratelimit"]

    async def test_the_tokens_of_a_session_and_the_daily_cost_cap_refuse_new_turns(self, world: World) -> None:
        tokens = await world.project("tokens", OPEN | {"tokens_per_session": 1})
        visitor = await Visitor.arrive(world.api, tokens)
        sent = await visitor.send("Use some tokens")
        await visitor.settled(sent["session_id"], 1)
        refused = await visitor.send("More", sent["session_id"], expect=429)
        assert refused["limit"] == "chat-tokens"

        broke = await world.project("broke", OPEN | {"daily_cost_usd": 0})
        visitor = await Visitor.arrive(world.api, broke)
        refused = await visitor.send("Anything", expect=429)
        assert refused["limit"] == "chat-daily-cost"

    async def test_a_user_adopts_the_visitors_history(self, world: World) -> None:
        project = await world.project("adopted", OPEN)
        visitor = await Visitor.arrive(world.api, project)
        sent = await visitor.send("Remember me")
        await visitor.settled(sent["session_id"], 1)

        adopted = await world.api.call("post", ADOPT, expect=200, headers=world.eve | visitor.headers())

        assert [s["id"] for s in adopted["items"]] == [sent["session_id"]]
        assert adopted["items"][0]["public"] is True
        page = await world.api.call("get", USER_HISTORY, session_id=sent["session_id"], expect=200, headers=world.eve)
        assert [m["role"] for m in page["items"]] == ["user", "assistant"]
        assert page["items"][0]["text"] == "Remember me"
        # The visitor is gone: its cookie no longer works, and nobody else sees the session.
        gone = await world.api.client.get(
            HISTORY.format(project_id=project, session_id=sent["session_id"]), headers=visitor.headers()
        )
        assert gone.status_code == 401
        await world.api.call("get", USER_HISTORY, session_id=sent["session_id"], expect=404, headers=world.ada)

    async def test_an_adopted_session_is_the_users_in_its_project_and_beyond_the_cookies_reach(
        self, world: World
    ) -> None:
        project = await world.project("adopted-kept", OPEN)
        visitor, stranger = await Visitor.arrive(world.api, project), await Visitor.arrive(world.api, project)
        sent = await visitor.send("Keep this conversation")
        session_id = sent["session_id"]
        await visitor.settled(session_id, 1)

        response = await world.api.client.post(ADOPT, headers=world.eve | visitor.headers())
        world.api.client.cookies.clear()
        assert response.status_code == 200, response.text
        cleared = response.headers["set-cookie"]
        assert cleared.startswith("agentry_chat=") and "max-age=0" in cleared.lower()

        listed = await world.api.call("get", SESSIONS, expect=200, headers=world.eve)
        mine = [s for s in listed["items"] if s["id"] == session_id]
        assert mine and (mine[0]["project_id"], mine[0]["public"], mine[0]["turns"]) == (project, True, 1)
        renamed = await world.api.call(
            "patch", USER_SESSION, session_id=session_id, expect=200, json={"title": "Mine now"}, headers=world.eve
        )
        assert renamed["title"] == "Mine now"
        # Eve is no member of the project: the public chat's limits no longer cover her, so she may not send.
        refused = await world.api.call(
            "post", USER_SEND, expect=403, json={"message": "Go on", "session_id": session_id}, headers=world.eve
        )
        assert refused["status"] == 403
        # The cookie reaches nothing: not the session, not a new one, not the stream.
        for method, url, body in (
            ("get", HISTORY.format(project_id=project, session_id=session_id), None),
            ("get", EVENTS.format(project_id=project, session_id=session_id), None),
            ("post", PUBLIC.format(project_id=project), {"message": "Still me?", "session_id": session_id}),
            ("post", PUBLIC.format(project_id=project), {"message": "A new one?"}),
        ):
            answer = await world.api.client.request(method, url, json=body, headers=visitor.headers())
            assert answer.status_code == 401, (url, answer.text)
        await stranger.history(session_id, expect=404)
        await world.api.call("get", USER_HISTORY, session_id=session_id, expect=404, headers=world.ada)

        await world.api.call("delete", USER_SESSION, session_id=session_id, expect=204, headers=world.eve)
        await world.api.call("get", USER_HISTORY, session_id=session_id, expect=404, headers=world.eve)

    async def test_public_chat_settings_are_validated(self, world: World) -> None:
        body = {"name": "bad", "slug": "bad", "settings": {"public_chat": OPEN | {"messages_per_minute": 0}}}
        response = await world.api.client.post(PROJECTS, json=body, headers=world.ada)
        assert response.status_code in (400, 422), response.text
        body = {
            "name": "bad",
            "slug": "bad",
            "settings": {"allowed_tools": ["Read"], "public_chat": OPEN | {"allowed_tools": ["Bash"]}},
        }
        response = await world.api.client.post(PROJECTS, json=body, headers=world.ada)
        assert response.status_code == 422, response.text
        assert "public_chat" in response.text

    async def test_the_clean_up_deletes_expired_visitors_with_their_rows_and_workspaces(self, world: World) -> None:
        project = await world.project("expiring", OPEN)
        gone, staying = await Visitor.arrive(world.api, project), await Visitor.arrive(world.api, project)
        sent = await gone.send("Forget me")
        kept = await staying.send("Keep me")
        await gone.settled(sent["session_id"], 1)
        workspace = world.work / sent["task_id"]
        home = world.work / ".homes" / sent["task_id"]
        for path in (workspace, home):
            path.mkdir(parents=True, exist_ok=True)
            (path / "notes.txt").write_text("the visitor's files")
        visitor_id, session_id, task_id = (
            UUID(gone.body["visitor_id"]),
            UUID(sent["session_id"]),
            UUID(sent["task_id"]),
        )

        async def expire_and_purge() -> int:  # in the app's own event loop, where its engine lives
            engine = await world.app.state.dishka_container.get(AsyncEngine)
            async with engine.begin() as connection:
                await connection.execute(
                    update(chat_visitors)
                    .where(chat_visitors.c.id == visitor_id)
                    .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
                )
            async with world.app.state.dishka_container() as request:
                purge = await request.get(PurgeExpiredVisitors)
                return await purge(SYSTEM_PRINCIPAL)

        assert await world.in_app(expire_and_purge) == 1

        async def count(query: Any) -> int:
            async def read() -> int:
                engine = await world.app.state.dishka_container.get(AsyncEngine)
                async with engine.connect() as connection:
                    return int((await connection.execute(query)).scalar_one())

            return await world.in_app(read)

        assert await count(select(func.count()).where(chat_visitors.c.id == visitor_id)) == 0
        assert await count(select(func.count()).where(chat_sessions.c.owner_id == visitor_id)) == 0
        assert await count(select(func.count()).where(chat_turns.c.session_id == session_id)) == 0
        assert await count(select(func.count()).where(tasks.c.owner_id == visitor_id)) == 0
        assert await count(select(func.count()).where(task_executions.c.task_id == task_id)) == 0
        assert not workspace.exists() and not home.exists()
        expired = await world.api.client.get(
            HISTORY.format(project_id=project, session_id=sent["session_id"]), headers=gone.headers()
        )
        assert expired.status_code == 401
        assert (await staying.history(kept["session_id"]))["items"][0]["text"] == "Keep me"
        assert await count(select(func.count()).where(chat_visitors.c.id == UUID(staying.body["visitor_id"]))) == 1
