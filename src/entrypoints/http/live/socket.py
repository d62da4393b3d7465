"""GET /api/v1/ws: one WebSocket carrying the live events of the tasks and projects a client follows.

JSON text frames, each with a `type`:

    client: {"type": "auth", "token": "<access or API token>"}   first, unless ?access_token= was given;
                                                                 again with a fresh token at any time
    server: {"type": "authenticated"}                            or the socket closes with 4401
    client: {"type": "subscribe", "task_id": "…"} | {"type": "subscribe", "project_id": "…"}
            {"type": "unsubscribe", "task_id": "…"} | {"type": "unsubscribe", "project_id": "…"}
    server: {"type": "subscribed", "task_id": "…"}              events of it follow from then on
            {"type": "error", "code": "not_found" | "bad_request" | "too_many_subscriptions", "message": "…"}
            {"type": "task.status_changed" | "execution.log" | "task.result", …}    the events; a task's
                                                                 log lines in order, each once, and before
                                                                 its run's result and final status (lines
                                                                 a batch skipped are read from the database)
            {"type": "document.ingested" | "document.failed" | "document.deleted", "document_id",
             "project_id", "title", "status", "chunk_count", "error", "at"}   a project's documents (to
                                                                 those who may read its documents)
            {"type": "entity.created" | "entity.updated" | "entity.merged" | "entity.deleted"
                     | "relationship.created" | "relationship.updated" | "relationship.deleted",
             "entity_id" | "relationship_id", "project_id", "data", "at"}   a project's knowledge graph
                                                                 (to those who may read it)
            {"type": "publication.created" | ".updated" | ".submitted" | ".withdrawn" | ".published" |
             ".archived" | ".unpublished" | ".deleted", "publication_id", "project_id", "title", "status",
             "by", "at"}                                         a project's publications (to those who
                                                                 may read its publications)
            {"type": "lagged", "dropped": n}                    the n oldest waiting messages were dropped
            {"type": "unsubscribed", "task_id": "…", "reason": "…"}  the caller may no longer read it

Chat, on the same socket (chat_stream.py tells the events):

    client: {"type": "chat.send", "message": "…", "session_id"?: "…", "project_id"?: "…", "options"?: {…}}
    server: {"type": "chat.accepted", "session_id", "turn_id", "turn", "status", "task_id"}, then the
            session's chat.* events from that turn on (the socket follows the session from then on)
            {"type": "error", "code": "not_found" | "bad_request" | "conflict" | "forbidden", …}
    client: {"type": "subscribe" | "unsubscribe", "chat_session_id": "…"}   follow a session (or stop)

A task or project the caller may not read is refused as not found, exactly as over HTTP. Every
`recheck_s` seconds the socket checks its token again (an expired, revoked or deactivated one closes
it with 4401: send a fresh token before the old one expires) and whether each subscription may still
be read (one that may not is ended with `unsubscribed` and a reason). When the server stops, the
socket closes with 1001 (going away): reconnect to another API process, or later.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import UUID

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket, websocket
from litestar.channels import Subscriber
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from agentry.application.chat.send_message import SendMessage, SendMessageCommand
from agentry.application.documents.read import WatchDocuments
from agentry.application.errors import NotFound, Unauthenticated
from agentry.application.identity.authenticate import Authenticate
from agentry.application.knowledge.read import WatchKnowledge
from agentry.application.projects.watch_project import WatchProject
from agentry.application.publishing.read import WatchPublications
from agentry.application.tasks.get_task import GetTask
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask
from agentry.entrypoints.http.kit.chat_send import ChatSend
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.log_order import TaskEventsInOrder
from agentry.entrypoints.http.live.scoped_reads import StoredLog
from agentry.entrypoints.http.live.socket_messages import (
    UNAUTHENTICATED,
    auth_message,
    error_message,
    request_scope,
)
from agentry.entrypoints.http.live.socket_session import Sent, SocketSession

MAX_SUBSCRIPTIONS = 100
TOPICS = ("task_id", "project_id")
DOCUMENT_EVENT = b'{"type":"document.'  # how a document's live event starts on the wire (adapters/channels/wire.py)
KNOWLEDGE_EVENTS = (b'{"type":"entity.', b'{"type":"relationship.')  # and an entity's or relationship's
PUBLICATION_EVENT = b'{"type":"publication.'  # and a publication's


@websocket("/ws")
async def live_socket(socket: WebSocket[Any, Any, Any], live: NamedDependency[LiveChannels]) -> None:
    await socket.accept()
    token = socket.query_params.get("access_token")
    try:
        if token is None:
            token = await _auth_message(socket, live.max_json_depth)
        actor = await _principal(socket, token)
        await socket.send_data(msgspec.json.encode({"type": "authenticated"}))
    except Unauthenticated as refused:
        await socket.close(UNAUTHENTICATED, str(refused)[:120])
        return
    except WebSocketDisconnect:
        return
    await LiveSession(socket, actor, token, live).serve()


async def _principal(socket: WebSocket[Any, Any, Any], token: str) -> Principal:
    async with request_scope(socket) as request:
        authenticate = await request.get(Authenticate)
        principal: Principal = await authenticate(token)
        return principal


async def _auth_message(socket: WebSocket[Any, Any, Any], max_depth: int) -> str:
    token = (await auth_message(socket, max_depth)).get("token")
    if not isinstance(token, str) or not token:
        raise Unauthenticated('the first message must be {"type": "auth", "token": "..."}')
    return token


@dataclass(frozen=True, slots=True)
class Subscription:
    topic: str  # task_id or project_id
    topic_id: UUID
    subscriber: Subscriber
    pump: asyncio.Task[None]


class LiveSession(SocketSession):
    """One authenticated client: its subscriptions, each pumped into one backlog that one sender drains."""

    max_followed = MAX_SUBSCRIPTIONS  # task and project channels and chat sessions together

    def __init__(self, socket: WebSocket[Any, Any, Any], actor: Principal, token: str, live: LiveChannels) -> None:
        super().__init__(socket, actor, live)
        self._token = token
        self._subscriptions: dict[str, Subscription] = {}
        self._document_readers: set[UUID] = set()  # the followed projects whose documents the actor may read
        self._knowledge_readers: set[UUID] = set()  # the followed projects whose knowledge graph the actor may read
        self._publication_readers: set[UUID] = set()  # and whose publications

    def _followed(self) -> int:
        return len(self._subscriptions) + len(self._chats)

    async def _stop_following(self) -> None:
        for subscription in self._subscriptions.values():
            await self._live.plugin.unsubscribe(subscription.subscriber)
            subscription.pump.cancel()
        await super()._stop_following()

    async def _recheck(self) -> None:
        """Returns once the token no longer holds, after closing the socket with 4401."""
        while True:
            await asyncio.sleep(self._live.recheck_s)
            try:
                self._actor = await _principal(self._socket, self._token)
            except Unauthenticated as refused:
                with contextlib.suppress(WebSocketDisconnect, OSError, RuntimeError):
                    await self._socket.close(UNAUTHENTICATED, str(refused)[:120])
                return
            for channel, subscription in list(self._subscriptions.items()):
                try:
                    await self._authorize(subscription.topic, subscription.topic_id)
                except NotFound as gone:
                    await self._unsubscribe(channel)
                    self._reply(
                        {"type": "unsubscribed", subscription.topic: str(subscription.topic_id), "reason": str(gone)}
                    )

    async def _reauthenticate(self, message: dict[str, Any]) -> dict[str, Any]:
        token = message.get("token")
        if not isinstance(token, str) or not token:
            return error_message("bad_request", 'expected {"type": "auth", "token": "..."}')
        try:
            actor = await _principal(self._socket, token)
        except Unauthenticated as refused:
            return error_message("unauthenticated", str(refused))
        if actor.id != self._actor.id:
            return error_message("bad_request", "a socket stays with the user it was opened for")
        self._actor, self._token = actor, token
        return {"type": "authenticated"}

    async def _handle(self, message: dict[str, Any] | None) -> dict[str, Any] | None:
        kind = message.get("type") if message else None
        if kind == "auth":
            assert message is not None
            return await self._reauthenticate(message)
        if kind == "chat.send":
            assert message is not None
            return await self._chat_send(partial(self._send_message, message))
        if message and "chat_session_id" in message and kind in ("subscribe", "unsubscribe"):
            return await self._chat_subscription(kind == "subscribe", message["chat_session_id"])
        topics = [name for name in TOPICS if message and name in message]
        if kind not in ("subscribe", "unsubscribe") or len(topics) != 1:
            return error_message(
                "bad_request", 'expected {"type": "subscribe" or "unsubscribe", "task_id" or "project_id": …}'
            )
        assert message is not None
        [topic] = topics
        try:
            topic_id = UUID(str(message[topic]))
        except ValueError:
            return error_message("bad_request", f"{topic} must be a UUID")
        names = self._live.names
        channel = names.task(topic_id) if topic == "task_id" else names.project(topic_id)
        if kind == "unsubscribe":
            await self._unsubscribe(channel)
            return {"type": "unsubscribed", topic: str(topic_id)}
        if channel not in self._subscriptions:
            if len(self._subscriptions) >= MAX_SUBSCRIPTIONS:
                return error_message("too_many_subscriptions", f"at most {MAX_SUBSCRIPTIONS} at once")
            try:
                task = await self._authorize(topic, topic_id)
            except NotFound as missing:
                return error_message("not_found", str(missing))
            subscriber = await self._live.plugin.subscribe(channel)
            pump = asyncio.create_task(self._pump_task(subscriber, task) if task else self._pump(subscriber, topic_id))
            self._subscriptions[channel] = Subscription(topic, topic_id, subscriber, pump)
        return {"type": "subscribed", topic: str(topic_id)}

    async def _send_message(self, message: dict[str, Any], request: AsyncContainer) -> Sent:
        body = msgspec.convert({k: v for k, v in message.items() if k != "type"}, ChatSend)
        command = SendMessageCommand(body.message, body.session_id, body.project_id, body.options_raw())
        return await (await request.get(SendMessage))(self._actor, command)

    async def _authorize(self, topic: str, topic_id: UUID) -> AgentTask | None:
        """The task followed (None for a project), if the caller may read it."""
        async with request_scope(self._socket) as request:
            if topic == "task_id":
                task: AgentTask = await (await request.get(GetTask))(self._actor, topic_id)
                return task
            await (await request.get(WatchProject))(self._actor, topic_id)
            if await (await request.get(WatchDocuments))(self._actor, topic_id):
                self._document_readers.add(topic_id)
            else:
                self._document_readers.discard(topic_id)
            if await (await request.get(WatchKnowledge))(self._actor, topic_id):
                self._knowledge_readers.add(topic_id)
            else:
                self._knowledge_readers.discard(topic_id)
            if await (await request.get(WatchPublications))(self._actor, topic_id):
                self._publication_readers.add(topic_id)
            else:
                self._publication_readers.discard(topic_id)
            return None

    async def _unsubscribe(self, channel: str) -> None:
        if channel in self._subscriptions:
            subscription = self._subscriptions.pop(channel)
            await self._live.plugin.unsubscribe(subscription.subscriber)  # ends the pump

    async def _pump_task(self, subscriber: Subscriber, task: AgentTask) -> None:
        """A task's events, its log in order (log_order.py)."""
        stored = StoredLog(partial(request_scope, self._socket), lambda: self._actor, task.id)
        in_order = TaskEventsInOrder(task.id, task.project_id, stored.read, stored.latest)
        async for payload in subscriber.iter_events():
            async for event in in_order.of(payload):
                self._backlog.put(event)

    async def _pump(self, subscriber: Subscriber, project_id: UUID | None) -> None:
        """A project's document events reach only a reader of its documents, its knowledge graph's events
        only a reader of its graph, its publications' events only a reader of its publications."""
        async for payload in subscriber.iter_events():
            if payload.startswith(DOCUMENT_EVENT) and project_id not in self._document_readers:
                continue
            if payload.startswith(KNOWLEDGE_EVENTS) and project_id not in self._knowledge_readers:
                continue
            if payload.startswith(PUBLICATION_EVENT) and project_id not in self._publication_readers:
                continue
            self._backlog.put(payload)
