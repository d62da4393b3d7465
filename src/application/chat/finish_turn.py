"""Finishing a turn whose task has ended, whoever learns of the ending first: the event relay (the task's
ending event, finish_turns.py) or the next message to the session (send_message.py, visitors.py), which
finds the task ended before the relay's pass has come and so need not wait for it to start its turn.

Both finish the turn the same way, in the same transaction as what follows (the turns queued after it
started, a public turn's cost counted), holding the session's lock; whichever comes second finds the
turn final and leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentry.application.chat.ports import ChatTurnRepository, PublicChatSpend
from agentry.application.chat.start_turn import StartTurn
from agentry.application.errors import ApplicationError
from agentry.application.ports.clock import Clock
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.domain.chat.session import ChatSession, ChatTurn, TurnStatus
from agentry.domain.errors import DomainError
from agentry.domain.tasks.events import run_outcome
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.task import AgentTask

EXECUTIONS_MAX = 1_000  # a turn's task runs once; a worker lost mid-run may have it run again

ENDINGS = {
    "task.succeeded": TurnStatus.COMPLETED,
    "task.failed": TurnStatus.FAILED,
    "task.timed_out": TurnStatus.FAILED,
    "task.cancelled": TurnStatus.CANCELLED,
    "task.deleted": TurnStatus.CANCELLED,  # a waiting turn's task deleted by hand: the session goes on
}


@dataclass(frozen=True, slots=True)
class TurnEnding:
    outcome: TurnStatus
    ran: bool  # an execution ended with the task: it may have left an agent session to resume
    error: tuple[str, str] | None
    usage: dict[str, Any] | None

    @classmethod
    def of_event(cls, event_type: str, data: Mapping[str, Any]) -> TurnEnding:
        """From the task's ending event (one of ENDINGS)."""
        run, error = data.get("run"), data.get("error")
        if event_type == "task.deleted":
            error = {"code": "task_deleted", "message": "the turn's task was deleted"}
        return cls(
            ENDINGS[event_type],
            isinstance(run, Mapping),
            (str(error["code"]), str(error["message"])) if isinstance(error, Mapping) else None,
            _usage(run),
        )

    @classmethod
    def of_task(cls, task: AgentTask, run: TaskExecution | None) -> TurnEnding:
        """From the ended task and the execution it ended with (None: it ended without running, cancelled
        while waiting): what its ending event says of it."""
        error = {"code": task.error_code, "message": task.error_message} if task.error_code else None
        outcome = run_outcome(run, None) if run is not None else None
        return cls.of_event(f"task.{task.status.value}", {"error": error, "run": outcome})


@dataclass(frozen=True, slots=True)
class FinishTurn:
    turns: ChatTurnRepository
    start: StartTurn
    executions: ExecutionRepository
    spend: PublicChatSpend
    clock: Clock

    async def __call__(self, session: ChatSession, turn: ChatTurn, ending: TurnEnding) -> None:
        """Finish the session's turn (not final; the session locked) and start the turns queued after it."""
        now = self.clock.now()
        session.finish(turn, ending.outcome, now, resumable=ending.ran, error=ending.error, usage=ending.usage)
        if turn.public:
            await self._count_spend(session, turn, now)
        await self._start_next(session)

    async def if_ended(self, session: ChatSession) -> None:
        """The session's current turn (the session locked), if its task has ended already, finished now."""
        if session.current_turn_id is None:
            return
        found = await self.turns.with_task(session.current_turn_id)
        if found is None:
            return
        turn, task = found
        if turn.status.is_final or task is None or not task.status.is_terminal:
            return  # a deleted task is the relay's to tell (an ending may come before its deletion)
        run = None
        if task.started_at is not None:  # cleared whenever it waits again: it ended through its latest run
            latest = await self.executions.for_task(task.id, after_number=task.execution_count - 1, limit=1)
            run = latest[0] if latest else None
        await self(session, turn, TurnEnding.of_task(task, run))

    async def _count_spend(self, session: ChatSession, turn: ChatTurn, now: datetime) -> None:
        if turn.task_id is None:
            return
        executions = await self.executions.for_task(turn.task_id, limit=EXECUTIONS_MAX)
        cost = sum(e.usage.cost_usd for e in executions)
        if cost > 0:
            await self.spend.add(session.project_id, now.date(), cost)

    async def _start_next(self, session: ChatSession) -> None:
        """Queued turns start in order until one runs; one that cannot start fails with the reason."""
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
