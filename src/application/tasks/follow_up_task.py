"""A follow-up: a new task in the same project that resumes a finished task's agent session.

It runs on the earlier task's runner (a session lives in one runner) and in the workspace of the
chain's first task. What the request leaves out comes from the earlier task: its priority, tags,
attempts and options (without a script, which belonged to the earlier prompt); the title defaults
to "Follow-up: <earlier title>". The new task is submitted like any other, Idempotency-Key included.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from agentry.application.access import require, visible_task
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.submit_task import Submission, SubmitTask, SubmitTaskCommand
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.spec import TITLE_MAX, Priority, TaskOptions, TaskSpec
from agentry.domain.tasks.task import AgentTask

TITLE_PREFIX = "Follow-up: "


@dataclass(frozen=True, slots=True)
class FollowUpCommand:
    """None: as the earlier task has it."""

    task_id: UUID
    prompt: str
    title: str | None = None
    priority: Priority | None = None
    tags: tuple[str, ...] | None = None
    options: TaskOptions | None = None
    max_attempts: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUpTask:
    tasks: TaskRepository
    executions: ExecutionRepository
    runners: RunnerCatalog
    policy: AccessPolicy
    submit: SubmitTask

    async def __call__(self, actor: Principal, cmd: FollowUpCommand) -> Submission:
        earlier = await visible_task(self.tasks, self.policy, actor, cmd.task_id)
        require(self.policy, actor, Action.SUBMIT_TASK, Resource.of_project(earlier.project_id))
        latest = await self.executions.for_task(earlier.id, after_number=earlier.execution_count - 1, limit=1)
        follows = earlier.continuation(latest[0].agent_session_id if latest else None)
        spec = TaskSpec(
            title=cmd.title if cmd.title is not None else _title_after(earlier.title),
            prompt=cmd.prompt,
            priority=cmd.priority or earlier.priority,
            tags=earlier.tags if cmd.tags is None else cmd.tags,
            options=self._options(earlier, cmd.options),
            max_attempts=earlier.max_attempts if cmd.max_attempts is None else cmd.max_attempts,
        )
        submission = SubmitTaskCommand(spec, cmd.idempotency_key, earlier.project_id, follows)
        return await self.submit(actor, submission)

    def _options(self, earlier: AgentTask, given: TaskOptions | None) -> TaskOptions:
        """The earlier task's runner, by name, so a later change of the default cannot move the session."""
        runner = earlier.options.runner or self.runners.default
        if given is not None and given.runner not in (None, runner):
            raise InvalidValue("options.runner", f"a follow-up runs on the runner of the task it follows, {runner!r}")
        return replace(given or replace(earlier.options, script=None), runner=runner)


def _title_after(title: str) -> str:
    titled = TITLE_PREFIX + title
    return titled if len(titled) <= TITLE_MAX else titled[: TITLE_MAX - 1] + "…"
