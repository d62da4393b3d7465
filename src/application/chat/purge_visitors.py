"""Housekeeping: expired visitors of public chats go with their chat sessions, their turns' tasks
(logs, results) and their workspaces, a batch at a time. A visitor whose agent is still answering is
kept for the next round, its turn cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from agentry.application.access import require
from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository, ChatVisitorRepository, Workspaces
from agentry.application.chat.sessions import erase_session
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.run_signals import StopRequests
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.chat.session import ChatSession
from agentry.domain.chat.visitor import ChatVisitor
from agentry.domain.principal import Principal
from agentry.domain.tasks.status import TaskStatus

BATCH = 50


@dataclass(frozen=True, slots=True)
class PurgeExpiredVisitors:
    visitors: ChatVisitorRepository
    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    tasks: TaskRepository
    workspaces: Workspaces
    stops: StopRequests
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal) -> int:
        """Delete one batch of expired visitors (those not answering now); how many."""
        require(self.policy, actor, Action.DISPATCH_WORK)
        now = self.clock.now()
        workspaces: list[UUID] = []
        stopping: list[UUID] = []
        deleted = 0
        for visitor in await self.visitors.expired(now, BATCH):
            sessions = await self.sessions.of_owner(visitor.id, archived=None, before=None, limit=1_000_000)
            if busy := [s for s in sessions if s.busy]:
                stopping += await self._cancel(busy, now)
                continue
            workspaces += await self._erase(visitor, sessions, now)
            deleted += 1
        await self.uow.commit()
        for task_id in stopping:
            await self.stops.request_stop(task_id)
        for workspace in workspaces:
            await self.workspaces.remove(workspace)
        return deleted

    async def _erase(self, visitor: ChatVisitor, sessions: list[ChatSession], now: datetime) -> list[UUID]:
        workspaces: list[UUID] = []
        for session in sessions:
            if (workspace := await erase_session(self.sessions, self.turns, self.tasks, session, now)) is not None:
                workspaces.append(workspace)
        await self.visitors.remove(visitor)
        return workspaces

    async def _cancel(self, sessions: list[ChatSession], now: datetime) -> list[UUID]:
        stopping: list[UUID] = []
        for session in sessions:
            turn = await self.turns.get(session.current_turn_id) if session.current_turn_id else None
            task = await self.tasks.get(turn.task_id, for_update=True) if turn and turn.task_id else None
            if task is None or task.status.is_terminal:
                continue
            task.cancel(now)  # a task being cancelled already stays as it is
            if task.status is TaskStatus.CANCELLING:
                stopping.append(task.id)
        return stopping
