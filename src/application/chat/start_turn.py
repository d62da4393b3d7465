"""Starting a turn: its task, submitted by the tasks' own rules, in the session's chain.

The first turn's task starts the agent session; a later turn's task is a follow-up of the latest turn
that left a session to resume (on that task's runner, in the workspace of the chain's first task). The
task is staged with its first order in the outbox, to be sent at once after the commit (the sender waits
for the first words); the caller commits (a request, or the event relay's
pass when a finished turn frees the session for the next one).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from agentry.application.errors import NotFound
from agentry.application.ports.ids import IdGenerator
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.budget import require_budget
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.queue_next import queue_next
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.task_rules import require_allowed
from agentry.domain.chat.session import CHAT_TAG, ChatSession, ChatTurn
from agentry.domain.errors import NotResumable
from agentry.domain.tasks.changes import FollowUp
from agentry.domain.tasks.spec import TITLE_MAX, TaskOptions, TaskSpec
from agentry.domain.tasks.task import AgentTask

TITLE_PREFIX = "Chat: "


@dataclass(frozen=True, slots=True)
class StartTurn:
    tasks: TaskRepository
    executions: ExecutionRepository
    projects: ProjectRepository
    runners: RunnerCatalog
    outbox: Outbox
    usage: ProjectUsage
    quotas: Quotas
    ids: IdGenerator

    async def __call__(self, session: ChatSession, turn: ChatTurn, now: datetime) -> AgentTask:
        """Raises what the task rules raise (a runner not allowed, the budget spent, ...); nothing is
        staged then."""
        project = await self.projects.get(session.project_id)
        if project is None:
            raise NotFound("project", session.project_id)
        options = TaskOptions.from_raw(turn.options)
        follows = await self._follows(session)
        if follows is not None:
            earlier = await self.tasks.get(follows.task_id)
            runner = (earlier.options.runner if earlier else None) or self.runners.default
            options = replace(options, runner=runner)
        require_allowed(self.runners, project, options)
        await require_budget(self.usage, project, now, self.quotas)
        title = TITLE_PREFIX + session.title
        spec = TaskSpec(
            title=title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…",
            prompt=turn.message,
            tags=(CHAT_TAG,),
            options=options,
            max_attempts=1,  # a turn is answered once; the user asks again
        )
        task = AgentTask.submit(self.ids.new_id(), session.owner_id, project.id, spec, now, follows=follows)
        await self.tasks.add(task)
        await queue_next(self.outbox, self.ids, task, task.release_at(), now, at_once=True)  # its sender waits
        session.begin(turn, task.id, now)
        return task

    async def _follows(self, session: ChatSession) -> FollowUp | None:
        if session.resume_task_id is None:
            return None
        earlier = await self.tasks.get(session.resume_task_id)
        if earlier is None:  # deleted by hand: the conversation starts afresh
            return None
        latest = await self.executions.for_task(earlier.id, after_number=earlier.execution_count - 1, limit=1)
        try:
            return earlier.continuation(latest[0].agent_session_id if latest else None)
        except NotResumable:
            return None
