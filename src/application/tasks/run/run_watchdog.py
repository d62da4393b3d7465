"""Running the agent under watch: its events are read under a time limit, an inactivity time-out,
stop signals and the run's budget cap, and its log is written in batches, riding out outages."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from agentry.application.ports.clock import Clock
from agentry.application.ports.live_events import LiveEvents, LogAppended
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    AgentRun,
    Exchange,
    RunCompleted,
    RunnerCatalog,
    TextDelta,
)
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.run_signals import RunSignals, StopReason, StopWatch
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.run.database_outage import OutageWatch, roll_back, unstored
from agentry.application.tasks.run.execution_recorder import ExecutionRecorder
from agentry.application.tasks.run.run_outcome import RunOutcome
from agentry.application.tasks.run.run_settings import RunSettings
from agentry.domain.money import usd
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask

HISTORY_MAX = 100  # earlier exchanges of a follow-up chain sent back to a runner that keeps no session


class ExecutionLost(Exception):
    """This worker was silent past the time-out (stalled, or cut off from the database) and the
    execution was recovered as lost meanwhile: the run stops, and its ending is not written."""


@dataclass(frozen=True, slots=True)
class RunWatchdog:
    tasks: TaskRepository
    executions: ExecutionRepository
    logs: LogStore
    runners: RunnerCatalog
    uow: UnitOfWork
    clock: Clock
    settings: RunSettings
    live: LiveEvents
    signals: RunSignals
    results: ResultRepository

    async def __call__(
        self,
        task: AgentTask,
        execution: TaskExecution,
        recorder: ExecutionRecorder,
        outage: OutageWatch,
        tools: tuple[str, ...] | None = None,
        hosts: tuple[str, ...] = (),
    ) -> RunOutcome:
        """Run the agent; `tools`: the only tools it may use (its project restricts them), if any; `hosts`:
        those it may reach."""
        gateway = self.runners.get(task.options.runner)  # the claim made sure it is configured
        request = AgentRun(
            task.id,
            execution.id,
            execution.attempt,
            task.prompt,
            task.options,
            resume_session_id=task.resume_session_id,
            workspace_id=task.workspace_id,
            tools=tools,
            hosts=hosts,
            history=await self._history(task) if task.follows_task_id and gateway.needs_history else (),
        )
        with self.signals.watch(task.id) as stops:
            return await self._consume(gateway.run(request), task, recorder, stops, outage)

    async def _history(self, task: AgentTask) -> tuple[Exchange, ...]:
        """The chain's earlier prompts and answers, oldest first (a task deleted since ends the walk)."""
        assert task.follows_task_id is not None
        return tuple(await self.results.chain(task.follows_task_id, HISTORY_MAX))

    async def _consume(
        self,
        stream: AsyncIterator[AgentEvent],
        task: AgentTask,
        recorder: ExecutionRecorder,
        stops: StopWatch,
        outage: OutageWatch,
    ) -> RunOutcome:
        """Read events until the run ends, under a total time limit, an inactivity time-out and
        cancel checks; write the log in batches on the way, but the first piece of the answer at once (a
        chat's reader waits for it: a run that ends at once would hold it back for its ending). "At once"
        is as soon as the agent pauses: events it has ready already are read first, so a run that ends
        without a pause (nothing to wait for) writes its first words with its ending, in one transaction
        where it took two, and its reader waits no longer. A stop
        request wakes the loop at once: a cancel is confirmed with the database (the poll, brought
        forward), a shutdown stops the run.
        While the database cannot be reached, the lines wait and the write is tried again at each
        poll only; once `log_backlog_max` lines wait, the agent's events are no longer read (the
        agent waits, and its silence meanwhile is not inactivity) until a write goes through."""
        settings, options, project_id = self.settings, task.options, task.project_id
        loop = asyncio.get_running_loop()
        started = last_event = loop.time()
        deadline = started + options.time_limit_s
        next_poll = started + settings.heartbeat_interval_s
        flush_at = math.inf
        answering = False  # the first piece of the answer is written at once, later ones in batches
        hurry = False  # the first piece is due: written once the agent pauses (it may be ending)
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
                arrived_now = False
                if waiting is not None and waiting.done():
                    arrived, waiting = waiting, None
                    try:
                        event = arrived.result()
                    except StopAsyncIteration:
                        return RunOutcome.failed("no_result", "the agent stopped without reporting a result")
                    except Exception as error:  # the runner broke; the execution must still end
                        return RunOutcome.failed("runner_error", f"{type(error).__name__}: {error}")
                    last_event, arrived_now = now, True
                    recorder.record(event)
                    if not outage.ongoing:
                        first_words = isinstance(event, TextDelta) and not answering
                        hurry = hurry or first_words
                        flush_at = now if first_words else min(flush_at, now + settings.log_flush_interval_s)
                    answering = answering or isinstance(event, TextDelta)
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
                # the first words wait while the agent has more ready (the wait above then times out at once)
                held = hurry and arrived_now
                due = not outage.ongoing and (
                    (now >= flush_at and not held) or recorder.buffered >= settings.log_batch_size
                )
                if poll or due:
                    if await self._checkpoint(project_id, recorder, outage, poll=poll):
                        return RunOutcome.cancelled()
                    flush_at, hurry = math.inf, False
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
            if bool(lines) != poll:  # one write (the lines, or the heartbeat): no BEGIN and COMMIT
                await self.uow.each_on_its_own()
            if missing := await unstored(self.logs, recorder, lines, outage):
                await self.logs.append(missing)
            # one statement: the heartbeat, and whether the task is being cancelled meanwhile
            status = await self.executions.beat_and_read(recorder.execution_id, self.clock.now()) if poll else None
            cancelling = status is TaskStatus.CANCELLING
            alive = not poll or status is not None
            await self.uow.commit()
        except Exception as error:
            if not self.uow.unavailable(error):
                raise
            await roll_back(self.uow, outage, error, "writing the log")
            return False
        outage.reached()
        if lines:
            recorder.written(lines[-1].sequence)
            await self.live.publish(LogAppended.of(project_id, lines))
        if not alive:
            raise ExecutionLost(recorder.execution_id)
        return cancelling


def _over_budget(options: TaskOptions, recorder: ExecutionRecorder) -> RunOutcome | None:
    """A run whose reported cost went over its own cap stops, failed for good (another attempt would
    spend again)."""
    cap, spent = options.max_budget_usd, recorder.usage.cost_usd
    if cap is None or spent <= cap:
        return None
    return RunOutcome.failed(
        "budget_exceeded", f"the run spent ${usd(spent)}, more than its cap of ${usd(cap)} (options.max_budget_usd)"
    )


async def _stop(stream: AsyncIterator[AgentEvent], waiting: asyncio.Future[AgentEvent] | None) -> None:
    """Stop the agent: cancel the pending read, then close the stream so the runner cleans up."""
    if waiting is not None:
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
    close = getattr(stream, "aclose", None)
    if close is not None:
        await close()
