"""A chat session's replies as they stream: GET /api/v1/agent/chat/{session_id}/events (server-sent
events), and the same events on the WebSocket (socket.py).

Events, each a JSON object with `type`, `session_id`, `turn` (its number) and `turn_id`:

    chat.turn_started  {"task_id"}                     the agent begins a turn (queued turns wait for it)
    chat.delta         {"text"}                        a piece of the answer, in order
    chat.tool_use      {"id", "name", "input"}         the agent calls a tool
    chat.tool_result   {"id", "output", "is_error"}    what the tool gave back
    chat.completed     {"status": "succeeded"}         the turn is answered
    chat.failed        {"status", "error"}             it failed, timed out or was cancelled

Over SSE each event's `id` is `<turn>:<sequence>` (the sequence of the log line it comes from; `end`
for the turn's last event), and a client that reconnects with `Last-Event-ID` gets exactly what it
missed. The stream follows the session's turns one after another, from the turn being answered (or
the next one sent) on, and stays open between turns.

A turn is a task: its events are read from the task's log (stored) and its live channel (as the
worker writes it); the channel is subscribed before the log is read, so nothing falls between the two.
While no turn is being answered the session is read again when a turn is sent to it (its channel
`names.chat` says so; the follower listens for as long as it runs) or nudged (its own client sent one),
else every `idle_poll_max_s` (for word lost while Redis was away: a poll per follower every 2 s kept an
API process from holding 2,000 chat sockets). After a turn ends, and while one waits queued, the polls
start at `idle_poll_s` and grow to that; a queued turn is started by the event relay, and the follower
also listens to the session's project channel meanwhile, where its task's first event is told.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka import AsyncContainer
from litestar import Controller, Request, get
from litestar.channels import Subscriber
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, PathParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.channels.wire import decode, line_body
from agentry.application.chat.history import ReadTurns
from agentry.application.errors import NotFound
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.read_log import PAGE_MAX, ReadLog
from agentry.domain.chat.session import ChatTurn
from agentry.domain.principal import Principal
from agentry.domain.tasks.status import TaskStatus
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.log_order import TERMINAL
from agentry.entrypoints.http.live.scoped_reads import Scope, read_in_scope

END = "end"
EVENT_ID_PATTERN = "^[1-9][0-9]{0,8}:([0-9]{1,15}|end)$"
_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True, slots=True)
class ChatEvent:
    id: str  # "<turn>:<sequence>" or "<turn>:end"
    body: dict[str, Any]


def parse_position(last_event_id: str) -> tuple[int, int | None]:
    """(turn, the last sequence seen in it); None: the turn was seen to its end. Raises ValueError."""
    turn, _, sequence = last_event_id.partition(":")
    number = int(turn)
    if number < 1 or (sequence != END and int(sequence) < 0):
        raise ValueError(last_event_id)
    return number, None if sequence == END else int(sequence)


class ChatFollower:
    """Each read runs in a request scope of its own: a stream that lasts an hour holds no database
    connection in between."""

    idle_poll_s = 0.2
    idle_poll_max_s = 30.0

    def __init__(self, scope: Scope, live: LiveChannels, actor: Principal, session_id: UUID) -> None:
        self._scope = scope
        self._live = live
        self._actor = actor
        self._session_id = session_id
        self._stopped = asyncio.Event()
        self._nudged = asyncio.Event()

    def stop(self) -> None:
        """Ends `events` at its next wait. Its owner also cancels the task that reads them, but a
        cancellation can be lost on the way out of a turn's channel subscription, and a follower left
        running reads the session from the database every `idle_poll_max_s` seconds for good."""
        self._stopped.set()

    def nudge(self) -> None:
        """A turn was just sent to the session (by this follower's client): look now, not at the next poll."""
        self._nudged.set()

    async def start(self) -> int:
        """The turn to follow from when the client names none: the one answered now, or the next."""

        async def read(request: AsyncContainer) -> int:
            session, _ = await (await request.get(ReadTurns))(self._actor, self._session_id, first=1, limit=0)
            return session.turn_count + (0 if session.busy else 1)

        return await read_in_scope(self._scope, read)

    async def events(self, turn_number: int, after: int | None = -1) -> AsyncIterator[ChatEvent]:
        """From turn `turn_number` on, after the line `after` of it (-1: from its start, 0: after its
        `chat.turn_started`, None: after its end). Ends when the session is deleted, the caller may no
        longer see it, the follower is stopped, or the server stops."""
        if after is None:
            turn_number, after = turn_number + 1, -1
        async with contextlib.AsyncExitStack() as listening:
            await self._listen(listening, self._live.names.chat(self._session_id))
            async for event in self._turns(turn_number, after):
                yield event

    async def _wake_on(self, sent: Subscriber) -> None:
        async for _ in sent.iter_events():
            self.nudge()

    async def _turns(self, turn_number: int, after: int) -> AsyncIterator[ChatEvent]:
        wait = self.idle_poll_max_s  # a turn sent to an idle session wakes the follower
        queued: contextlib.AsyncExitStack | None = None  # while a turn waits: its project's channel wakes us
        try:
            while not (self._live.draining.is_set() or self._stopped.is_set()):
                project_id, turn = await self._turn(turn_number)
                if turn is None or turn.task_id is None:
                    if turn is not None and queued is None:
                        # The event relay starts it when the one before ends; its task's first event is told
                        # on the project's channel after that commit. Read again once listening.
                        queued = contextlib.AsyncExitStack()
                        await self._listen(queued, self._live.names.project(project_id))
                        wait = self.idle_poll_s
                        continue
                    await self._idle(wait)
                    wait = min(self.idle_poll_max_s, wait * 2)
                    continue
                if queued is not None:
                    await queued.aclose()
                    queued = None
                wait = self.idle_poll_s  # the next turn may be started as this one ends
                async for event in self._follow(turn, turn.task_id, after):
                    yield event
                turn_number, after = turn_number + 1, -1
        except NotFound:
            return
        finally:
            if queued is not None:
                await queued.aclose()

    async def _listen(self, stack: contextlib.AsyncExitStack, channel: str) -> None:
        """Until `stack` closes, any message on `channel` nudges the follower."""
        told = await stack.enter_async_context(self._live.plugin.start_subscription(channel))
        waking = asyncio.create_task(self._wake_on(told))
        stack.callback(waking.cancel)

    async def _idle(self, seconds: float) -> None:
        nudged = asyncio.ensure_future(self._nudged.wait())
        ended = asyncio.ensure_future(self._ended())
        try:
            await asyncio.wait((nudged, ended), timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            nudged.cancel()
            ended.cancel()
        self._nudged.clear()  # the read that follows sees what the nudge told of

    async def _ended(self) -> None:
        """Returns when the server stops or the follower is stopped."""
        stopping = asyncio.ensure_future(self._live.draining.wait())
        stopped = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait((stopping, stopped), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            stopped.cancel()

    async def _turn(self, number: int) -> tuple[UUID, ChatTurn | None]:
        """The session's project, and its turn `number` if it was sent."""

        async def read(request: AsyncContainer) -> tuple[UUID, list[ChatTurn]]:
            session, turns = await (await request.get(ReadTurns))(self._actor, self._session_id, first=number, limit=1)
            return session.project_id, list(turns)

        project_id, turns = await read_in_scope(self._scope, read)
        return project_id, turns[0] if turns and turns[0].number == number else None

    async def _follow(self, turn: ChatTurn, task_id: UUID, after: int) -> AsyncIterator[ChatEvent]:
        channel = self._live.names.task(task_id)
        async with self._live.plugin.start_subscription(channel) as subscriber:
            if after < 0:
                yield self._event(turn, "0", "chat.turn_started", task_id=str(task_id))
            last = max(after, 0)
            status = await self._task_status(task_id)
            for line in await self._read(task_id, last):
                last = line["sequence"]
                if (event := self._of_line(turn, line)) is not None:
                    yield event
            if status in TERMINAL:
                yield self._ending(turn, status)
                return
            payloads = subscriber.iter_events()
            while True:
                payload = await self._next(payloads)
                if payload is None:
                    return  # the server is stopping (the client resumes with the last id it saw), or no one listens
                told = decode(payload)
                if told["type"] == "execution.log":
                    lines = [line for line in told["lines"] if line["sequence"] > last]
                    if lines and lines[0]["sequence"] > last + 1:  # some were told before we listened
                        lines = await self._read(task_id, last)
                    for line in lines:
                        last = line["sequence"]
                        if (chat := self._of_line(turn, line)) is not None:
                            yield chat
                elif told["type"] == "task.status_changed" and told["status"] in TERMINAL:
                    for line in await self._read(task_id, last):
                        last = line["sequence"]
                        if (chat := self._of_line(turn, line)) is not None:
                            yield chat
                    yield self._ending(turn, told["status"])
                    return

    async def _next(self, payloads: AsyncIterator[bytes]) -> bytes | None:
        waiting = asyncio.ensure_future(anext(payloads))
        ended = asyncio.ensure_future(self._ended())
        try:
            await asyncio.wait((waiting, ended), return_when=asyncio.FIRST_COMPLETED)
            return waiting.result() if waiting.done() else None
        finally:
            for future in (waiting, ended):
                future.cancel()

    async def _task_status(self, task_id: UUID) -> str:
        async def read(request: AsyncContainer) -> str:
            task = await (await request.get(GetTask))(self._actor, task_id)
            return task.status.value

        return await read_in_scope(self._scope, read)

    async def _read(self, task_id: UUID, after: int) -> list[dict[str, Any]]:
        async def read(request: AsyncContainer) -> list[dict[str, Any]]:
            lines: list[dict[str, Any]] = []
            read_log = await request.get(ReadLog)
            position = after
            while True:
                page = await read_log(self._actor, task_id, after=position, limit=PAGE_MAX)
                lines += [line_body(line) for line in page.items]
                if len(page.items) < PAGE_MAX:
                    return lines
                position = page.next_after

        return await read_in_scope(self._scope, read)

    def _of_line(self, turn: ChatTurn, line: dict[str, Any]) -> ChatEvent | None:
        kind, data, position = str(line["kind"]), line.get("data") or {}, str(line["sequence"])
        if kind == "assistant":
            return self._event(turn, position, "chat.delta", text=line["message"])
        if kind == "tool_use":
            return self._event(
                turn,
                position,
                "chat.tool_use",
                id=data.get("tool_use_id"),
                name=line["message"],
                input=data.get("input"),
            )
        if kind == "tool_result":
            return self._event(
                turn,
                position,
                "chat.tool_result",
                id=data.get("tool_use_id"),
                output=line["message"],
                is_error=bool(data.get("is_error")),
            )
        return None

    def _ending(self, turn: ChatTurn, status: str) -> ChatEvent:
        if status == TaskStatus.SUCCEEDED.value:
            return self._event(turn, END, "chat.completed", status=status)
        return self._event(turn, END, "chat.failed", status=status)

    def _event(self, turn: ChatTurn, position: str, kind: str, **fields: Any) -> ChatEvent:
        body = {"type": kind, "session_id": str(self._session_id), "turn": turn.number, "turn_id": str(turn.id)}
        return ChatEvent(f"{turn.number}:{position}", body | fields)


class ChatEventsController(Controller):
    security = REQUIRES_BEARER
    path = "/agent/chat"
    tags = ("chat",)

    @get(
        "/{session_id:uuid}/events",
        summary="Follow a chat session's replies (server-sent events)",
        description="chat.turn_started, chat.delta, chat.tool_use, chat.tool_result, chat.completed and chat.failed, "
        "turn after turn; each event's id is `<turn>:<sequence>`: reconnect with `Last-Event-ID` to resume. Without "
        "it the stream starts at the turn being answered, or the next one sent.",
        responses={
            200: ResponseSpec(
                str, description="An event stream", media_type="text/event-stream", generate_examples=False
            ),
            **problem_responses(
                400, 401, 404, when={400: "the Last-Event-ID is not an id this stream gave (`<turn>:<sequence>`)"}
            ),
        },
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        session_id: Annotated[UUID, PathParameter(description="The chat session's id")],
        actor: NamedDependency[Principal],
        live: NamedDependency[LiveChannels],
        last_event_id: Annotated[
            str | None,
            HeaderParameter(
                name="Last-Event-ID", required=False, pattern=EVENT_ID_PATTERN, description="`<turn>:<sequence>`"
            ),
        ] = None,
    ) -> ServerSentEvent:
        return await chat_events(request, actor, live, session_id, last_event_id)


async def chat_events(
    request: Request[Any, Any, Any],
    actor: Principal,
    live: LiveChannels,
    session_id: UUID,
    last_event_id: str | None,
) -> ServerSentEvent:
    """The stream of a session the actor may see (a 404 before it opens otherwise), from the turn after
    `last_event_id` (an id it gave), or the turn being answered now."""
    position: tuple[int, int | None] | None = None
    if last_event_id is not None:
        try:
            position = parse_position(last_event_id)
        except ValueError:
            raise ValidationException(
                f"Validation failed for GET {request.url.path}",
                extra=[{"message": "must be an event id this stream gave", "key": "Last-Event-ID", "source": "header"}],
            ) from None
    await (await request.state.dishka_container.get(AsyncSession)).close()  # see task_stream.py
    app_container: AsyncContainer = request.app.state.dishka_container
    follower = ChatFollower(app_container, live, actor, session_id)
    start = await follower.start()  # a session the caller may not see is a 404 before the stream opens
    turn, after = position if position is not None else (start, -1)
    return ServerSentEvent(_messages(follower.events(turn, after)))


async def _messages(events: AsyncIterator[ChatEvent]) -> AsyncIterator[ServerSentEventMessage]:
    async for event in events:
        yield ServerSentEventMessage(data=_encode(event.body).decode(), event=event.body["type"], id=event.id)
