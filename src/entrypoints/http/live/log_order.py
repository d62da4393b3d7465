"""A task's log lines to one live follower (server-sent events, the WebSocket, a GraphQL subscription)
in order, each once, without gaps, and before what was announced after them.

The lines of a live batch can come late, twice or never. The worker announces a batch once it is
stored, while the event relay (another process, perhaps) announces how the run ended: a run's last
lines are stored in the same transaction as its ending, and the relay can announce the ending first.
A batch can also be announced before the follower subscribed, or be lost. The database holds every
line before it is announced, so the follower completes the log from there:
- a live batch that skips lines comes after the skipped lines, read from the database;
- at a run's end (its result, or the task's final status), the lines it has not sent yet are read.

`Line` is a line as the wire shows it (adapters/channels/wire.py): what a live batch holds, and what a
stored line becomes here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

import msgspec

from agentry.adapters.channels.wire import decode, line_body
from agentry.application.errors import NotFound
from agentry.application.tasks.read_log import PAGE_MAX
from agentry.domain.tasks.logs import LogLine
from agentry.domain.tasks.status import TaskStatus

Line = dict[str, Any]
Lines = tuple[int, list[Line]]  # an execution's number and some of its lines, in order
ReadLines = Callable[[int, int, int], Awaitable[Sequence[LogLine]]]  # (execution, after, limit ≤ PAGE_MAX)
TERMINAL = frozenset(status.value for status in TaskStatus if status.is_terminal)
_TASK_EVENTS = (b'{"type":"execution.log"', b'{"type":"task.result"', b'{"type":"task.status_changed"')
_encoder = msgspec.json.Encoder()


class _Sequence(msgspec.Struct):
    sequence: int


class _Head(msgspec.Struct):
    """What the order needs of a task's live event (adapters/channels/wire.py); the rest is skipped."""

    type: str
    execution: int = 0
    status: str = ""
    lines: list[_Sequence] = []


_heads = msgspec.json.Decoder(_Head)


class LogInOrder:
    """Where a follower is in a task's log: the execution it follows (0: none yet) and the last line sent
    of it. `read` reads stored lines (as the follower may: its reads are authorized)."""

    def __init__(self, read: ReadLines, number: int = 0, last: int = 0) -> None:
        self._read = read
        self.number = number
        self.last = last

    def takes(self, number: int, first: int, last: int) -> bool:
        """Whether a live batch of lines `first` to `last` of execution `number` comes right after the
        last line sent (it is then sent as it came, and noted); if not, `live` sorts it out."""
        after = self.last if number == self.number else 0 if number > self.number else -1
        if first != after + 1 or last < first:
            return False
        self.number, self.last = number, last
        return True

    async def live(self, number: int, lines: Sequence[Line]) -> AsyncIterator[Lines]:
        """A live batch of execution `number`: the lines it skipped (from the database), then its own
        lines not sent yet. A batch of an execution older than the one followed is not sent."""
        if number < self.number:
            return
        if number > self.number:  # a new execution (a retry): its lines start again from 1
            self.number, self.last = number, 0
        fresh = [line for line in lines if line["sequence"] > self.last]
        if fresh and fresh[0]["sequence"] > self.last + 1:
            async for stored in self._stored(before=fresh[0]["sequence"]):
                yield stored
            fresh = [line for line in fresh if line["sequence"] > self.last]
        if fresh:
            self.last = fresh[-1]["sequence"]
            yield number, fresh

    async def to_end(self, latest: int) -> AsyncIterator[Lines]:
        """At a run's end: the lines not sent yet of the execution followed, then, if `latest` (the
        task's latest execution) is newer, those of `latest` (executions in between are passed over, as
        a follower that reconnects sees only the latest one)."""
        if self.number and self.number <= latest:
            async for stored in self._stored():
                yield stored
        if latest > self.number:
            self.number, self.last = latest, 0
            async for stored in self._stored():
                yield stored

    async def _stored(self, before: int | None = None) -> AsyncIterator[Lines]:
        """The followed execution's stored lines after the last one sent (and before `before`), a page at
        a time."""
        while True:
            wanted = PAGE_MAX if before is None else min(PAGE_MAX, before - self.last - 1)
            if wanted <= 0:
                return
            read = await self._read(self.number, self.last, wanted)
            page = [line_body(line) for line in read if before is None or line.sequence < before]
            if page:
                self.last = page[-1]["sequence"]
                yield self.number, page
            if len(read) < wanted or len(page) < len(read):
                return


class TaskEventsInOrder:
    """The live events of one task, as they travel on its channel, for a follower that forwards them as
    they are (the WebSocket, a GraphQL subscription), with its log in order (LogInOrder): a batch that
    needs nothing is forwarded untouched; lines read from the database go out as batches of their own.

    The log is followed from the subscription on: a run's lines announced before it are sent only if a
    later batch of that run shows them missing, or at the run's end. `latest` reads the task's latest
    execution number (as the follower may: NotFound once it may not; the event is then dropped, as its
    recheck will end the subscription)."""

    def __init__(self, task_id: UUID, project_id: UUID, read: ReadLines, latest: Callable[[], Awaitable[int]]) -> None:
        self._task_id = str(task_id)
        self._project_id = str(project_id)
        self._log = LogInOrder(read)
        self._latest = latest
        self._ended = 0  # the latest execution whose result was heard: its lines were read to the end then

    async def of(self, payload: bytes) -> AsyncIterator[bytes]:
        if not payload.startswith(_TASK_EVENTS):
            yield payload
            return
        head = _heads.decode(payload)  # what the order needs, without building every line
        pages: AsyncIterator[Lines] | None = None
        try:
            if head.type == "execution.log":
                if head.lines and self._log.takes(head.execution, head.lines[0].sequence, head.lines[-1].sequence):
                    yield payload  # the next lines, as they came: the usual case
                    return
                lines = decode(payload)["lines"]
                async for number, page in self._log.live(head.execution, lines):
                    whole = len(page) == len(lines) and page[0]["sequence"] == lines[0]["sequence"]
                    yield payload if whole else self._batch(number, page)  # the batch as it came, or part
                return
            if head.type == "task.result":  # after the lines of the run it ends
                self._ended = max(self._ended, head.execution)
                pages = self._log.to_end(head.execution)
            elif head.type == "task.status_changed" and head.status in TERMINAL and not self._ended:
                pages = self._log.to_end(await self._latest())  # ended with no result heard: read
            if pages is not None:
                async for number, page in pages:
                    yield self._batch(number, page)
        except NotFound:  # the task is gone, or the follower may no longer read it: its recheck ends it
            return
        yield payload

    def _batch(self, number: int, lines: list[Line]) -> bytes:
        body = {"type": "execution.log", "task_id": self._task_id, "project_id": self._project_id}
        return _encoder.encode(body | {"execution": number, "lines": lines})
