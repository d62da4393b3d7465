"""GET /api/v1/public/projects/{project_id}/chat/ws: a visitor's WebSocket to a project's public chat, so a
browser without an account needs one connection too (README "Public chat").

The visitor is named by its `agentry_chat` cookie, which the browser sends with the handshake (its path is
/api/v1/). A browser cannot set headers on a WebSocket, so the CSRF token comes in the first message;
not in the address, which access logs and proxies keep. A handshake whose Origin is not the API's own
(a page of another site opening the socket with the visitor's cookie) is refused (403) before it is
accepted; a client that sends no Origin is no browser, and still needs the cookie and its token.
JSON text frames, each with a `type`:

    client: {"type": "auth", "csrf_token": "…"}          first, within 10 s
    server: {"type": "authenticated", "visitor_id"}     or the socket closes: 4401 (no current cookie, or
                                                        the visitor has expired or was adopted), 4403 (not
                                                        the cookie's token), 4404 (no public chat here)
    client: {"type": "chat.send", "message": "…", "session_id"?: "…"}
    server: {"type": "chat.accepted", "session_id", "turn_id", "turn", "status", "task_id"}, then the
            session's chat.* events from that turn on (chat_stream.py tells them)
            {"type": "error", "code": "rate_limited", "limit", "retry_after_s", "message"}   a public chat
            limit reached (chat-minute, chat-day, chat-tokens, chat-daily-cost), as over HTTP's 429
            {"type": "error", "code": "not_found" | "bad_request" | "conflict", "message"}
    client: {"type": "subscribe" | "unsubscribe", "chat_session_id": "…"}   follow one of its sessions

A visitor sees only its own sessions (another's is not found), sends through the same use case as over
HTTP (its limits and the project's daily cost cap), and every `recheck_s` seconds the socket asks again
whether its visitor is current: one that expired, was adopted by a user, or whose project closed its chat
is closed with 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
from functools import partial
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket, websocket
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from agentry.application.chat.visitors import IdentifyVisitor, SendVisitorMessage
from agentry.application.errors import Forbidden, NotFound, Unauthenticated
from agentry.application.ports.clock import Clock
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.chat_send import PublicSend
from agentry.entrypoints.http.kit.visitor_cookie import COOKIE, VisitorCookies
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.socket_messages import (
    UNAUTHENTICATED,
    auth_message,
    error_message,
    request_scope,
)
from agentry.entrypoints.http.live.socket_session import Sent, SocketSession

FORBIDDEN = 4403
NOT_FOUND = 4404
MAX_CHATS = 20  # sessions one visitor's socket follows at once


@websocket("/public/projects/{project_id:uuid}/chat/ws")
async def public_chat_socket(
    socket: WebSocket[Any, Any, Any], project_id: UUID, live: NamedDependency[LiveChannels]
) -> None:
    if not same_origin(socket.headers.get("origin"), socket.headers.get("host")):
        await socket.close(FORBIDDEN, "the page's origin is not this service's")  # before accept: a 403
        return
    await socket.accept()
    try:
        actor = await _visitor(socket, project_id, live.max_json_depth)
        await socket.send_data(msgspec.json.encode({"type": "authenticated", "visitor_id": str(actor.id)}))
    except (Unauthenticated, Forbidden, NotFound) as refused:
        code = {Unauthenticated: UNAUTHENTICATED, Forbidden: FORBIDDEN}.get(type(refused), NOT_FOUND)
        await socket.close(code, str(refused)[:120])
        return
    except WebSocketDisconnect:
        return
    await VisitorSocket(socket, project_id, actor, live).serve()


def same_origin(origin: str | None, host: str | None) -> bool:
    """No Origin (no browser sent it), or one whose host and port are the API's own Host."""
    if origin is None:
        return True
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(host) and netloc.lower() == str(host).lower()


async def _visitor(socket: WebSocket[Any, Any, Any], project_id: UUID, max_depth: int) -> Principal:
    """The cookie's visitor, once the first message gave its CSRF token."""
    async with request_scope(socket) as request:
        cookies = await request.get(VisitorCookies)
        now = (await request.get(Clock)).now()
    visitor = cookies.visitor_of(socket.cookies.get(COOKIE), now)
    if visitor is None:
        raise Unauthenticated(f"this needs the {COOKIE} cookie of a current chat session: start one")
    token = (await auth_message(socket, max_depth)).get("csrf_token")
    if not isinstance(token, str) or not cookies.csrf_matches(visitor, token):
        raise Forbidden("chat", 'the first message must be {"type": "auth", "csrf_token": "<the cookie\'s token>"}')
    async with request_scope(socket) as request:
        actor: Principal = await (await request.get(IdentifyVisitor))(project_id, visitor)
    return actor


class VisitorSocket(SocketSession):
    """One visitor's socket: the sessions it follows, pumped into one backlog that one sender drains."""

    max_followed = MAX_CHATS

    def __init__(
        self, socket: WebSocket[Any, Any, Any], project_id: UUID, actor: Principal, live: LiveChannels
    ) -> None:
        super().__init__(socket, actor, live)
        self._project_id = project_id

    async def _recheck(self) -> None:
        """Returns once the visitor is no longer current, after closing the socket with 4401."""
        while True:
            await asyncio.sleep(self._live.recheck_s)
            try:
                async with request_scope(self._socket) as request:
                    await (await request.get(IdentifyVisitor))(self._project_id, self._actor.id)
            except (Unauthenticated, NotFound) as gone:
                with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
                    await self._socket.close(UNAUTHENTICATED, str(gone)[:120])
                return

    async def _handle(self, message: dict[str, Any] | None) -> dict[str, Any] | None:
        kind = message.get("type") if message else None
        if message and kind == "chat.send":
            return await self._chat_send(partial(self._send_message, message))
        if message and kind in ("subscribe", "unsubscribe") and "chat_session_id" in message:
            return await self._chat_subscription(kind == "subscribe", message["chat_session_id"])
        return error_message(
            "bad_request", 'expected {"type": "chat.send", …} or {"type": "subscribe", "chat_session_id": …}'
        )

    async def _send_message(self, message: dict[str, Any], request: AsyncContainer) -> Sent:
        body = msgspec.convert({k: v for k, v in message.items() if k != "type"}, PublicSend)
        send = await request.get(SendVisitorMessage)
        return await send(self._actor, self._project_id, body.message, body.session_id)
