"""Ending an execution exactly once: succeeded, failed, timed out or cancelled; requeued to be tried
again; or interrupted by its worker's shutdown. The ending is written again through a short outage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agentry.application.errors import ConcurrentUpdate
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.live_events import LiveEvents, LogAppended
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.agent_gateway import RunCompleted
from agentry.application.tasks.ports.execution_endings import ExecutionEndings
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.outbox import Outbox
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.queue_next import queue_next
from agentry.application.tasks.run.database_outage import OutageWatch, roll_back, unstored
from agentry.application.tasks.run.execution_claim import HeldSlots
from agentry.application.tasks.run.execution_recorder import ExecutionRecorder
from agentry.application.tasks.run.run_outcome import RunOutcome
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.domain.errors import IllegalTransition
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.results import TaskResult, summarize
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask


@dataclass(frozen=True, slots=True)
class ExecutionEnding:
    tasks: TaskRepository
    executions: ExecutionRepository
    logs: LogStore
    endings: ExecutionEndings
    outbox: Outbox
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: RunSettings
    live: LiveEvents
    # the running limits the run holds a slot of: the work they held back goes at once when it ends
    frees: HeldSlots = field(default_factory=HeldSlots)

    async def __call__(
        self,
        task: AgentTask,
        execution: TaskExecution,
        recorder: ExecutionRecorder,
        outcome: RunOutcome,
        outage: OutageWatch,
    ) -> ExecutionStatus | None:
        """End the execution. If the database cannot be reached, try again after a pause growing from
        `ending_retry_min_s` to `ending_retry_max_s`, for up to `worker_lost_after_s`: a run that ended
        is not lost to a blip at its very end. Past that, give up (raise): the execution is left
        running, and the recovery ends it as lost."""
        settings, loop = self.settings, asyncio.get_running_loop()
        give_up_at = loop.time() + settings.worker_lost_after_s
        pause = settings.ending_retry_min_s
        mark = recorder.mark()
        while True:
            try:
                return await self._write(task, execution, recorder, outcome, outage, mark)
            except Exception as error:
                left = give_up_at - loop.time()
                if not self.uow.unavailable(error):
                    raise
                if left <= 0:
                    outage.gave_up("writing the ending")
                    raise
                await roll_back(self.uow, outage, error, "writing the ending")
            recorder.rewind(mark)
            await asyncio.sleep(min(pause, left))
            pause = min(2 * pause, settings.ending_retry_max_s)

    async def _write(
        self,
        task: AgentTask,
        execution: TaskExecution,
        recorder: ExecutionRecorder,
        outcome: RunOutcome,
        outage: OutageWatch,
        mark: int,
    ) -> ExecutionStatus | None:
        """Write through the objects the claim loaded: the task's version makes the write conditional,
        so the common case needs no second read. If the task changed since (a cancel request), the
        write conflicts, or the domain refuses what the stale copy would allow; then read it under
        lock and end from what it says now. So too once a rollback (an outage) expired those objects."""
        if not outage.stale:
            try:
                return await self._end(task, execution, recorder, outcome, outage)
            except (ConcurrentUpdate, IllegalTransition):
                await self.uow.rollback()
                recorder.rewind(mark)
        fresh = await self.tasks.get(recorder.task_id, for_update=True)
        current = await self.executions.for_task(recorder.task_id, after_number=recorder.number - 1, limit=1)
        if fresh is None or not current or not fresh.runs(current[0]):
            await self.uow.rollback()  # someone else already ended it (or a commit whose reply was lost did)
            return None
        return await self._end(fresh, current[0], recorder, outcome, outage)

    async def _end(
        self,
        task: AgentTask,
        execution: TaskExecution,
        recorder: ExecutionRecorder,
        outcome: RunOutcome,
        outage: OutageWatch,
    ) -> ExecutionStatus:
        now = self.clock.now()
        details: dict[str, Any] = {"usage": recorder.usage, "agent_session_id": recorder.session_id}
        if outcome.interrupted and outcome.error and task.status is TaskStatus.RUNNING:
            task.interrupt(execution, outcome.error, now, **details)
            await self.endings.write(task, execution, None)
            await queue_next(self.outbox, self.ids, task, now, now)
            recorder.note(
                LogKind.RESULT,
                f"{outcome.error.code}: {outcome.error.message} (this attempt is not counted)",
                LogLevel.WARNING,
                {"status": execution.status, "error_code": outcome.error.code},
            )
        elif outcome.retryable and outcome.error and task.can_requeue():
            delay = self.settings.backoff_s(execution.attempt)
            task.requeue(execution, outcome.error, now, **details)
            await self.endings.write(task, execution, None)
            await queue_next(self.outbox, self.ids, task, now + timedelta(seconds=delay), now)
            recorder.note(
                LogKind.RESULT,
                f"attempt failed ({outcome.error.code}): {outcome.error.message}; retrying in {delay:.1f}s",
                LogLevel.WARNING,
                {"status": execution.status, "retry_in_s": round(delay, 3)},
            )
        else:
            completed = outcome.completed if outcome.status is ExecutionStatus.SUCCEEDED else None
            summary = (completed.summary or summarize(completed.output)) if completed else None
            task.end_execution(execution, outcome.status, now, error=outcome.error, summary=summary, **details)
            succeeded = execution.status is ExecutionStatus.SUCCEEDED
            result = _result(execution, completed, recorder, now) if succeeded and completed is not None else None
            await self.endings.write(task, execution, result)
            _note_ending(recorder, execution, outcome)
        if self.frees.project:
            await self.outbox.offer_held_back(task.project_id, now)
        if self.frees.owner:
            await self.outbox.offer_held_back_of_owner(task.owner_id, now)
        lines = recorder.pending()
        await self.logs.append(await unstored(self.logs, recorder, lines, outage))
        await self.uow.commit()
        outage.reached()
        recorder.take()
        if lines:  # how the run ended is announced by the task's event, after these lines
            await self.live.publish(LogAppended.of(task.project_id, lines))
        return execution.status


def _result(
    execution: TaskExecution, completed: RunCompleted, recorder: ExecutionRecorder, now: datetime
) -> TaskResult:
    return TaskResult(
        task_id=execution.task_id,
        execution_id=execution.id,
        summary=completed.summary or summarize(completed.output),
        output=completed.output,
        created_at=now,
        artifacts=list(completed.artifacts),
        usage=recorder.usage,
    )


def _note_ending(recorder: ExecutionRecorder, execution: TaskExecution, outcome: RunOutcome) -> None:
    data: dict[str, Any] = {
        "status": execution.status,
        "input_tokens": execution.usage.input_tokens,
        "output_tokens": execution.usage.output_tokens,
        "cost_usd": execution.usage.cost_usd,
    }
    if recorder.dropped_lines:
        data["dropped_lines"] = recorder.dropped_lines
    if execution.status is ExecutionStatus.SUCCEEDED and outcome.completed is not None:
        data["num_turns"] = outcome.completed.num_turns
        recorder.note(LogKind.RESULT, outcome.completed.summary or summarize(outcome.completed.output), data=data)
        return
    error = execution.error
    message = f"{execution.status}: {error.message}" if error else str(execution.status)
    if error:
        data["error_code"] = error.code
    recorder.note(LogKind.RESULT, message, LogLevel.ERROR, data)
