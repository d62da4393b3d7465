"""A user message: a new session (no session id) or the next turn of one of the sender's sessions.

The turn starts at once when the session is free; while the agent answers an earlier turn it waits,
queued, and starts when the turns before it have finished, in the order the messages came. A turn whose
task has ended is finished here if the event relay has not finished it yet (finish_turn.py): the next
message does not wait for the relay's pass. A new
session lives in the project named (the sender must be allowed to submit tasks there) or the sender's
personal project. Options are a task's options (runner, model, allowed tools, limits); a follow-up
turn always runs on its session's runner.

A message counts against the sender's waiting-task quota (`user_max_waiting`) as a task does: their
waiting tasks (a started turn's task among them, until a worker takes it) and their queued turns
together must be under the limit, or the message is refused (TooManyWaitingTasks) and nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from agentry.application.access import require, require_existing_project, require_project_reader
from agentry.application.chat.finish_turn import FinishTurn
from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository
from agentry.application.chat.start_turn import StartTurn
from agentry.application.chat.visible import visible_session
from agentry.application.errors import NotFound, TooManyWaitingTasks
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.quotas import Quotas
from agentry.domain.chat.session import ChatSession, ChatTurn
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal


@dataclass(frozen=True, slots=True)
class SendMessageCommand:
    message: str
    session_id: UUID | None = None
    project_id: UUID | None = None  # a new session only; None: the sender's personal project
    options: dict[str, Any] | None = None  # TaskOptions.to_raw() form, validated before


@dataclass(frozen=True, slots=True)
class Sent:
    session: ChatSession
    turn: ChatTurn


@dataclass(frozen=True, slots=True)
class SendMessage:
    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    projects: ProjectRepository
    policy: AccessPolicy
    start: StartTurn
    finish: FinishTurn
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    users: UserUsage
    quotas: Quotas

    async def __call__(self, actor: Principal, cmd: SendMessageCommand) -> Sent:
        now = self.clock.now()
        if cmd.session_id is None:
            project_id = await self._project_id(actor, cmd.project_id)
            require(self.policy, actor, Action.SUBMIT_TASK, Resource.of_project(project_id))
            session = ChatSession.start(self.ids.new_id(), actor.id, project_id, cmd.message, now)
            await self.sessions.add(session)
        else:
            session = await visible_session(self.sessions, self.policy, actor, cmd.session_id, for_update=True)
            if cmd.project_id is not None and cmd.project_id != session.project_id:
                raise InvalidValue("project_id", "a session stays in the project it started in")
            require(self.policy, actor, Action.SUBMIT_TASK, Resource.of_project(session.project_id))
        await self._require_waiting_room(actor.id)
        await self.finish.if_ended(session)
        turn = session.ask(self.ids.new_id(), cmd.message, now, cmd.options)
        await self.turns.add(turn)
        if not session.busy:
            await self.start(session, turn, now)
        await self.uow.commit()
        return Sent(session, turn)

    async def _require_waiting_room(self, owner_id: UUID) -> None:
        limit = self.quotas.user_max_waiting
        if limit is None:
            return
        # the sender's submissions and messages go one at a time
        waiting = await self.users.waiting_tasks_in_turn(owner_id) + await self.turns.queued_of_owner(owner_id)
        if waiting >= limit:
            raise TooManyWaitingTasks(limit, waiting)

    async def _project_id(self, actor: Principal, project_id: UUID | None) -> UUID:
        if project_id is not None:
            require_project_reader(self.policy, actor, project_id)
            await require_existing_project(self.projects, project_id)
            return project_id
        personal = await self.projects.personal_project_of(actor.id)
        if personal is None:
            raise NotFound("project", "personal")
        return personal.id
