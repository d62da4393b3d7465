"""What the two WebSockets (a user's, socket.py; a visitor's, public_chat_socket.py) do alike once their
client is known: one backlog that one sender drains (replies queue behind the events already waiting, so
a client sees them in order), a receiver that answers each message in turn, a recheck that closes the
socket once its client no longer holds, sending chat messages and following chat sessions."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from uuid import UUID

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect

from agentry.application.errors import ApplicationError, NotFound, RateLimited
from agentry.domain.chat.session import ChatTurn
from agentry.domain.errors import DomainError
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.json_depth import JsonTooDeep
from agentry.entrypoints.http.live.channels import Backlog, LiveChannels
from agentry.entrypoints.http.live.chat_follows import FollowedChats
from agentry.entrypoints.http.live.socket_messages import (
    GOING_AWAY,
    code_of,
    decode_message,
    error_message,
    request_scope,
)


class Sent(Protocol):
    @property
    def turn(self) -> ChatTurn: ...


class SocketSession:
    """One known client on its socket. A subclass answers its messages (`_handle`), says whether its client
    still holds (`_recheck`), and how many things it follows at most (`max_followed`)."""

    max_followed: int

    def __init__(self, socket: WebSocket[Any, Any, Any], actor: Principal, live: LiveChannels) -> None:
        self._socket = socket
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
            await self._stop_following()
            for job in (receiver, rechecks, sender):
                job.cancel()
            await asyncio.gather(receiver, rechecks, sender, return_exceptions=True)

    async def _handle(self, message: dict[str, Any] | None) -> dict[str, Any] | None:
        raise NotImplementedError

    async def _recheck(self) -> None:
        """Returns once the client no longer holds, after closing the socket."""
        raise NotImplementedError

    def _followed(self) -> int:
        return len(self._chats)

    async def _stop_following(self) -> None:
        self._chats.stop_all()

    async def _receive(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                try:
                    message = decode_message(await self._socket.receive_data("text"), self._live.max_json_depth)
                except JsonTooDeep as deep:
                    self._reply(error_message("bad_request", str(deep)))
                    continue
                reply = await self._handle(message)
                if reply is not None:
                    self._reply(reply)

    async def _chat_send(self, send: Callable[[AsyncContainer], Awaitable[Sent]]) -> dict[str, Any] | None:
        """Send a chat message (`send` decodes it and asks the use case); the accepted turn is told first,
        the session's events follow it. A refusal is the reply."""
        try:
            async with request_scope(self._socket) as request:
                sent = await send(request)
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

    async def _chat_subscription(self, subscribe: bool, raw_id: Any) -> dict[str, Any]:
        try:
            session_id = UUID(str(raw_id))
        except ValueError:
            return error_message("bad_request", "chat_session_id must be a UUID")
        if not subscribe:
            self._chats.stop(session_id)
            return {"type": "unsubscribed", "chat_session_id": str(session_id)}
        if session_id not in self._chats:
            if self._followed() >= self.max_followed:
                return error_message("too_many_subscriptions", f"at most {self.max_followed} at once")
            try:
                await self._chats.subscribe(self._actor, session_id)
            except NotFound as missing:
                return error_message("not_found", str(missing))
        return {"type": "subscribed", "chat_session_id": str(session_id)}

    def _reply(self, message: dict[str, Any]) -> None:
        self._backlog.put(msgspec.json.encode(message))

    async def _send(self) -> None:
        with contextlib.suppress(WebSocketDisconnect, OSError):
            while True:
                await self._socket.send_data(await self._backlog.get())
