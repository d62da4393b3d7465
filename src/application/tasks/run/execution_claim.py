"""Starting an order's execution under the task's lock, within its project's rules, concurrency limit
and monthly budget, and its owner's running limit."""

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
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.run.run_outcome import RunOutcome
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.application.tasks.task_rules import refusal as rules_refusal
from agentry.domain.errors import BudgetExhausted, IllegalTransition, StaleExecution
from agentry.domain.projects.project import Project
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class HeldSlots:
    """The running limits an execution holds a slot of: its ending offers the work they held back again."""

    project: bool = False
    owner: bool = False


@dataclass(frozen=True, slots=True)
class Claimed:
    task: AgentTask
    execution: TaskExecution
    refusal: RunOutcome | None  # why the run may not go ahead (not allowed, or the monthly budget is spent)
    slots: HeldSlots
    tools: tuple[str, ...] | None = None  # the only tools the run may use, if its project restricts them
    hosts: tuple[str, ...] = ()  # the hosts it may reach, as its project allowed them at the claim


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
    users: UserUsage
    quotas: Quotas

    async def __call__(self, order: ExecutionOrder) -> Claimed | None:
        """Start the order's execution, under the task's lock. None: the order is a duplicate or outdated,
        or its project is at its concurrency limit, or its owner at the running limit per user (the task
        stays queued; the order is offered again after `limit_wait_s`, or sooner when a slot comes free).
        With a refusal the execution then ends with it at once, before
        any agent starts: `not_allowed` when the task no longer meets the rules (task_rules.py) as its
        project has them now, `budget_exhausted` when the project's monthly budget is spent."""
        found = await self.tasks.get_to_run(order.task_id)
        if found is None or not found[0].awaits(order.number):
            await self.uow.rollback()
            return None
        task, project = found
        now = self.clock.now()
        room, refusal, slots = await self._limits(task, project, order, now)
        if not room:
            await self.outbox.hold_back(order, now + timedelta(seconds=self.settings.limit_wait_s), task.priority.rank)
            await self.uow.commit()
            return None
        try:  # started now, once the slot is had: the claim may have waited for the project's lock
            execution = task.start(order.number, self.ids.new_id(), self.settings.worker_id, self.clock.now())
        except (StaleExecution, IllegalTransition):
            await self.uow.rollback()
            return None
        await self.executions.start(task, execution)
        await self.uow.commit()
        tools = project.settings.tools_for(task.options.allowed_tools) if project is not None else None
        hosts = tuple(sorted(project.settings.allowed_hosts)) if project is not None else ()
        return Claimed(task, execution, refusal, slots, tools, hosts)

    async def _limits(
        self, task: AgentTask, project: Project | None, order: ExecutionOrder, now: datetime
    ) -> tuple[bool, RunOutcome | None, HeldSlots]:
        """Whether the task's project and its owner have room for one more run; why the run may not go
        ahead at all (not allowed, or the monthly budget is spent), if it may not; the limits the run
        counts against."""
        owner = self.quotas.user_max_running is not None
        if (refused := rules_refusal(self.runners, project, task.options)) is not None:
            slots = HeldSlots(project is not None and project.settings.max_running is not None, owner)
            return True, RunOutcome.failed("not_allowed", f"this task may not run as it is: {refused}"), slots
        if project is None:
            return True, None, HeldSlots(owner=owner)
        slots = HeldSlots(project.settings.max_running is not None, owner)
        try:
            await require_budget(self.usage, project, now, self.quotas)
        except BudgetExhausted as spent:
            return True, RunOutcome.failed(spent.code, str(spent)), slots
        room = await self._project_room(task, project, order, now) and await self._owner_room(task)
        return room, None, slots

    async def _project_room(self, task: AgentTask, project: Project, order: ExecutionOrder, now: datetime) -> bool:
        """Under a limit the claims of a project take turns on its lock, so two cannot both see the last
        free slot; a slot goes to the most urgent waiting work first (the oldest among equals), whichever
        order the messages arrive in. Work whose owner already runs `user_max_running` executions is not
        waited for: it cannot start now, and must not keep other users' work out of a free slot."""
        if project.settings.max_running is None:
            return True
        locked = await self.projects.get(project.id, for_update=True)
        if locked is None:
            return True
        limits = locked.settings
        running = await self.usage.running_executions(project.id)
        if not limits.has_room(running, ahead=0):
            return False
        busy_at = self.quotas.user_max_running
        ahead = await self.usage.queued_ahead(project.id, order, task.priority.rank, now, busy_at=busy_at)
        return limits.has_room(running, ahead)

    async def _owner_room(self, task: AgentTask) -> bool:
        """Whether the task's owner runs fewer than `user_max_running` executions. The claims of one user's
        tasks take turns, so two cannot both take the user's last slot."""
        limit = self.quotas.user_max_running
        if limit is None:
            return True
        return await self.users.running_executions_in_turn(task.owner_id) < limit
