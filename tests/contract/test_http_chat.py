"""/api/v1/agent/chat on the embedded service (its in-process worker and relay, the scripted runner):
turns queued in order and answered resuming the session, the history, ownership, bad input, cancel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from agentry.adapters.runners.offered_tools import SCRIPTED_TOOLS
from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import Api, bearer, sign_up

CHAT = "/api/v1/agent/chat"
SESSIONS = CHAT + "/sessions"
HISTORY = CHAT + "/history/{session_id}"
SESSION = CHAT + "/{session_id}"
CANCEL = CHAT + "/{session_id}/cancel"
TOOLS = "/api/v1/agent/tools"
TOOL_TURN = {"script": [{"say": "Let me look. "}, {"tool": "Read", "input": {"file_path": "a.py"}, "output": "x = 1"}]}


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def apis(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Api, Api]]:
    app = build_embedded_api(tmp_path_factory.mktemp("api"))
    async with AsyncTestClient(app) as client:
        eve = bearer(await sign_up(client, "eve@example.com", "Eve"))
        client.headers.update(bearer(await sign_up(client, "ada@example.com")))
        document = (await client.get("/schema/openapi.json")).json()
        yield Api(client, OpenApiContract(document)), AsAnother(client, OpenApiContract(document), eve)


class AsAnother(Api):
    """The same client, signed in as someone else."""

    def __init__(self, client: AsyncTestClient[Any], contract: OpenApiContract, headers: dict[str, str]) -> None:
        super().__init__(client, contract)
        self.headers = headers

    async def call(self, method: str, template: str, *, expect: int, **kwargs: Any) -> Any:
        return await super().call(method, template, expect=expect, headers=self.headers, **kwargs)


async def settled(api: Api, session_id: str, turns: int, deadline_s: float = 20.0) -> dict[str, Any]:
    """The history once its last `turns` turns have their answers and the agent is idle."""
    until = time.monotonic() + deadline_s
    while True:
        page: dict[str, Any] = await api.call("get", HISTORY, session_id=session_id, expect=200)
        answers = [m for m in page["items"] if m["role"] == "assistant"]
        if len(answers) == turns and all(m["status"] not in ("queued", "running") for m in answers):
            return page
        if time.monotonic() > until:
            pytest.fail(f"chat {session_id} has not settled: {page}")
        await asyncio.sleep(0.05)


@pytest.mark.asyncio(loop_scope="class")
class TestChat:
    async def test_three_messages_sent_at_once_are_answered_in_order_and_listed_in_the_history(
        self, apis: tuple[Api, Api]
    ) -> None:
        api, _ = apis
        # The first answer takes a moment, so that the third message surely arrives while it runs.
        held = {"script": [{"sleep": 2}, {"say": "Hi. "}]}
        first = await api.call("post", CHAT, expect=202, json={"message": "Hello", "options": held})
        assert first["status"] == "running" and first["turn"] == 1
        sid = first["session_id"]
        second = await api.call(
            "post", CHAT, expect=202, json={"message": "Read a.py", "session_id": sid, "options": TOOL_TURN}
        )
        third = await api.call("post", CHAT, expect=202, json={"message": "Thanks", "session_id": sid})
        assert (second["turn"], third["turn"]) == (2, 3)
        assert third["status"] == "queued" and third["task_id"] is None

        page = await settled(api, sid, 3)

        assert [(m["turn"], m["role"]) for m in page["items"]] == [
            (n, r) for n in (1, 2, 3) for r in ("user", "assistant")
        ]
        assert [m["text"] for m in page["items"] if m["role"] == "user"] == ["Hello", "Read a.py", "Thanks"]
        reply = page["items"][3]
        assert reply["status"] == "completed" and reply["text"] == "Let me look. " and "usage" in reply
        assert [(c["name"], c["input"], c["result"]) for c in reply["tool_calls"]] == [
            ("Read", {"file_path": "a.py"}, "x = 1")
        ]
        task = await api.call("get", "/api/v1/tasks/{task_id}", task_id=first["task_id"], expect=200)
        assert task["tags"] == ["chat"] and task["status"] == "succeeded"

    async def test_another_user_finds_no_such_session(self, apis: tuple[Api, Api]) -> None:
        api, other = apis
        sid = (await api.call("post", CHAT, expect=202, json={"message": "Private"}))["session_id"]
        await other.call("get", HISTORY, session_id=sid, expect=404)
        await other.call("post", CHAT, expect=404, json={"message": "Let me in", "session_id": sid})
        await other.call("post", CANCEL, session_id=sid, expect=404)
        await other.call("patch", SESSION, session_id=sid, expect=404, json={"title": "Mine now"})
        await other.call("delete", SESSION, session_id=sid, expect=404)
        listed = await other.call("get", SESSIONS, expect=200)
        assert sid not in [s["id"] for s in listed["items"]]
        await settled(api, sid, 1)

    async def test_bad_input_is_a_problem_document_not_a_500(self, apis: tuple[Api, Api]) -> None:
        api, _ = apis
        for body in (
            {"message": ""},
            {"message": "   "},
            {"message": "hi", "options": {"time_limit_s": "soon"}},
            {"message": "hi", "options": {"runner": "nope"}},
            {"message": "hi", "options": {"warp": 9}},
            {"message": "hi", "extra": 1},
        ):
            response = await api.client.post(CHAT, json=body)
            assert 400 <= response.status_code < 500, (body, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
        await api.call(
            "post", CHAT, expect=404, json={"message": "hi", "session_id": "00000000-0000-0000-0000-000000000001"}
        )
        await api.call("get", SESSIONS, expect=400, params={"cursor": "yesterday"})

    async def test_cancel_mid_turn_ends_the_turn(self, apis: tuple[Api, Api]) -> None:
        api, _ = apis
        sent = await api.call(
            "post",
            CHAT,
            expect=202,
            json={"message": "Take your time", "options": {"script": [{"say": "Thinking"}, {"sleep": 60}]}},
        )
        sid = sent["session_id"]
        until = time.monotonic() + 10
        while (await api.call("get", "/api/v1/tasks/{task_id}", task_id=sent["task_id"], expect=200))[
            "status"
        ] != "running":
            assert time.monotonic() < until
            await asyncio.sleep(0.05)

        await api.call("post", CANCEL, session_id=sid, expect=202)

        page = await settled(api, sid, 1, deadline_s=10)
        assert page["items"][1]["status"] == "cancelled"
        await api.call("post", CANCEL, session_id=sid, expect=404)  # nothing is being answered now

    async def test_sessions_are_mine_newest_first_renamed_archived_and_deleted(self, apis: tuple[Api, Api]) -> None:
        api, _ = apis
        # A session's place is its last activity (its answer's end): the older one answered first.
        older = (await api.call("post", CHAT, expect=202, json={"message": "Older one"}))["session_id"]
        await settled(api, older, 1)
        newer = (await api.call("post", CHAT, expect=202, json={"message": "Newer one"}))["session_id"]
        await settled(api, newer, 1)
        listed = [s["id"] for s in (await api.call("get", SESSIONS, expect=200))["items"]]
        assert listed.index(newer) < listed.index(older)
        paged, cursor = [], None
        while True:
            params = {"limit": "1"} | ({"cursor": cursor} if cursor else {})
            page = await api.call("get", SESSIONS, expect=200, params=params)
            paged += [s["id"] for s in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert paged == listed

        renamed = await api.call(
            "patch", SESSION, session_id=older, expect=200, json={"title": "Kept", "archived": True}
        )
        assert (renamed["title"], renamed["archived"]) == ("Kept", True)
        assert older not in [s["id"] for s in (await api.call("get", SESSIONS, expect=200))["items"]]
        assert older in [
            s["id"] for s in (await api.call("get", SESSIONS, expect=200, params={"archived": "true"}))["items"]
        ]
        await api.call("post", CHAT, expect=409, json={"message": "More", "session_id": older})
        await api.call("patch", SESSION, session_id=older, expect=422, json={"archived": 0})

        await api.call("delete", SESSION, session_id=newer, expect=204)
        await api.call("get", HISTORY, session_id=newer, expect=404)

    async def test_the_tools_each_runner_offers_and_those_a_project_allows(self, apis: tuple[Api, Api]) -> None:
        api, other = apis
        listed = await api.call("get", TOOLS, expect=200)
        assert listed["project_id"] is None and listed["runners"][0]["default"] is True
        scripted = next(r for r in listed["runners"] if r["runner"] == "scripted")
        assert (scripted["tools"], scripted["source"], scripted["project"]) == (list(SCRIPTED_TOOLS), "fixed", None)

        rules = {"allowed_tools": ["Read", "Bash(git:*)", "Deploy"], "allowed_runners": ["scripted"]}
        body = {"name": "Tools", "slug": "tools", "settings": rules}
        project = await api.call("post", "/api/v1/projects", expect=201, json=body)
        ruled = await api.call("get", TOOLS, expect=200, params={"project_id": project["id"]})
        scripted = next(r for r in ruled["runners"] if r["runner"] == "scripted")
        assert ruled["project_id"] == project["id"]
        assert scripted["project"] == {
            "runner_allowed": True,
            "tools": ["Bash", "Read"],
            "entries": ["Bash(git:*)", "Read"],
        }
        await other.call("get", TOOLS, expect=404, params={"project_id": project["id"]})
        await api.call("get", TOOLS, expect=400, params={"project_id": "not-a-uuid"})
        response = await api.client.get(TOOLS, headers={"Authorization": ""})
        assert response.status_code == 401
