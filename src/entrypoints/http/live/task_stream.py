"""GET /api/v1/tasks/{id}/events: one task's progress as server-sent events.

The log of the task's latest execution after `Last-Event-ID` (or `?after=`) comes first, read from
the database; then the task's current status; then what happens live. Every log line is an
`event: log` whose `id` is its sequence number, so a client that reconnects with the last id it
saw gets exactly the lines it missed. Status changes are `event: status`, run outcomes `event:
result`. The stream ends once the task has reached a final status and its last lines are sent.

While nothing happens, a comment (`: keep-alive`) goes out every KEEP_ALIVE_S seconds, so proxies
and clients can tell a quiet task from a dead connection; each also re-reads the task, so a stream
ends once the task is deleted or the caller may no longer read it.

When the server stops, the stream ends after the event it is sending; the client reconnects with
the last id it saw.

The channel is subscribed before the database is read, so nothing falls between the two; a line
that arrives both ways is sent once, a live batch that skips lines (announced before the
subscription, or lost) is completed from the database first, and a run's result and the final status
come after all its lines (log_order.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka import AsyncContainer
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, PathParameter, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.channels.wire import decode, encode
from agentry.application.errors import NotFound
from agentry.application.ports.live_events import TaskStatusChanged
from agentry.application.tasks.get_task import GetTask
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.log_order import TERMINAL, Lines, LogInOrder
from agentry.entrypoints.http.live.scoped_reads import StoredLog, read_in_scope

POSITION_MAX = 2**53
KEEP_ALIVE_S = 15.0
TaskId = Annotated[UUID, PathParameter(description="The task's id")]
Actor = NamedDependency[Principal]
Live = NamedDependency[LiveChannels]


class TaskEventsController(Controller):
    security = REQUIRES_BEARER
    path = "/tasks"
    tags = ("tasks",)

    @get(
        "/{task_id:uuid}/events",
        summary="Follow a task live (server-sent events)",
        description="Replays the latest execution's log after `Last-Event-ID` (or `after`), then follows live: "
        "`log` events (id: the line's sequence number), `status` and `result` events; ends after the final status.",
        responses={
            200: ResponseSpec(
                str, description="An event stream", media_type="text/event-stream", generate_examples=False
            ),
            **problem_responses(400, 401, 404),
        },
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        task_id: TaskId,
        actor: Actor,
        live: Live,
        after: Annotated[
            int | None, QueryParameter(ge=0, le=POSITION_MAX, description="Sequence number to replay after")
        ] = None,
        last_event_id: Annotated[
            int | None, HeaderParameter(name="Last-Event-ID", ge=0, le=POSITION_MAX, required=False)
        ] = None,
    ) -> ServerSentEvent:
        if last_event_id is None and "last-event-id" in request.headers:  # Litestar reads `null` as absent
            raise ValidationException(
                f"Validation failed for GET {request.url.path}",
                extra=[{"message": "must be a sequence number", "key": "Last-Event-ID", "source": "header"}],
            )
        # Authenticating used the request's session: give its connection back for as long as the
        # stream lasts (the embedded profile has a single one); the follower reads in scopes of its own.
        await (await request.state.dishka_container.get(AsyncSession)).close()
        app_container: AsyncContainer = request.app.state.dishka_container
        follower = TaskFollower(app_container, live, actor, task_id)
        await follower.task()  # a task the caller may not read is a 404 before the stream opens
        start = last_event_id if last_event_id is not None else (after or 0)
        return ServerSentEvent(follower.events(start))


class TaskFollower:
    """Each database read runs in a request scope of its own (not the request's), to its end (see
    scoped_reads.py)."""

    keep_alive_s = KEEP_ALIVE_S

    def __init__(self, container: AsyncContainer, live: LiveChannels, actor: Principal, task_id: UUID) -> None:
        self._container = container
        self._live = live
        self._actor = actor
        self._task_id = task_id
        self._stored = StoredLog(container, lambda: actor, task_id)
        self._log = LogInOrder(self._stored.read)  # where the stream is in the task's log
        self._status_sent = ("", "")  # the last status sent, and when it was reached (ISO 8601 in UTC)

    async def events(self, after: int) -> AsyncIterator[ServerSentEventMessage]:
        async with self._live.plugin.start_subscription(self._live.names.task(self._task_id)) as subscriber:
            try:
                task = await self.task()
                self._log.number, self._log.last = task.execution_count, after
                async for message in self._lines(self._log.to_end(task.execution_count)):
                    yield message
                yield self._status(encode(TaskStatusChanged.of(task)), task.updated_at.isoformat())
                if task.status.is_terminal:
                    return
                events = _ticking(self._live.draining, subscriber.iter_events(), self.keep_alive_s)
                async for payload in events:
                    if payload is None:
                        await self.task()  # still there, and still the caller's to read
                        yield ServerSentEventMessage(comment="keep-alive")
                        continue
                    event = decode(payload)
                    if event["type"] == "execution.log":
                        async for message in self._lines(self._log.live(event["execution"], event["lines"])):
                            yield message
                    elif event["type"] == "task.result":  # after the lines of the run it ends
                        async for message in self._lines(self._log.to_end(event["execution"])):
                            yield message
                        yield ServerSentEventMessage(data=payload.decode(), event="result")
                    elif event["type"] == "task.status_changed":
                        if not self._newer(event["status"], event["at"]):
                            continue  # reached before the status this stream began with: already told
                        if event["status"] in TERMINAL:
                            async for message in self._lines(self._log.to_end(await self._stored.latest())):
                                yield message
                            yield self._status(payload, event["at"])
                            return
                        yield self._status(payload, event["at"])
            except NotFound:  # the task was deleted, or the caller lost access to it
                return

    async def _lines(self, pages: AsyncIterator[Lines]) -> AsyncIterator[ServerSentEventMessage]:
        async for number, lines in pages:
            for line in lines:
                data = msgspec.json.encode({"execution": number, **line}).decode()
                yield ServerSentEventMessage(data=data, event="log", id=line["sequence"])

    def _newer(self, status: str, at: str) -> bool:
        """Whether a status change came after the last one sent (a status announced late, after the
        stream read a later one from the database, is not sent: the stream never goes back)."""
        sent_status, sent_at = self._status_sent
        return _utc(at) > sent_at or (_utc(at) == sent_at and status != sent_status)

    def _status(self, payload: bytes, at: str) -> ServerSentEventMessage:
        self._status_sent = (decode(payload)["status"], _utc(at))
        return ServerSentEventMessage(data=payload.decode(), event="status")

    async def task(self) -> AgentTask:
        async def read(request: AsyncContainer) -> AgentTask:
            task: AgentTask = await (await request.get(GetTask))(self._actor, self._task_id)
            return task

        return await read_in_scope(self._container, read)


async def _ticking(stop: asyncio.Event, events: AsyncIterator[bytes], every_s: float) -> AsyncIterator[bytes | None]:
    """The events, with a None whenever `every_s` seconds pass without one, until `stop` is set."""
    stopping = asyncio.ensure_future(stop.wait())
    waiting: asyncio.Future[bytes] | None = None
    try:
        while True:
            if waiting is None:
                waiting = asyncio.ensure_future(anext(events))
            await asyncio.wait((waiting, stopping), timeout=every_s, return_when=asyncio.FIRST_COMPLETED)
            if stopping.done():
                return
            if not waiting.done():
                yield None
                continue
            arrived, waiting = waiting, None
            try:
                event = arrived.result()
            except StopAsyncIteration:
                return
            yield event
    finally:
        pending = [future for future in (waiting, stopping) if future is not None]
        for future in pending:
            future.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def _utc(at: str) -> str:
    """A moment in the one form that compares as text: ISO 8601 in UTC, to the microsecond."""
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UTC).isoformat(timespec="microseconds")
