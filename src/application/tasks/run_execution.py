"""The worker's use case: run one execution of a task, end it exactly once."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

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
from application.ports.project_usage import ProjectUsage
from application.ports.projects import ProjectRepository
from application.ports.result_repository import ResultRepository
from application.ports.run_signals import RunSignals, StopReason, StopWatch
from application.ports.task_repository import TaskRepository
from application.ports.unit_of_work import UnitOfWork
from application.tasks.budget import require_budget
from application.tasks.database_outage import OutageWatch
from application.tasks.execution_recorder import ExecutionRecorder
from application.tasks.run_outcome import RunOutcome
from domain.errors import BudgetExhausted, IllegalTransition, StaleExecution
from domain.executions import ExecutionStatus, TaskExecution
from domain.logs import LogKind, LogLevel, LogLine
from domain.outbox import ExecutionOrder, QueueJob
from domain.principal import Principal
from domain.results import TaskResult, summarize
from domain.task_spec import TaskOptions
from domain.tasks import AgentTask, TaskStatus
from domain.usage import usd


@dataclass(frozen=True, slots=True)
class RunSettings:
    worker_id: str = "worker"
    log_batch_size: int = 200
    log_flush_interval_s: float = 0.02
    heartbeat_interval_s: float = 1.0
    retry_backoff_min_s: float = 1.0
    retry_backoff_max_s: float = 60.0
    limit_wait_s: float = 1.0  # how long an order held back by its project's concurrency limit waits
    # Riding out a database outage: the ending is written again after a pause growing from the
    # minimum to the maximum, for up to `worker_lost_after_s` (then the recovery's rule applies);
    # while the log cannot be written, past `log_backlog_max` waiting lines the agent's events wait.
    worker_lost_after_s: float = 15.0
    ending_retry_min_s: float = 0.5
    ending_retry_max_s: float = 5.0
    log_backlog_max: int = 5_000
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
        task, execution, refusal = claimed
        recorder = ExecutionRecorder(execution, self.clock)
        outage = OutageWatch(execution.id)
        recorder.note(
            LogKind.SYSTEM,
            f"execution #{execution.number} (attempt {execution.attempt} of {task.max_attempts}) started "
            f"on {execution.worker_id} with runner {task.options.runner or self.runners.default}",
        )
        try:
            outcome = refusal or await self._drive(task, execution, recorder, outage)
        except ExecutionLost:
            return None  # recovered elsewhere as lost: its ending is written already
        return await self._finish(task, execution, recorder, outcome, outage)

    async def _claim(self, order: ExecutionOrder) -> tuple[AgentTask, TaskExecution, RunOutcome | None] | None:
        """Start the order's execution, under the task's lock. None: the order is a duplicate or outdated,
        or its project is at its concurrency limit (the task stays queued; the order is offered again
        after `limit_wait_s`). The third item, if any, is why the run may not go ahead (the project's
        monthly budget is spent): the execution then ends with it at once."""
        task = await self.tasks.get(order.task_id, for_update=True)
        if task is None or not task.awaits(order.number):
            await self.uow.rollback()
            return None
        now = self.clock.now()
        room, refusal = await self._limits(task, order, now)
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
        await self.live.publish(TaskStatusChanged.of(task))
        return task, execution, refusal

    async def _limits(self, task: AgentTask, order: ExecutionOrder, now: datetime) -> tuple[bool, RunOutcome | None]:
        """Whether the task's project has room for one more run, and why the run may not go ahead at all
        (its monthly budget is spent), if it may not. Under a concurrency limit the claims of a project
        take turns on its lock, so two cannot both see the last free slot; a slot goes to the most urgent
        waiting work first (the oldest among equals), whichever order the messages arrive in."""
        project = await self.projects.get(task.project_id)
        if project is None:
            return True, None
        try:
            await require_budget(self.usage, project, now)
        except BudgetExhausted as spent:
            return True, RunOutcome.failed(spent.code, str(spent))
        if project.settings.max_running is None:
            return True, None
        project = await self.projects.get(project.id, for_update=True)
        if project is None:
            return True, None
        limits = project.settings
        running = await self.usage.running_executions(project.id)
        if not limits.has_room(running, ahead=0):
            return False, None
        ahead = await self.usage.queued_ahead(project.id, order, task.priority.rank, now)
        return limits.has_room(running, ahead), None

    async def _drive(
        self, task: AgentTask, execution: TaskExecution, recorder: ExecutionRecorder, outage: OutageWatch
    ) -> RunOutcome:
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
        with self.signals.watch(task.id) as stops:
            return await self._consume(gateway.run(request), task, recorder, stops, outage)

    async def _consume(
        self,
        stream: AsyncIterator[AgentEvent],
        task: AgentTask,
        recorder: ExecutionRecorder,
        stops: StopWatch,
        outage: OutageWatch,
    ) -> RunOutcome:
        """Read events until the run ends, under a total time limit, an inactivity time-out and
        cancel checks; write the log in batches on the way. A stop request wakes the loop at once:
        a cancel is confirmed with the database (the poll, brought forward), a shutdown stops the run.
        While the database cannot be reached, the lines wait and the write is tried again at each
        poll only; once `log_backlog_max` lines wait, the agent's events are no longer read (the
        agent waits, and its silence meanwhile is not inactivity) until a write goes through."""
        settings, options, project_id = self.settings, task.options, task.project_id
        loop = asyncio.get_running_loop()
        started = last_event = loop.time()
        deadline = started + options.time_limit_s
        next_poll = started + settings.heartbeat_interval_s
        flush_at = math.inf
        waiting: asyncio.Future[AgentEvent] | None = None
        stopping = asyncio.ensure_future(stops.next())
        try:
            while recorder.ending is None:
                if outage.ongoing and recorder.buffered >= settings.log_backlog_max:
                    last_event = loop.time()  # held back by us, not silent
                elif waiting is None:
                    waiting = asyncio.ensure_future(anext(stream))
                wake = min(deadline, last_event + options.inactivity_timeout_s, next_poll, flush_at)
                await asyncio.wait(
                    [f for f in (waiting, stopping) if f is not None],
                    timeout=max(0.0, wake - loop.time()),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                now = loop.time()
                if waiting is not None and waiting.done():
                    arrived, waiting = waiting, None
                    try:
                        event = arrived.result()
                    except StopAsyncIteration:
                        return RunOutcome.failed("no_result", "the agent stopped without reporting a result")
                    except Exception as error:  # the runner broke; the execution must still end
                        return RunOutcome.failed("runner_error", f"{type(error).__name__}: {error}")
                    last_event = now
                    recorder.record(event)
                    if not outage.ongoing:
                        flush_at = min(flush_at, now + settings.log_flush_interval_s)
                    if recorder.ending is not None:
                        break
                    if (over := _over_budget(options, recorder)) is not None:
                        return over
                if stopping.done():
                    reason, stopping = stopping.result(), asyncio.ensure_future(stops.next())
                    if reason is StopReason.SHUTDOWN:
                        return RunOutcome.interrupted_by_shutdown()
                    next_poll = now  # a cancel request: read the task's status now
                if now >= deadline:
                    return RunOutcome.timed_out("time_limit", f"the run exceeded its {options.time_limit_s}s limit")
                if now - last_event >= options.inactivity_timeout_s:
                    return RunOutcome.timed_out(
                        "inactivity_timeout", f"the agent sent nothing for {options.inactivity_timeout_s}s"
                    )
                poll = now >= next_poll
                due = not outage.ongoing and (now >= flush_at or recorder.buffered >= settings.log_batch_size)
                if poll or due:
                    if await self._checkpoint(project_id, recorder, outage, poll=poll):
                        return RunOutcome.cancelled()
                    flush_at = math.inf
                    if poll:
                        next_poll = now + settings.heartbeat_interval_s
        finally:
            stopping.cancel()
            await _stop(stream, waiting)
        ending = recorder.ending
        if isinstance(ending, RunCompleted):
            return RunOutcome.succeeded(ending)
        assert ending is not None
        return RunOutcome.failed(ending.code, ending.message, retryable=ending.retryable)

    async def _checkpoint(
        self, project_id: UUID, recorder: ExecutionRecorder, outage: OutageWatch, *, poll: bool
    ) -> bool:
        """Write buffered lines; on a poll, also renew the execution's heartbeat and say whether a
        cancel was asked for. If the database cannot be reached, roll back and keep the lines for the
        next try: the run goes on, and its heartbeat ages meanwhile. Raises ExecutionLost if the
        execution was ended elsewhere meanwhile (at the first heartbeat that goes through after an
        outage longer than the recovery's time-out)."""
        lines = recorder.pending()
        try:
            if unstored := await self._unstored(recorder, lines, outage):
                await self.logs.append(unstored)
            statuses = await self.tasks.statuses([recorder.task_id]) if poll else {}
            cancelling = statuses.get(recorder.task_id) is TaskStatus.CANCELLING
            alive = not poll or await self.executions.beat(recorder.execution_id, self.clock.now())
            await self.uow.commit()
        except Exception as error:
            if not self.uow.unavailable(error):
                raise
            await self._roll_back(outage, error, "writing the log")
            return False
        outage.reached()
        if lines:
            recorder.written(lines[-1].sequence)
            await self.live.publish(_appended(project_id, lines))
        if not alive:
            raise ExecutionLost(recorder.execution_id)
        return cancelling

    async def _unstored(self, recorder: ExecutionRecorder, lines: list[LogLine], outage: OutageWatch) -> list[LogLine]:
        """The lines not in the store yet: all of them, unless a commit failed for want of the database
        since the last one that went through (it may have gone through all the same)."""
        if not lines or not outage.unsure:
            return lines
        stored = await self.logs.read(recorder.task_id, recorder.number, lines[0].sequence - 1, len(lines))
        seen = {line.sequence for line in stored}
        return [line for line in lines if line.sequence not in seen]

    async def _roll_back(self, outage: OutageWatch, error: Exception, doing: str) -> None:
        """After a write failed for want of the database: end the transaction (which may fail too)."""
        outage.failed(error, doing)
        try:
            await self.uow.rollback()
        except Exception as again:
            if not self.uow.unavailable(again):
                raise

    async def _finish(
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
                return await self._write_ending(task, execution, recorder, outcome, outage, mark)
            except Exception as error:
                left = give_up_at - loop.time()
                if not self.uow.unavailable(error):
                    raise
                if left <= 0:
                    outage.gave_up("writing the ending")
                    raise
                await self._roll_back(outage, error, "writing the ending")
            recorder.rewind(mark)
            await asyncio.sleep(min(pause, left))
            pause = min(2 * pause, settings.ending_retry_max_s)

    async def _write_ending(
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
            order = ExecutionOrder(task.id, task.execution_count + 1)
            await self.outbox.enqueue(QueueJob(self.ids.new_id(), order, now, now, task.priority.rank))
            recorder.note(
                LogKind.RESULT,
                f"{outcome.error.code}: {outcome.error.message} (this attempt is not counted)",
                LogLevel.WARNING,
                {"status": execution.status, "error_code": outcome.error.code},
            )
        elif outcome.retryable and outcome.error and task.can_requeue():
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
        await self.logs.append(await self._unstored(recorder, lines, outage))
        await self.uow.commit()
        outage.reached()
        recorder.take()
        completed = outcome.completed if execution.status is ExecutionStatus.SUCCEEDED else None
        summary = (completed.summary or summarize(completed.output)) if completed else None
        await self.live.publish(
            _appended(task.project_id, lines), RunEnded.of(task, execution, summary), TaskStatusChanged.of(task)
        )
        return execution.status


class ExecutionLost(Exception):
    """This worker was silent past the time-out (stalled, or cut off from the database) and the
    execution was recovered as lost meanwhile: the run stops, and its ending is not written."""


def _over_budget(options: TaskOptions, recorder: ExecutionRecorder) -> RunOutcome | None:
    """A run whose reported cost went over its own cap stops, failed for good (another attempt would
    spend again)."""
    cap, spent = options.max_budget_usd, recorder.usage.cost_usd
    if cap is None or spent <= cap:
        return None
    return RunOutcome.failed(
        "budget_exceeded", f"the run spent ${usd(spent)}, more than its cap of ${usd(cap)} (options.max_budget_usd)"
    )


def _appended(project_id: UUID, lines: list[LogLine]) -> LogAppended:
    return LogAppended(lines[0].task_id, project_id, lines[0].execution_number, tuple(lines))


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
