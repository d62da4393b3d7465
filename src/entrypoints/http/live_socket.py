"""GET /api/v1/ws: one WebSocket carrying the live events of the tasks and projects a client follows.

JSON text frames, each with a `type`:

    client: {"type": "auth", "token": "<access or API token>"}   first, unless ?access_token= was given
    server: {"type": "authenticated"}                            or the socket closes with 4401
    client: {"type": "subscribe", "task_id": "…"} | {"type": "subscribe", "project_id": "…"}
            {"type": "unsubscribe", "task_id": "…"} | {"type": "unsubscribe", "project_id": "…"}
    server: {"type": "subscribed", "task_id": "…"}              events of it follow from then on
            {"type": "error", "code": "not_found" | "bad_request" | "too_many_subscriptions", "message": "…"}
            {"type": "task.status_changed" | "execution.log" | "task.result", …}    the events
            {"type": "lagged", "dropped": n}                    the n oldest waiting messages were dropped

A task or project the caller may not read is refused as not found, exactly as over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from uuid import UUID

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket, websocket
from litestar.channels import Subscriber
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from application.errors import NotFound, Unauthenticated
from application.identity.authenticate import Authenticate
from application.projects.watch_project import WatchProject
from application.tasks.get_task import GetTask
from domain.principal import Principal
from entrypoints.http.live_channels import Backlog, LiveChannels

UNAUTHENTICATED = 4401
AUTH_TIMEOUT_S = 10.0
MAX_SUBSCRIPTIONS = 100
TOPICS = ("task_id", "project_id")


@websocket("/ws")
async def live_socket(socket: WebSocket[Any, Any, Any], live: NamedDependency[LiveChannels]) -> None:
    await socket.accept()
    actor = await _authenticate(socket)
    if actor is not None:
        await LiveSession(socket, actor, live).serve()


async def _authenticate(socket: WebSocket[Any, Any, Any]) -> Principal | None:
    """The caller, or None once the socket is closed with 4401 and the reason."""
    token = socket.query_params.get("access_token")
    try:
        if token is None:
            token = await _auth_message(socket)
        async with _request_scope(socket) as request:
            authenticate = await request.get(Authenticate)
            principal: Principal = await authenticate(token)
            await socket.send_data(msgspec.json.encode({"type": "authenticated"}))
            return principal
    except Unauthenticated as refused:
        await socket.close(UNAUTHENTICATED, str(refused)[:120])
    except WebSocketDisconnect:
        pass
    return None


async def _auth_message(socket: WebSocket[Any, Any, Any]) -> str:
    try:
        async with asyncio.timeout(AUTH_TIMEOUT_S):
            message = _decode(await socket.receive_data("text"))
    except TimeoutError:
        raise Unauthenticated(f"no auth message within {AUTH_TIMEOUT_S:g} s") from None
    token = message.get("token") if message and message.get("type") == "auth" else None
    if not isinstance(token, str) or not token:
        raise Unauthenticated('the first message must be {"type": "auth", "token": "..."}')
    return token


class LiveSession:
    """One authenticated client: its subscriptions, each pumped into one backlog that one sender drains."""

    def __init__(self, socket: WebSocket[Any, Any, Any], actor: Principal, live: LiveChannels) -> None:
        self._socket = socket
        self._actor = actor
        self._live = live
        self._backlog = Backlog(live.backlog_limit)
        self._subscriptions: dict[str, tuple[Subscriber, asyncio.Task[None]]] = {}

    async def serve(self) -> None:
        sender = asyncio.create_task(self._send())
        try:
            while True:
                message = _decode(await self._socket.receive_data("text"))
                self._reply(await self._handle(message))
        except WebSocketDisconnect:
            pass
        finally:
            for subscriber, pump in self._subscriptions.values():
                await self._live.plugin.unsubscribe(subscriber)
                pump.cancel()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def _handle(self, message: dict[str, Any] | None) -> dict[str, Any]:
        kind = message.get("type") if message else None
        topics = [name for name in TOPICS if message and name in message]
        if kind not in ("subscribe", "unsubscribe") or len(topics) != 1:
            return _error(
                "bad_request", 'expected {"type": "subscribe" or "unsubscribe", "task_id" or "project_id": …}'
            )
        assert message is not None
        [topic] = topics
        try:
            topic_id = UUID(str(message[topic]))
        except ValueError:
            return _error("bad_request", f"{topic} must be a UUID")
        names = self._live.names
        channel = names.task(topic_id) if topic == "task_id" else names.project(topic_id)
        if kind == "unsubscribe":
            await self._unsubscribe(channel)
            return {"type": "unsubscribed", topic: str(topic_id)}
        if channel not in self._subscriptions:
            if len(self._subscriptions) >= MAX_SUBSCRIPTIONS:
                return _error("too_many_subscriptions", f"at most {MAX_SUBSCRIPTIONS} at once")
            try:
                await self._authorize(topic, topic_id)
            except NotFound as missing:
                return _error("not_found", str(missing))
            subscriber = await self._live.plugin.subscribe(channel)
            self._subscriptions[channel] = (subscriber, asyncio.create_task(self._pump(subscriber)))
        return {"type": "subscribed", topic: str(topic_id)}

    async def _authorize(self, topic: str, topic_id: UUID) -> None:
        async with _request_scope(self._socket) as request:
            if topic == "task_id":
                await (await request.get(GetTask))(self._actor, topic_id)
            else:
                await (await request.get(WatchProject))(self._actor, topic_id)

    async def _unsubscribe(self, channel: str) -> None:
        if channel in self._subscriptions:
            subscriber, _pump = self._subscriptions.pop(channel)
            await self._live.plugin.unsubscribe(subscriber)  # ends the pump

    def _reply(self, message: dict[str, Any]) -> None:
        """Replies queue behind the events already waiting, so a client sees them in order."""
        self._backlog.put(msgspec.json.encode(message))

    async def _pump(self, subscriber: Subscriber) -> None:
        async for payload in subscriber.iter_events():
            self._backlog.put(payload)

    async def _send(self) -> None:
        with contextlib.suppress(WebSocketDisconnect, OSError):
            while True:
                await self._socket.send_data(await self._backlog.get())


def _request_scope(socket: WebSocket[Any, Any, Any]) -> contextlib.AbstractAsyncContextManager[AsyncContainer]:
    """A request scope of its own for each question asked of the use cases, so the socket holds
    no database session between messages."""
    session: AsyncContainer = socket.state.dishka_container
    return session()


def _decode(text: str) -> dict[str, Any] | None:
    try:
        message = msgspec.json.decode(text)
    except msgspec.DecodeError:
        return None
    return message if isinstance(message, dict) else None


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}
