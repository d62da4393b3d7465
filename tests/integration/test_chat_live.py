"""Chat replies streamed live, on one embedded `agentry serve` (its in-process worker, the scripted
runner): sent over the WebSocket and answered there in order, queued turns after; another user can
neither follow nor send into a session; cancel mid-turn ends the turn; the SSE stream resumes from
Last-Event-ID; a visitor of a public chat follows its own session (a cookie of its own), no other, and
chats over a socket of its own (its cookie, its CSRF token first, the service's own origin, the public
chat's limits)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import sign_in

ENDINGS = ("chat.completed", "chat.failed")


class Served:
    def __init__(self, port: int) -> None:
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    cwd = tmp_path_factory.mktemp("chat-live")
    # sockets check their credentials every second: a visitor adopted meanwhile is seen at once
    env = clean_env(AGENTRY_RUNNER="scripted", AGENTRY_LOG_LEVEL="WARNING", AGENTRY_LIVE_RECHECK_S="1")
    with running((["serve", "--port", str(port)], env), cwd=cwd, wait_for=f"http://127.0.0.1:{port}"):
        yield Served(port)


@pytest_asyncio.fixture
async def ada(served: Served) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served.base_url, timeout=30) as client:
        await sign_in(client)
        yield client


@pytest_asyncio.fixture
async def eve(served: Served) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served.base_url, timeout=30) as client:
        await sign_in(client, email="eve@example.com")
        yield client


def socket_url(served: Served, client: httpx.AsyncClient) -> str:
    token = client.headers["Authorization"].removeprefix("Bearer ")
    return f"ws://127.0.0.1:{served.port}/api/v1/ws?access_token={token}"


async def receive(socket: ClientConnection, within: float = 20) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
    return message


async def until_ended(socket: ClientConnection, turn: int) -> list[dict[str, Any]]:
    """The chat events up to the end of the turn numbered `turn`."""
    events: list[dict[str, Any]] = []
    while True:
        event = await receive(socket)
        events.append(event)
        if event["type"] in ENDINGS and event["turn"] == turn:
            return events


async def test_messages_sent_over_the_socket_stream_their_replies_in_order_turn_after_turn(
    served: Served, ada: httpx.AsyncClient
) -> None:
    slow = {"script": [{"say": "one "}, {"sleep": 0.3}, {"say": "two "}, {"say": "three"}]}
    async with connect(socket_url(served, ada)) as socket:
        assert await receive(socket) == {"type": "authenticated"}
        await socket.send(json.dumps({"type": "chat.send", "message": "Count to three", "options": slow}))
        accepted = await receive(socket)
        assert (accepted["type"], accepted["turn"], accepted["status"]) == ("chat.accepted", 1, "running")
        session_id = accepted["session_id"]
        tool = {"script": [{"tool": "Read", "input": {"file_path": "a.py"}, "output": "x = 1"}, {"say": "done"}]}
        await socket.send(
            json.dumps({"type": "chat.send", "message": "Now read", "session_id": session_id, "options": tool})
        )
        events = await until_ended(socket, 2)

    second = next(e for e in events if e["type"] == "chat.accepted")
    assert (second["turn"], second["status"]) == (2, "queued")
    chat = [e for e in events if e["type"] != "chat.accepted"]
    assert all(e["session_id"] == session_id for e in chat)
    kinds = [(e["turn"], e["type"]) for e in chat]
    runs = [kind for i, kind in enumerate(kinds) if i == 0 or kinds[i - 1] != kind]  # text may come in fewer pieces
    assert runs == [
        (1, "chat.turn_started"),
        (1, "chat.delta"),
        (1, "chat.completed"),
        (2, "chat.turn_started"),
        (2, "chat.tool_use"),
        (2, "chat.tool_result"),
        (2, "chat.delta"),
        (2, "chat.completed"),
    ]
    assert "".join(e["text"] for e in chat if e["type"] == "chat.delta" and e["turn"] == 1) == "one two three"
    use, result = (next(e for e in chat if e["type"] == kind) for kind in ("chat.tool_use", "chat.tool_result"))
    assert (use["name"], use["input"], result["output"], result["id"]) == (
        "Read",
        {"file_path": "a.py"},
        "x = 1",
        use["id"],
    )
    history = (await ada.get(f"/api/v1/agent/chat/history/{session_id}")).json()
    assert [m["text"] for m in history["items"] if m["role"] == "assistant"] == ["one two three", "done"]


async def test_another_user_can_neither_follow_nor_send_into_a_session(
    served: Served, ada: httpx.AsyncClient, eve: httpx.AsyncClient
) -> None:
    sent = (await ada.post("/api/v1/agent/chat", json={"message": "Ada's secret"})).json()
    session_id = sent["session_id"]
    async with connect(socket_url(served, eve)) as socket:
        assert await receive(socket) == {"type": "authenticated"}
        await socket.send(json.dumps({"type": "subscribe", "chat_session_id": session_id}))
        refused = await receive(socket)
        assert (refused["type"], refused["code"]) == ("error", "not_found"), refused
        await socket.send(json.dumps({"type": "chat.send", "message": "let me in", "session_id": session_id}))
        refused = await receive(socket)
        assert (refused["type"], refused["code"]) == ("error", "not_found"), refused
    assert (await eve.get(f"/api/v1/agent/chat/{session_id}/events")).status_code == 404
    assert (await eve.get(f"/api/v1/agent/chat/history/{session_id}")).status_code == 404


async def test_cancel_in_mid_turn_ends_the_turn(served: Served, ada: httpx.AsyncClient) -> None:
    hang = {"script": [{"say": "thinking"}, {"sleep": 60}]}
    async with connect(socket_url(served, ada)) as socket:
        assert await receive(socket) == {"type": "authenticated"}
        await socket.send(json.dumps({"type": "chat.send", "message": "Take your time", "options": hang}))
        accepted = await receive(socket)
        while (await receive(socket))["type"] != "chat.delta":
            pass
        cancelled = await ada.post(f"/api/v1/agent/chat/{accepted['session_id']}/cancel")
        assert cancelled.status_code == 202, cancelled.text
        ending = (await until_ended(socket, 1))[-1]
    assert (ending["type"], ending["status"]) == ("chat.failed", "cancelled")


@dataclass
class SseEvent:
    id: str | None  # the SSE field; the data may hold an `id` of its own (a tool use's)
    data: dict[str, Any] = field(default_factory=dict)


async def sse_events(client: httpx.AsyncClient, url: str, headers: dict[str, str], until: str) -> list[SseEvent]:
    events: list[SseEvent] = []
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        event = SseEvent(None)
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                event.id = line[3:].strip()
            elif line.startswith("data:"):
                event.data |= json.loads(line[5:].strip())
            elif not line and (event.id is not None or event.data):
                events.append(event)
                if event.data.get("type") == until:
                    return events
                event = SseEvent(None)
    return events


async def test_the_event_stream_resumes_after_the_last_event_id(served: Served, ada: httpx.AsyncClient) -> None:
    script = {"script": [{"say": "a"}, {"tool": "Read", "input": {}, "output": "b"}, {"say": "c"}]}
    sent = (await ada.post("/api/v1/agent/chat", json={"message": "abc", "options": script})).json()
    url = f"/api/v1/agent/chat/{sent['session_id']}/events"
    whole = await asyncio.wait_for(sse_events(ada, url, {"Last-Event-ID": "1:0"}, "chat.completed"), 20)
    kinds = ["chat.delta", "chat.tool_use", "chat.tool_result", "chat.delta", "chat.completed"]
    assert [e.data["type"] for e in whole] == kinds
    tool_use = whole[1]
    assert tool_use.data["id"] and tool_use.id != tool_use.data["id"]  # the tool use's id is not the event's
    resumed = []
    for position in range(len(whole) - 1):  # from every event's id: the events after it
        last = whole[position].id
        assert last is not None
        rest = await asyncio.wait_for(sse_events(ada, url, {"Last-Event-ID": last}, "chat.completed"), 20)
        resumed.append(rest)
    assert resumed == [whole[position + 1 :] for position in range(len(whole) - 1)]
    assert whole[-1].id == "1:end" and whole[-2].data["text"] == "c"
    bad = await ada.get(url, headers={"Last-Event-ID": "yesterday"})
    assert bad.status_code == 400


async def test_a_visitor_follows_its_own_public_chat_session_and_no_other(
    served: Served, ada: httpx.AsyncClient
) -> None:
    body = {"name": "Open", "slug": "open-chat", "settings": {"public_chat": {"messages_per_minute": 5}}}
    created = await ada.post("/api/v1/projects", json=body)
    assert created.status_code == 201, created.text
    public = f"/api/v1/public/projects/{created.json()['id']}/chat"
    async with httpx.AsyncClient(base_url=served.base_url, timeout=30) as browser:
        visitors = []
        for _ in range(2):
            browser.cookies.clear()  # plain HTTP: the Secure cookie is sent by hand
            issued = await browser.post(public + "/session")
            assert issued.status_code == 201, issued.text
            cookie = issued.headers["set-cookie"].split(";")[0]
            visitors.append({"Cookie": cookie, "X-CSRF-Token": issued.json()["csrf_token"]})
        browser.cookies.clear()
        mine, theirs = visitors
        sent = (await browser.post(public, json={"message": "Hello"}, headers=mine)).json()

        events = await sse_events(browser, f"{public}/{sent['session_id']}/events", mine, "chat.completed")

        assert events[0].data["type"] == "chat.turn_started"
        assert events[-1].data["type"] == "chat.completed" and any(e.data["type"] == "chat.delta" for e in events)
        assert all(e.data["session_id"] == sent["session_id"] for e in events)
        refused = await browser.get(f"{public}/{sent['session_id']}/events", headers=theirs)
        assert refused.status_code == 404


async def open_public_chat(ada: httpx.AsyncClient, slug: str, **limits: Any) -> str:
    body = {"name": slug, "slug": slug, "settings": {"public_chat": {"messages_per_minute": 5} | limits}}
    created = await ada.post("/api/v1/projects", json=body)
    assert created.status_code == 201, created.text
    return f"/api/v1/public/projects/{created.json()['id']}/chat"


async def visitor_of(served: Served, public: str) -> tuple[str, str]:
    """A new visitor: its cookie (as a Cookie header) and its CSRF token."""
    async with httpx.AsyncClient(base_url=served.base_url, timeout=30) as browser:
        issued = await browser.post(public + "/session")
    assert issued.status_code == 201, issued.text
    return issued.headers["set-cookie"].split(";")[0], issued.json()["csrf_token"]


def public_socket(served: Served, public: str, cookie: str | None, origin: str | None = None) -> Any:
    headers = {"Cookie": cookie} if cookie else {}
    return connect(
        f"ws://127.0.0.1:{served.port}{public}/ws",
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
    )


async def authenticated(socket: ClientConnection, csrf: str) -> dict[str, Any]:
    await socket.send(json.dumps({"type": "auth", "csrf_token": csrf}))
    told = await receive(socket)
    assert told["type"] == "authenticated", told
    return told


async def closed_with(socket: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed):
        await receive(socket)
    return socket.close_code


async def test_a_visitor_chats_over_its_own_socket_and_reaches_no_other_visitors_session(
    served: Served, ada: httpx.AsyncClient
) -> None:
    public = await open_public_chat(ada, "socket-chat")
    (mine, my_token), (theirs, their_token) = await visitor_of(served, public), await visitor_of(served, public)
    async with public_socket(served, public, mine) as socket:
        await authenticated(socket, my_token)
        await socket.send(json.dumps({"type": "chat.send", "message": "Hello over the socket"}))
        accepted = await receive(socket)
        assert (accepted["type"], accepted["turn"]) == ("chat.accepted", 1), accepted
        session_id = accepted["session_id"]
        first = await until_ended(socket, 1)
        await socket.send(json.dumps({"type": "chat.send", "message": "Again", "session_id": session_id}))
        second = await until_ended(socket, 2)

    kinds = [e["type"] for e in first]
    assert kinds[0] == "chat.turn_started" and "chat.delta" in kinds and kinds[-1] == "chat.completed"
    assert second[0]["type"] == "chat.accepted" and second[-1]["type"] == "chat.completed"
    assert all(e["session_id"] == session_id for e in first + second)
    history = await ada.get(f"{public}/history/{session_id}", headers={"Cookie": mine})
    assert [m["text"] for m in history.json()["items"] if m["role"] == "user"] == ["Hello over the socket", "Again"]

    async with public_socket(served, public, theirs) as socket:
        await authenticated(socket, their_token)
        await socket.send(json.dumps({"type": "subscribe", "chat_session_id": session_id}))
        assert (await receive(socket))["code"] == "not_found"
        await socket.send(json.dumps({"type": "chat.send", "message": "Into yours", "session_id": session_id}))
        assert (await receive(socket))["code"] == "not_found"
        await socket.send(json.dumps({"type": "subscribe", "task_id": accepted["task_id"]}))
        assert (await receive(socket))["code"] == "bad_request"  # a visitor's socket carries its chat only
    turns = (await ada.get(f"{public}/history/{session_id}", headers={"Cookie": mine})).json()["items"]
    assert len(turns) == 4


async def test_a_visitors_socket_needs_its_cookie_its_csrf_token_and_the_services_own_origin(
    served: Served, ada: httpx.AsyncClient
) -> None:
    public = await open_public_chat(ada, "socket-guarded")
    cookie, token = await visitor_of(served, public)
    async with public_socket(served, public, None) as socket:
        assert await closed_with(socket) == 4401
    async with public_socket(served, public, cookie) as socket:
        await socket.send(json.dumps({"type": "auth", "csrf_token": token[:-2] + "xx"}))
        assert await closed_with(socket) == 4403
    async with public_socket(served, public, cookie) as socket:
        await socket.send(json.dumps({"type": "chat.send", "message": "no token first"}))
        assert await closed_with(socket) == 4403
    with pytest.raises(InvalidStatus) as refused:
        async with public_socket(served, public, cookie, origin="https://elsewhere.example"):
            pass
    assert refused.value.response.status_code == 403
    async with public_socket(served, public, cookie, origin=f"http://127.0.0.1:{served.port}") as socket:
        await authenticated(socket, token)
    private = await ada.post("/api/v1/projects", json={"name": "Shut", "slug": "socket-shut"})
    assert private.status_code == 201, private.text
    async with public_socket(served, f"/api/v1/public/projects/{private.json()['id']}/chat", cookie) as socket:
        await socket.send(json.dumps({"type": "auth", "csrf_token": token}))
        assert await closed_with(socket) == 4404  # a project without public chat


async def test_a_visitors_socket_answers_the_public_chat_limits_as_http_does(
    served: Served, ada: httpx.AsyncClient
) -> None:
    public = await open_public_chat(ada, "socket-limited", messages_per_minute=1)
    cookie, token = await visitor_of(served, public)
    async with public_socket(served, public, cookie) as socket:
        await authenticated(socket, token)
        await socket.send(json.dumps({"type": "chat.send", "message": "One"}))
        accepted = await receive(socket)
        assert accepted["type"] == "chat.accepted"
        await until_ended(socket, 1)
        await socket.send(json.dumps({"type": "chat.send", "message": "Two", "session_id": accepted["session_id"]}))
        refused = await receive(socket)
    assert (refused["type"], refused["code"], refused["limit"]) == ("error", "rate_limited", "chat-minute")
    assert 1 <= refused["retry_after_s"] <= 60

    broke = await open_public_chat(ada, "socket-broke", daily_cost_usd=0)
    cookie, token = await visitor_of(served, broke)
    async with public_socket(served, broke, cookie) as socket:
        await authenticated(socket, token)
        await socket.send(json.dumps({"type": "chat.send", "message": "Anything"}))
        refused = await receive(socket)
    assert (refused["code"], refused["limit"]) == ("rate_limited", "chat-daily-cost")


async def test_a_visitors_socket_closes_once_a_user_adopts_the_visitor(served: Served, ada: httpx.AsyncClient) -> None:
    public = await open_public_chat(ada, "socket-adopted")
    cookie, token = await visitor_of(served, public)
    async with public_socket(served, public, cookie) as socket:
        await authenticated(socket, token)
        await socket.send(json.dumps({"type": "chat.send", "message": "Adopt me"}))
        session_id = (await receive(socket))["session_id"]
        await until_ended(socket, 1)
        adopted = await ada.post("/api/v1/agent/chat/adopt", headers={"Cookie": cookie, "X-CSRF-Token": token})
        assert adopted.status_code == 200, adopted.text
        with pytest.raises(ConnectionClosed):
            while True:
                await receive(socket, within=10)
        assert socket.close_code == 4401
    mine = (await ada.get("/api/v1/agent/chat/sessions")).json()["items"]
    assert session_id in [s["id"] for s in mine]
