"""The worker's use case: run one execution of a task, end it exactly once."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from application.access import require
from application.errors import ConcurrentUpdate
from application.ports.access_policy import AccessPolicy, Action
from application.ports.agent_gateway import AgentEvent, AgentRun, RunCompleted, RunnerCatalog
from application.ports.clock import Clock
from application.ports.execution_repository import ExecutionRepository
from application.ports.ids import IdGenerator
from application.ports.live_events import LiveEvents, LogAppended, RunEnded, TaskStatusChanged
from application.ports.log_store import LogStore
from application.ports.outbox import Outbox
from application.ports.result_repository import ResultRepository
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from application.tasks.execution_recorder import ExecutionRecorder
from application.tasks.run_outcome import RunOutcome
from domain.errors import IllegalTransition, StaleExecution
from domain.executions import ExecutionStatus, TaskExecution
from domain.logs import LogKind, LogLevel, LogLine
from domain.outbox import ExecutionOrder, QueueJob
from domain.principal import Principal
from domain.results import TaskResult, summarize
from domain.tasks import AgentTask, TaskStatus


@dataclass(frozen=True, slots=True)
class RunSettings:
    worker_id: str = "worker"
    log_batch_size: int = 200
    log_flush_interval_s: float = 0.25
    heartbeat_interval_s: float = 1.0
    retry_backoff_min_s: float = 1.0
    retry_backoff_max_s: float = 60.0
    jitter: Callable[[], float] = field(default=random.random)

    def backoff_s(self, attempt: int) -> float:
        """Exponential in the attempt number, jittered by ±50%, kept within the bounds."""
        base = self.retry_backoff_min_s * 2.0 ** max(attempt - 1, 0)
        return min(self.retry_backoff_max_s, max(self.retry_backoff_min_s, base * (0.5 + self.jitter())))


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

    async def __call__(self, actor: Principal, order: ExecutionOrder) -> ExecutionStatus | None:
        """Returns how the execution ended, or None when the order was a duplicate or outdated."""
        require(self.policy, actor, Action.RUN_EXECUTION)
        claimed = await self._claim(order)
        if claimed is None:
            return None
        task, execution = claimed
        recorder = ExecutionRecorder(execution, self.clock)
        recorder.note(
            LogKind.SYSTEM,
            f"execution #{execution.number} (attempt {execution.attempt} of {task.max_attempts}) started "
            f"on {execution.worker_id} with runner {task.options.runner or self.runners.default}",
        )
        outcome = await self._drive(task, execution, recorder)
        return await self._finish(task, execution, recorder, outcome)

    async def _claim(self, order: ExecutionOrder) -> tuple[AgentTask, TaskExecution] | None:
        task = await self.tasks.get(order.task_id, for_update=True)
        try:
            if task is None:
                raise StaleExecution(f"task {order.task_id} no longer exists")
            execution = task.start(order.number, self.ids.new_id(), self.settings.worker_id, self.clock.now())
        except (StaleExecution, IllegalTransition):
            await self.uow.rollback()
            return None
        await self.executions.add(execution)
        await self.uow.commit()
        await self.live.publish(TaskStatusChanged.of(task))
        return task, execution

    async def _drive(self, task: AgentTask, execution: TaskExecution, recorder: ExecutionRecorder) -> RunOutcome:
        try:
            gateway = self.runners.get(task.options.runner)
        except KeyError:
            return RunOutcome.failed("unknown_runner", f"runner {task.options.runner!r} is not configured here")
        request = AgentRun(
            task.id,
            execution.id,
            execution.attempt,
            task.prompt,
            task.options,
            resume_session_id=task.resume_session_id,
            workspace_id=task.workspace_id,
        )
        return await self._consume(gateway.run(request), task, recorder)

    async def _consume(
        self, stream: AsyncIterator[AgentEvent], task: AgentTask, recorder: ExecutionRecorder
    ) -> RunOutcome:
        """Read events until the run ends, under a total time limit, an inactivity time-out and
        cancel checks; write the log in batches on the way."""
        settings, options = self.settings, task.options
        loop = asyncio.get_running_loop()
        started = last_event = loop.time()
        deadline = started + options.time_limit_s
        next_poll = started + settings.heartbeat_interval_s
        flush_at = math.inf
        waiting: asyncio.Future[AgentEvent] | None = None
        try:
            while recorder.ending is None:
                if waiting is None:
                    waiting = asyncio.ensure_future(anext(stream))
                wake = min(deadline, last_event + options.inactivity_timeout_s, next_poll, flush_at)
                await asyncio.wait((waiting,), timeout=max(0.0, wake - loop.time()))
                now = loop.time()
                if waiting.done():
                    arrived, waiting = waiting, None
                    try:
                        event = arrived.result()
                    except StopAsyncIteration:
                        return RunOutcome.failed("no_result", "the agent stopped without reporting a result")
                    except Exception as error:  # the runner broke; the execution must still end
                        return RunOutcome.failed("runner_error", f"{type(error).__name__}: {error}")
                    last_event = now
                    recorder.record(event)
                    flush_at = min(flush_at, now + settings.log_flush_interval_s)
                    if recorder.ending is not None:
                        break
                if now >= deadline:
                    return RunOutcome.timed_out("time_limit", f"the run exceeded its {options.time_limit_s}s limit")
                if now - last_event >= options.inactivity_timeout_s:
                    return RunOutcome.timed_out(
                        "inactivity_timeout", f"the agent sent nothing for {options.inactivity_timeout_s}s"
                    )
                poll = now >= next_poll
                if poll or now >= flush_at or recorder.buffered >= settings.log_batch_size:
                    if await self._checkpoint(task, recorder, poll=poll):
                        return RunOutcome.cancelled()
                    flush_at = math.inf
                    if poll:
                        next_poll = now + settings.heartbeat_interval_s
        finally:
            await _stop(stream, waiting)
        ending = recorder.ending
        if isinstance(ending, RunCompleted):
            return RunOutcome.succeeded(ending)
        assert ending is not None
        return RunOutcome.failed(ending.code, ending.message, retryable=ending.retryable)

    async def _checkpoint(self, task: AgentTask, recorder: ExecutionRecorder, *, poll: bool) -> bool:
        """Write buffered lines; on a poll, also say whether a cancel was asked for."""
        lines = recorder.take()
        if lines:
            await self.logs.append(lines)
        cancelling = poll and (await self.tasks.statuses([task.id])).get(task.id) is TaskStatus.CANCELLING
        await self.uow.commit()
        if lines:
            await self.live.publish(_appended(task, lines))
        return cancelling

    async def _finish(
        self, task: AgentTask, execution: TaskExecution, recorder: ExecutionRecorder, outcome: RunOutcome
    ) -> ExecutionStatus | None:
        """End the execution, writing through the objects the claim loaded: the task's version makes
        the write conditional, so the common case needs no second read. If the task changed since
        (a cancel request), the write conflicts, or the domain refuses what the stale copy would
        allow; then read it under lock and end from what it says now."""
        mark = recorder.mark()
        try:
            return await self._end(task, execution, recorder, outcome)
        except (ConcurrentUpdate, IllegalTransition):
            await self.uow.rollback()
            recorder.rewind(mark)
        fresh = await self.tasks.get(task.id, for_update=True)
        current = await self.executions.for_task(task.id, after_number=execution.number - 1, limit=1)
        if fresh is None or not current or not fresh.runs(current[0]):
            await self.uow.rollback()  # someone else already ended it
            return None
        return await self._end(fresh, current[0], recorder, outcome)

    async def _end(
        self, task: AgentTask, execution: TaskExecution, recorder: ExecutionRecorder, outcome: RunOutcome
    ) -> ExecutionStatus:
        now = self.clock.now()
        details: dict[str, Any] = {"usage": recorder.usage, "agent_session_id": recorder.session_id}
        if outcome.retryable and outcome.error and task.can_requeue():
            delay = self.settings.backoff_s(execution.attempt)
            task.requeue(execution, outcome.error, now, **details)
            order = ExecutionOrder(task.id, task.execution_count + 1)
            due = now + timedelta(seconds=delay)
            await self.outbox.enqueue(QueueJob(self.ids.new_id(), order, due, now, task.priority.rank))
            recorder.note(
                LogKind.RESULT,
                f"attempt failed ({outcome.error.code}): {outcome.error.message}; retrying in {delay:.1f}s",
                LogLevel.WARNING,
                {"status": execution.status, "retry_in_s": round(delay, 3)},
            )
        else:
            task.end_execution(execution, outcome.status, now, error=outcome.error, **details)
            if execution.status is ExecutionStatus.SUCCEEDED and outcome.completed is not None:
                await self.results.add(_result(execution, outcome.completed, recorder, now))
            _note_ending(recorder, execution, outcome)
        lines = recorder.pending()
        await self.logs.append(lines)
        await self.uow.commit()
        recorder.take()
        completed = outcome.completed if execution.status is ExecutionStatus.SUCCEEDED else None
        summary = (completed.summary or summarize(completed.output)) if completed else None
        await self.live.publish(
            _appended(task, lines), RunEnded.of(task, execution, summary), TaskStatusChanged.of(task)
        )
        return execution.status


def _appended(task: AgentTask, lines: list[LogLine]) -> LogAppended:
    return LogAppended(task.id, task.project_id, lines[0].execution_number, tuple(lines))


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
    if execution.status is ExecutionStatus.SUCCEEDED and outcome.completed is not None:
        data["num_turns"] = outcome.completed.num_turns
        recorder.note(LogKind.RESULT, outcome.completed.summary or summarize(outcome.completed.output), data=data)
        return
    error = execution.error
    message = f"{execution.status}: {error.message}" if error else str(execution.status)
    if error:
        data["error_code"] = error.code
    recorder.note(LogKind.RESULT, message, LogLevel.ERROR, data)


async def _stop(stream: AsyncIterator[AgentEvent], waiting: asyncio.Future[AgentEvent] | None) -> None:
    """Stop the agent: cancel the pending read, then close the stream so the runner cleans up."""
    if waiting is not None:
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
    close = getattr(stream, "aclose", None)
    if close is not None:
        await close()
