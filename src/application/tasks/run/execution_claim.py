"""Starting an order's execution under the task's lock, within its project's rules, concurrency limit
and monthly budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.budget import require_budget
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.run.run_outcome import RunOutcome
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.application.tasks.task_rules import refusal as rules_refusal
from agentry.domain.errors import BudgetExhausted, IllegalTransition, StaleExecution
from agentry.domain.projects.project import Project
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class Claimed:
    task: AgentTask
    execution: TaskExecution
    refusal: RunOutcome | None  # why the run may not go ahead (not allowed, or the monthly budget is spent)
    limited: bool  # the project has a concurrency limit: its ending frees a slot
    tools: tuple[str, ...] | None = None  # the only tools the run may use, if its project restricts them


@dataclass(frozen=True, slots=True)
class ExecutionClaim:
    tasks: TaskRepository
    executions: ExecutionRepository
    outbox: Outbox
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: RunSettings
    projects: ProjectRepository
    usage: ProjectUsage
    runners: RunnerCatalog

    async def __call__(self, order: ExecutionOrder) -> Claimed | None:
        """Start the order's execution, under the task's lock. None: the order is a duplicate or outdated,
        or its project is at its concurrency limit (the task stays queued; the order is offered again
        after `limit_wait_s`, or sooner when a slot comes free). With a refusal the execution then ends
        with it at once, before any agent starts: `not_allowed` when the task no longer meets the rules
        (task_rules.py) as its project has them now, `budget_exhausted` when the project's monthly budget
        is spent."""
        found = await self.tasks.get_to_run(order.task_id)
        if found is None or not found[0].awaits(order.number):
            await self.uow.rollback()
            return None
        task, project = found
        now = self.clock.now()
        room, refusal, limited = await self._limits(task, project, order, now)
        if not room:
            await self.outbox.hold_back(order, now + timedelta(seconds=self.settings.limit_wait_s), task.priority.rank)
            await self.uow.commit()
            return None
        try:
            execution = task.start(order.number, self.ids.new_id(), self.settings.worker_id, now)
        except (StaleExecution, IllegalTransition):
            await self.uow.rollback()
            return None
        await self.executions.add(execution)
        await self.uow.commit()
        tools = project.settings.tools_for(task.options.allowed_tools) if project is not None else None
        return Claimed(task, execution, refusal, limited, tools)

    async def _limits(
        self, task: AgentTask, project: Project | None, order: ExecutionOrder, now: datetime
    ) -> tuple[bool, RunOutcome | None, bool]:
        """Whether the task's project has room for one more run; why the run may not go ahead at all
        (not allowed, or its monthly budget is spent), if it may not; whether the project has a concurrency limit.
        Under a limit the claims of a project take turns on its lock, so two cannot both see the last
        free slot; a slot goes to the most urgent waiting work first (the oldest among equals),
        whichever order the messages arrive in."""
        if (refused := rules_refusal(self.runners, project, task.options)) is not None:
            limited = project is not None and project.settings.max_running is not None
            return True, RunOutcome.failed("not_allowed", f"this task may not run as it is: {refused}"), limited
        if project is None:
            return True, None, False
        try:
            await require_budget(self.usage, project, now)
        except BudgetExhausted as spent:
            return True, RunOutcome.failed(spent.code, str(spent)), project.settings.max_running is not None
        if project.settings.max_running is None:
            return True, None, False
        project = await self.projects.get(project.id, for_update=True)
        if project is None:
            return True, None, False
        limits = project.settings
        running = await self.usage.running_executions(project.id)
        if not limits.has_room(running, ahead=0):
            return False, None, True
        ahead = await self.usage.queued_ahead(project.id, order, task.priority.rank, now)
        return limits.has_room(running, ahead), None, True
