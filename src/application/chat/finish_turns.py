"""Subscriber: when a chat turn's task ends, the turn ends with it, and the next queued turn starts.

It runs in the event relay's transaction: the turn's end (its `chat.turn_completed` or
`chat.turn_failed` event) and the next turn's task are committed with the mark that the task's event
was handed out, or not at all (then the relay hands the event out again; a turn already finished is
left as it is). A next turn that cannot start (its runner is no longer allowed, the budget is spent)
fails at once with the reason, and the one after it is tried.

A visitor's turn (asked in a project's public chat) adds what its task's executions cost to the public
chat's spend of the day it ended, in the same transaction: the daily cost cap counts it from then on,
whatever becomes of the visitor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository, PublicChatSpend
from agentry.application.chat.start_turn import StartTurn
from agentry.application.errors import ApplicationError
from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.clock import Clock
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.domain.chat.session import ChatSession, ChatTurn, TurnStatus
from agentry.domain.errors import DomainError

EXECUTIONS_MAX = 1_000  # a turn's task runs once; a worker lost mid-run may have it run again

ENDINGS = {
    "task.succeeded": TurnStatus.COMPLETED,
    "task.failed": TurnStatus.FAILED,
    "task.timed_out": TurnStatus.FAILED,
    "task.cancelled": TurnStatus.CANCELLED,
    "task.deleted": TurnStatus.CANCELLED,  # a waiting turn's task deleted by hand: the session goes on
}


@dataclass(slots=True)
class FinishChatTurns:
    """Made for each relay pass: `prepare` reads which of the batch's ended tasks are chat turns' in one
    statement, and the endings of the others (nearly all, on a busy service) cost nothing."""

    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    start: StartTurn
    executions: ExecutionRepository
    spend: PublicChatSpend
    clock: Clock
    _turn_tasks: set[UUID] | None = field(default=None, init=False)  # of the batch, once prepared

    @property
    def name(self) -> str:
        return "chat.turns"

    def wants(self, event_type: str) -> bool:
        return event_type in ENDINGS

    async def prepare(self, batch: Sequence[StoredEvent]) -> None:
        ended = {stored.event.aggregate_id for stored in batch if stored.event.type in ENDINGS}
        self._turn_tasks = await self.turns.tasks_with_turns(ended)

    async def handle(self, stored: StoredEvent) -> None:
        event = stored.event
        if self._turn_tasks is not None and event.aggregate_id not in self._turn_tasks:
            return  # not a turn's task: a turn made in this pass asks for a task whose events come later
        turn = await self.turns.by_task(event.aggregate_id)
        if turn is None or turn.status.is_final:
            return
        session = await self.sessions.get(turn.session_id, for_update=True)
        if session is None:
            return
        data = event.data
        run = data.get("run")
        error = data.get("error")
        if event.type == "task.deleted":
            error = {"code": "task_deleted", "message": "the turn's task was deleted"}
        now = self.clock.now()
        session.finish(
            turn,
            ENDINGS[event.type],
            now,
            resumable=isinstance(run, Mapping),  # it ran: it may have left a session (asked at the next start)
            error=(str(error["code"]), str(error["message"])) if isinstance(error, Mapping) else None,
            usage=_usage(run),
        )
        if turn.public:
            await self._count_spend(session, turn, now)
        await self.start_next(session)

    async def _count_spend(self, session: ChatSession, turn: ChatTurn, now: datetime) -> None:
        if turn.task_id is None:
            return
        executions = await self.executions.for_task(turn.task_id, limit=EXECUTIONS_MAX)
        cost = sum(e.usage.cost_usd for e in executions)
        if cost > 0:
            await self.spend.add(session.project_id, now.date(), cost)

    async def start_next(self, session: ChatSession) -> None:
        while not session.busy and (turn := await self.turns.next_queued(session.id)) is not None:
            now = self.clock.now()
            try:
                await self.start(session, turn, now)
            except (DomainError, ApplicationError) as refused:
                session.finish(turn, TurnStatus.FAILED, now, error=("not_started", str(refused)))


def _usage(run: Any) -> dict[str, Any] | None:
    if not isinstance(run, Mapping):
        return None
    usage = run.get("usage")
    return dict(usage) if isinstance(usage, Mapping) else None
