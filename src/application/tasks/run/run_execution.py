"""The worker's use case: run one execution of a task, end it exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.live_events import LiveEvents
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.ports.work_context import (
    EXECUTION_ID,
    EXECUTION_NUMBER,
    TASK_ID,
    AttributeValue,
    WorkContext,
)
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_endings import ExecutionEndings
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.run_signals import RunSignals
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.run.database_outage import OutageWatch
from agentry.application.tasks.run.execution_claim import ExecutionClaim, HeldSlots
from agentry.application.tasks.run.execution_ending import ExecutionEnding
from agentry.application.tasks.run.execution_recorder import ExecutionRecorder
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.application.tasks.run.run_watchdog import ExecutionLost, RunWatchdog
from agentry.domain.principal import Principal
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.orders import ExecutionOrder

log = logging.getLogger("agentry.worker")


@dataclass(frozen=True, slots=True)
class RunExecution:
    tasks: TaskRepository
    executions: ExecutionRepository
    logs: LogStore
    results: ResultRepository
    endings: ExecutionEndings
    outbox: Outbox
    runners: RunnerCatalog
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: RunSettings
    live: LiveEvents
    signals: RunSignals
    projects: ProjectRepository
    usage: ProjectUsage
    users: UserUsage
    quotas: Quotas
    work: WorkContext

    async def __call__(self, actor: Principal, order: ExecutionOrder) -> ExecutionStatus | None:
        """Returns how the execution ended, or None when the order was a duplicate or outdated, or was
        held back by its project's concurrency limit or its owner's running limit.

        Three steps of the task's trace: the claim, the run (its runner, model, tokens and cost; an
        event per tool use) and the ending."""
        require(self.policy, actor, Action.RUN_EXECUTION)
        with self.work.span("execution claim", {TASK_ID: str(order.task_id), EXECUTION_NUMBER: order.number}) as step:
            claimed = await self._claim(order)
            step.set({"agentry.claimed": claimed is not None})
        if claimed is None:
            return None
        task, execution = claimed.task, claimed.execution
        runner = task.options.runner or self.runners.default
        ids: dict[str, AttributeValue] = {
            TASK_ID: str(task.id),
            EXECUTION_ID: str(execution.id),
            EXECUTION_NUMBER: execution.number,
        }
        described = {**ids, "agentry.runner": runner, "agentry.attempt": execution.attempt}
        if task.options.model:
            described["agentry.model"] = task.options.model  # the model the session names, once known, wins
        with self.work.span("execution run", described) as run:
            recorder = ExecutionRecorder(execution, self.clock, self.settings.output, run)
            outage = OutageWatch(execution.id)
            recorder.note(
                LogKind.SYSTEM,
                f"execution #{execution.number} (attempt {execution.attempt} of {task.max_attempts}) started "
                f"on {execution.worker_id} with runner {runner}",
            )
            try:
                outcome = claimed.refusal or await self._watchdog(
                    task, execution, recorder, outage, claimed.tools, claimed.hosts
                )
            except ExecutionLost:
                run.set({"agentry.outcome": "lost"})
                return None  # recovered elsewhere as lost: its ending is written already
            usage = recorder.usage
            run.set(
                {
                    "agentry.outcome": outcome.status.value,
                    "agentry.tokens.input": usage.input_tokens,
                    "agentry.tokens.output": usage.output_tokens,
                    "agentry.cost_usd": usage.cost_usd,
                }
            )
        with self.work.span("execution ending", {**ids, "agentry.outcome": outcome.status.value}):
            ended = await self._ending(claimed.slots)(task, execution, recorder, outcome, outage)
            if ended is not None:  # in the ending's step, so that the line carries the task's and execution's ids
                log.info("execution #%d ended: %s", execution.number, ended.value, extra={"outcome": ended.value})
            return ended

    @property
    def _claim(self) -> ExecutionClaim:
        return ExecutionClaim(
            tasks=self.tasks,
            executions=self.executions,
            outbox=self.outbox,
            uow=self.uow,
            clock=self.clock,
            ids=self.ids,
            settings=self.settings,
            projects=self.projects,
            usage=self.usage,
            runners=self.runners,
            users=self.users,
            quotas=self.quotas,
        )

    @property
    def _watchdog(self) -> RunWatchdog:
        return RunWatchdog(
            tasks=self.tasks,
            executions=self.executions,
            logs=self.logs,
            runners=self.runners,
            uow=self.uow,
            clock=self.clock,
            settings=self.settings,
            live=self.live,
            signals=self.signals,
            results=self.results,
        )

    def _ending(self, slots: HeldSlots) -> ExecutionEnding:
        return ExecutionEnding(
            frees=slots,
            tasks=self.tasks,
            executions=self.executions,
            logs=self.logs,
            endings=self.endings,
            outbox=self.outbox,
            uow=self.uow,
            clock=self.clock,
            ids=self.ids,
            settings=self.settings,
            live=self.live,
        )
