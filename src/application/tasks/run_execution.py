"""The worker's use case: run one execution of a task, end it exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from application.access import require
from application.ports.access_policy import AccessPolicy, Action
from application.ports.agent_gateway import RunnerCatalog
from application.ports.clock import Clock
from application.ports.execution_repository import ExecutionRepository
from application.ports.ids import IdGenerator
from application.ports.live_events import LiveEvents
from application.ports.log_store import LogStore
from application.ports.outbox import Outbox
from application.ports.project_usage import ProjectUsage
from application.ports.projects import ProjectRepository
from application.ports.result_repository import ResultRepository
from application.ports.run_signals import RunSignals
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from application.tasks.database_outage import OutageWatch
from application.tasks.execution_claim import ExecutionClaim
from application.tasks.execution_ending import ExecutionEnding
from application.tasks.execution_recorder import ExecutionRecorder
from application.tasks.run_settings import RunSettings
from application.tasks.run_watchdog import ExecutionLost, RunWatchdog
from domain.executions import ExecutionStatus
from domain.logs import LogKind
from domain.outbox import ExecutionOrder
from domain.principal import Principal


@dataclass(frozen=True, slots=True)
class RunExecution:
    tasks: TaskRepository
    executions: ExecutionRepository
    logs: LogStore
    results: ResultRepository
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

    async def __call__(self, actor: Principal, order: ExecutionOrder) -> ExecutionStatus | None:
        """Returns how the execution ended, or None when the order was a duplicate or outdated, or was
        held back by its project's concurrency limit."""
        require(self.policy, actor, Action.RUN_EXECUTION)
        claimed = await self._claim(order)
        if claimed is None:
            return None
        task, execution = claimed.task, claimed.execution
        recorder = ExecutionRecorder(execution, self.clock)
        outage = OutageWatch(execution.id)
        recorder.note(
            LogKind.SYSTEM,
            f"execution #{execution.number} (attempt {execution.attempt} of {task.max_attempts}) started "
            f"on {execution.worker_id} with runner {task.options.runner or self.runners.default}",
        )
        try:
            outcome = claimed.refusal or await self._watchdog(task, execution, recorder, outage)
        except ExecutionLost:
            return None  # recovered elsewhere as lost: its ending is written already
        return await self._ending(frees_a_slot=claimed.limited)(task, execution, recorder, outcome, outage)

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
            live=self.live,
            projects=self.projects,
            usage=self.usage,
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
        )

    def _ending(self, *, frees_a_slot: bool) -> ExecutionEnding:
        return ExecutionEnding(
            frees_a_slot=frees_a_slot,
            tasks=self.tasks,
            executions=self.executions,
            logs=self.logs,
            results=self.results,
            outbox=self.outbox,
            uow=self.uow,
            clock=self.clock,
            ids=self.ids,
            settings=self.settings,
            live=self.live,
        )
