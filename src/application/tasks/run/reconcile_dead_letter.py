"""A message the broker dead-lettered: its task fails with a clear error instead of waiting forever.

The queue gives up on a message after its actor raised on every delivery (the worker's retries are
spent). If its task is still queued waiting for exactly that order, the order is used up by an
execution that fails at once with code `dead_lettered`, so the task's executions and log say what
happened and a retry starts afresh. Any other order is stale and changes nothing: the task moved
on (a duplicate ran, or it was cancelled), or it is running and the dead-worker recovery ends it if
its worker is gone. If this cannot be written (the database is down), the task stays queued and
the redispatch of lost messages sends its order again later.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.live_events import LiveEvents, LogAppended
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.run.execution_recorder import ExecutionRecorder
from agentry.domain.errors import IllegalTransition, StaleExecution
from agentry.domain.principal import Principal
from agentry.domain.tasks.executions import ExecutionError
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.orders import ExecutionOrder

DEAD_LETTERED = "dead_lettered"
NO_WORKER = "broker"  # the worker id of an execution no worker ran


@dataclass(frozen=True, slots=True)
class DeadLetter:
    order: ExecutionOrder
    deliveries: int
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class ReconcileDeadLetter:
    tasks: TaskRepository
    executions: ExecutionRepository
    logs: LogStore
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    live: LiveEvents

    async def __call__(self, actor: Principal, letter: DeadLetter) -> bool:
        """Returns whether the task failed because of this letter."""
        require(self.policy, actor, Action.RECOVER_WORK)
        task = await self.tasks.get(letter.order.task_id, for_update=True)
        now = self.clock.now()
        try:
            if task is None:
                raise StaleExecution(f"task {letter.order.task_id} no longer exists")
            execution = task.fail_undelivered(letter.order.number, self.ids.new_id(), NO_WORKER, _error(letter), now)
        except (StaleExecution, IllegalTransition):
            await self.uow.rollback()
            return False
        recorder = ExecutionRecorder(execution, self.clock)
        recorder.note(
            LogKind.RESULT,
            f"failed: {execution.error_message}",
            LogLevel.ERROR,
            {"status": execution.status, "error_code": DEAD_LETTERED, "deliveries": letter.deliveries},
        )
        lines = recorder.take()
        await self.executions.add(execution)
        await self.logs.append(lines)
        await self.uow.commit()
        await self.live.publish(LogAppended(task.id, task.project_id, execution.number, tuple(lines)))
        return True


def _error(letter: DeadLetter) -> ExecutionError:
    cause = f" (last error: {letter.last_error})" if letter.last_error else ""
    return ExecutionError(
        DEAD_LETTERED,
        f"the queue gave up on this task's message after {letter.deliveries} deliveries{cause}; "
        "no worker ran it. Retry the task to run it again",
    )
