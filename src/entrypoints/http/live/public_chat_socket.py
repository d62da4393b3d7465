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
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import msgspec
from litestar import WebSocket, websocket
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from agentry.application.chat.visitors import IdentifyVisitor, SendVisitorMessage
from agentry.application.errors import ApplicationError, Forbidden, NotFound, RateLimited, Unauthenticated
from agentry.application.ports.clock import Clock
from agentry.domain.errors import DomainError
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.chat_send import PublicSend
from agentry.entrypoints.http.kit.json_depth import JsonTooDeep
from agentry.entrypoints.http.kit.visitor_cookie import COOKIE, VisitorCookies
from agentry.entrypoints.http.live.channels import Backlog, LiveChannels
from agentry.entrypoints.http.live.chat_follows import FollowedChats
from agentry.entrypoints.http.live.socket_messages import (
    AUTH_TIMEOUT_S,
    GOING_AWAY,
    UNAUTHENTICATED,
    code_of,
    decode_message,
    error_message,
    request_scope,
)

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
    try:
        async with asyncio.timeout(AUTH_TIMEOUT_S):
            message = decode_message(await socket.receive_data("text"), max_depth)
    except TimeoutError:
        raise Unauthenticated(f"no auth message within {AUTH_TIMEOUT_S:g} s") from None
    except JsonTooDeep:
        message = None
    token = message.get("csrf_token") if message and message.get("type") == "auth" else None
    if not isinstance(token, str) or not cookies.csrf_matches(visitor, token):
        raise Forbidden("chat", 'the first message must be {"type": "auth", "csrf_token": "<the cookie\'s token>"}')
    async with request_scope(socket) as request:
        actor: Principal = await (await request.get(IdentifyVisitor))(project_id, visitor)
    return actor


class VisitorSocket:
    """One visitor's socket: the sessions it follows, pumped into one backlog that one sender drains."""

    def __init__(
        self, socket: WebSocket[Any, Any, Any], project_id: UUID, actor: Principal, live: LiveChannels
    ) -> None:
        self._socket = socket
        self._project_id = project_id
        self._actor = actor
        self._live = live
        self._backlog = Backlog(live.backlog_limit)
        self._chats = FollowedChats(lambda: request_scope(socket), live, self._backlog)

    async def serve(self) -> None:
        sender = asyncio.create_task(self._send())
        receiver = asyncio.create_task(self._receive())
        rechecks = asyncio.create_task(self._recheck())
        draining = asyncio.create_task(self._live.draining.wait())
        try:
            await asyncio.wait((receiver, rechecks, draining), return_when=asyncio.FIRST_COMPLETED)
            if draining.done():
                with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
                    await self._socket.close(GOING_AWAY, "the server is stopping")
        finally:
            draining.cancel()
            self._chats.stop_all()
            for job in (receiver, rechecks, sender):
                job.cancel()
            await asyncio.gather(receiver, rechecks, sender, return_exceptions=True)

    async def _receive(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                try:
                    message = decode_message(await self._socket.receive_data("text"), self._live.max_json_depth)
                except JsonTooDeep as deep:
                    self._reply(error_message("bad_request", str(deep)))
                    continue
                reply = await self._handle(message or {})
                if reply is not None:
                    self._reply(reply)

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

    async def _handle(self, message: dict[str, Any]) -> dict[str, Any] | None:
        kind = message.get("type")
        if kind == "chat.send":
            return await self._chat_send(message)
        if kind in ("subscribe", "unsubscribe") and "chat_session_id" in message:
            return await self._subscription(kind == "subscribe", message["chat_session_id"])
        return error_message(
            "bad_request", 'expected {"type": "chat.send", …} or {"type": "subscribe", "chat_session_id": …}'
        )

    async def _chat_send(self, message: dict[str, Any]) -> dict[str, Any] | None:
        try:
            body = msgspec.convert({k: v for k, v in message.items() if k != "type"}, PublicSend)
            async with request_scope(self._socket) as request:
                send = await request.get(SendVisitorMessage)
                sent = await send(self._actor, self._project_id, body.message, body.session_id)
        except msgspec.ValidationError as bad:
            return error_message("bad_request", str(bad))
        except RateLimited as limited:
            return error_message(limited.code, str(limited)) | {
                "limit": limited.policy,
                "retry_after_s": max(1, round(limited.retry_after_s)),
            }
        except (DomainError, ApplicationError) as refused:
            return error_message(code_of(refused), str(refused))
        self._chats.sent(self._actor, sent.turn)
        return None

    async def _subscription(self, subscribe: bool, raw_id: Any) -> dict[str, Any]:
        try:
            session_id = UUID(str(raw_id))
        except ValueError:
            return error_message("bad_request", "chat_session_id must be a UUID")
        if not subscribe:
            self._chats.stop(session_id)
            return {"type": "unsubscribed", "chat_session_id": str(session_id)}
        if session_id not in self._chats:
            if len(self._chats) >= MAX_CHATS:
                return error_message("too_many_subscriptions", f"at most {MAX_CHATS} at once")
            try:
                await self._chats.subscribe(self._actor, session_id)
            except NotFound as missing:
                return error_message("not_found", str(missing))
        return {"type": "subscribed", "chat_session_id": str(session_id)}

    def _reply(self, message: dict[str, Any]) -> None:
        """Replies queue behind the events already waiting, so a client sees them in order."""
        self._backlog.put(msgspec.json.encode(message))

    async def _send(self) -> None:
        with contextlib.suppress(WebSocketDisconnect, OSError):
            while True:
                await self._socket.send_data(await self._backlog.get())
