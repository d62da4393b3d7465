"""The sender's own sessions: listed (newest activity first), renamed, archived, deleted; and the
turn the agent is answering, cancelled.

Deleting a session deletes its turns and the tasks that answered them (with their logs and results)
and its workspace; a session whose agent is answering is refused (cancel first), as a running task
is. Cancelling stops the current turn's task the way a task is cancelled (its runner stops within
about a second); queued turns wait on and start after it, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository, Workspaces
from agentry.application.chat.visible import may_see, visible_session
from agentry.application.errors import NotFound
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.run_signals import StopRequests
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.chat.session import ChatSession, ChatTurn
from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.status import TaskStatus

SESSIONS_MAX = 100


@dataclass(frozen=True, slots=True)
class SessionPage:
    items: list[ChatSession]
    next_before: tuple[datetime, UUID] | None


@dataclass(frozen=True, slots=True)
class ListSessions:
    sessions: ChatSessionRepository
    policy: AccessPolicy

    async def __call__(
        self,
        actor: Principal,
        *,
        archived: bool | None = False,
        before: tuple[datetime, UUID] | None = None,
        limit: int = 50,
    ) -> SessionPage:
        if not 1 <= limit <= SESSIONS_MAX:
            raise InvalidValue("limit", f"must be from 1 to {SESSIONS_MAX}")
        page, next_before = await fetch_page(
            lambda n: self.sessions.of_owner(actor.id, archived=archived, before=before, limit=n),
            limit,
            lambda last: (last.updated_at, last.id),
        )
        return SessionPage([s for s in page if may_see(self.policy, actor, s)], next_before)


@dataclass(frozen=True, slots=True)
class GetSession:
    """One of the sender's sessions (not found for anyone else)."""

    sessions: ChatSessionRepository
    policy: AccessPolicy

    async def __call__(self, actor: Principal, session_id: UUID) -> ChatSession:
        return await visible_session(self.sessions, self.policy, actor, session_id)


@dataclass(frozen=True, slots=True)
class ChangeSession:
    """Rename (a title given) and archive or unarchive (a flag given)."""

    sessions: ChatSessionRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(
        self, actor: Principal, session_id: UUID, *, title: str | None = None, archived: bool | None = None
    ) -> ChatSession:
        session = await visible_session(self.sessions, self.policy, actor, session_id, for_update=True)
        now = self.clock.now()
        if title is not None:
            session.rename(title, now)
        if archived is not None:
            session.archive(archived, now)
        await self.uow.commit()
        return session


@dataclass(frozen=True, slots=True)
class DeleteSession:
    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    tasks: TaskRepository
    workspaces: Workspaces
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, session_id: UUID) -> None:
        session = await visible_session(self.sessions, self.policy, actor, session_id, for_update=True)
        if session.busy:
            raise IllegalTransition("chat session", session.id, "answering", "deleted (cancel its turn first)")
        workspace = await erase_session(self.sessions, self.turns, self.tasks, session, self.clock.now())
        await self.uow.commit()
        if workspace is not None:
            await self.workspaces.remove(workspace)


async def erase_session(
    sessions: ChatSessionRepository,
    turns: ChatTurnRepository,
    tasks: TaskRepository,
    session: ChatSession,
    now: datetime,
) -> UUID | None:
    """Stage the deletion of a session that is not answering, its turns and their tasks; the workspace
    to remove once that is committed, if the session had one."""
    workspace: UUID | None = None
    for turn in await turns.of_session(session.id, limit=1_000_000):
        task = await tasks.get(turn.task_id, for_update=True) if turn.task_id else None
        if task is None:
            continue
        workspace = workspace or task.workspace_id or task.id
        task.delete(now)
        await tasks.delete(task)
    await sessions.remove(session)
    return workspace


@dataclass(frozen=True, slots=True)
class CancelTurn:
    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    tasks: TaskRepository
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    stops: StopRequests

    async def __call__(self, actor: Principal, session_id: UUID) -> ChatTurn:
        session = await visible_session(self.sessions, self.policy, actor, session_id)
        turn = await self.turns.get(session.current_turn_id) if session.current_turn_id else None
        if turn is None or turn.task_id is None:
            raise NotFound("current turn of chat session", session_id)
        task = await self.tasks.get(turn.task_id, for_update=True)
        if task is None or task.status.is_terminal:
            return turn  # it is ending already; the relay finishes the turn
        task.cancel(self.clock.now())
        await self.uow.commit()
        if task.status is TaskStatus.CANCELLING:
            await self.stops.request_stop(task.id)
        return turn
