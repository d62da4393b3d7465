"""Recovery of executions whose worker is gone: killed (SIGKILL, out of memory) or its machine vanished.

A worker renews the heartbeat of each execution it runs every `heartbeat_interval_s`. An execution
whose heartbeat is older than `worker_lost_after_s` has lost its worker: it ends `failed` with code
`worker_lost`, and its task is queued again through the outbox if attempts remain (else it fails
with that reason; a task being cancelled ends cancelled).

Every relay runs this, so several may at once: each task is taken under its row lock, and a task
someone else holds (another relay, a worker ending its run, a cancel) is skipped until the next
pass; what is still silent is read again after the lock. If the worker was only slow and comes
back, its next heartbeat finds the execution ended and it stops; its own ending is then a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.queue_next import queue_next
from agentry.domain.principal import Principal
from agentry.domain.tasks.executions import ExecutionError, TaskExecution
from agentry.domain.tasks.status import TaskStatus

WORKER_LOST = "worker_lost"


@dataclass(frozen=True, slots=True)
class RecoverySettings:
    worker_lost_after_s: float = 15.0
    redispatch_after_s: float = 300.0
    check_interval_s: float = 1.0  # how often a relay looks for lost work (the heartbeat interval)
    batch_size: int = 100


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    requeued: int = 0
    ended: int = 0

    @property
    def recovered(self) -> int:
        return self.requeued + self.ended


@dataclass(frozen=True, slots=True)
class RecoverLostExecutions:
    tasks: TaskRepository
    executions: ExecutionRepository
    outbox: Outbox
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: RecoverySettings

    async def __call__(self, actor: Principal) -> RecoveryReport:
        require(self.policy, actor, Action.RECOVER_WORK)
        now = self.clock.now()
        cutoff = now - timedelta(seconds=self.settings.worker_lost_after_s)
        candidates = await self.executions.silent(cutoff, self.settings.batch_size)
        if not candidates:
            await self.uow.rollback()
            return RecoveryReport()
        locked = await self.tasks.get_many(sorted({e.task_id for e in candidates}), for_update=True, skip_locked=True)
        # Read again under the locks: a worker may have ended its run, or beaten, meanwhile.
        again = await self.executions.silent(cutoff, self.settings.batch_size)
        still_silent = {(e.task_id, e.number): e for e in again}
        requeued = ended = 0
        for task in locked:
            execution = still_silent.get((task.id, task.execution_count))
            if execution is None or not task.runs(execution):
                continue
            task.recover_lost(execution, _lost(execution, self.settings.worker_lost_after_s), now)
            if task.status is TaskStatus.QUEUED:
                await queue_next(self.outbox, self.ids, task, now, now)
                requeued += 1
            else:
                ended += 1
        await self.uow.commit()
        return RecoveryReport(requeued=requeued, ended=ended)


def _lost(execution: TaskExecution, lost_after_s: float) -> ExecutionError:
    return ExecutionError(
        WORKER_LOST,
        f"worker {execution.worker_id} went silent: no heartbeat since {_clock_time(execution.heartbeat_at)} "
        f"(the time-out is {lost_after_s:g}s); it was killed, ran out of memory or lost its machine",
    )


def _clock_time(moment: datetime | None) -> str:
    return "its start" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S UTC")
