"""The worker's use case alone, in one process: the event loop's CPU time per task of RunExecution (claim,
the zero-delay scripted run, ending) on PostgreSQL and Redis, as a worker process's container builds it,
without Dramatiq, the relays or a second process sharing the cores (on uvloop, as the worker's loop is).

    uv run python bench/worker_cpu.py [--tasks 400] [--rounds 5] [--at-once 8] [--profile FILE]

Each round submits `--tasks` tasks (queued, their orders left unsent), then runs their first
execution `--at-once` at a time, as a worker's threads hand them to its loop. Printed per round: the
loop thread's CPU time a task (time.thread_time: the thread's own, whatever else the machine runs);
with `--profile`, the last round runs under cProfile (its figure is then the profiler's, not the
build's) and the Python function calls a task are printed too, a count that does not depend on load.
Run it in two checkouts in turn to compare builds (`cd CHECKOUT && uv run python /path/to/bench/worker_cpu.py`:
the build is the one the checkout's environment imports).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import cProfile
import pstats
import statistics
import time
import uuid
from uuid import UUID

import psycopg
import uvloop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.channels.event_wakeups import EventWakeupPublisher
from agentry.adapters.channels.names import ChannelNames
from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.dramatiq.brokers import make_broker
from agentry.application.tasks.run.run_execution import RunExecution
from agentry.application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.spec import TaskSpec
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.pubsub import pubsub_redis
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.seed import demo_principal, ensure_demo_user
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from bench.pipeline import BENCH_SECRET, LIFTED_QUOTAS, REDIS, throwaway_database


async def _submit(container: object, count: int) -> list[UUID]:
    actor = await demo_principal(container)  # type: ignore[arg-type]
    prefix = uuid.uuid4().hex
    ids = []
    for i in range(count):
        async with container() as request:  # type: ignore[operator]
            submit = await request.get(SubmitTask)
            submitted = await submit(actor, SubmitTaskCommand(TaskSpec("bench", "Say hi"), f"{prefix}-{i}"))
            ids.append(submitted.task.id)
    return ids


async def _run(container: object, task_ids: list[UUID], at_once: int) -> float:
    limit = asyncio.Semaphore(at_once)
    ended: list[ExecutionStatus | None] = []

    async def one(task_id: UUID) -> None:
        async with limit, container() as request:  # type: ignore[operator]
            use_case = await request.get(RunExecution)
            ended.append(await use_case(SYSTEM_PRINCIPAL, ExecutionOrder(task_id, 1)))

    started = time.thread_time()
    await asyncio.gather(*(one(task_id) for task_id in task_ids))
    spent = time.thread_time() - started
    if ended.count(ExecutionStatus.SUCCEEDED) != len(task_ids):
        raise RuntimeError(f"not every execution succeeded: {ended[:5]}")
    return spent / len(task_ids)


async def _bench(database: str, count: int, rounds: int, at_once: int, profile: str | None) -> None:
    namespace = f"agentry-bench-{uuid.uuid4().hex[:8]}"
    env = {
        "AGENTRY_PROFILE": "production",
        "AGENTRY_DATABASE_URL": database,
        "AGENTRY_REDIS_URL": REDIS,
        "AGENTRY_REDIS_NAMESPACE": namespace,
        "AGENTRY_LOG_LEVEL": "WARNING",
        "AGENTRY_SCRIPTED_RUNNER": "true",
        "AGENTRY_METRICS": "false",
        **LIFTED_QUOTAS,
        **BENCH_SECRET,
    }
    settings = load_settings(env)
    broker = make_broker(REDIS, namespace=namespace)
    redis = pubsub_redis(settings)
    assert redis is not None
    wakeups = EventWakeupPublisher(redis, ChannelNames(namespace).events_written())
    container = make_container(settings, broker, RelayWakeup(events_elsewhere=wakeups.notify), signals=RunSignalHub())
    figures = []
    try:
        await ensure_demo_user(container)
        for number in range(rounds + 1):  # the first round warms up
            task_ids = await _submit(container, count)
            with psycopg.connect(database, autocommit=True) as db:
                db.execute("DELETE FROM queue_jobs")  # their orders are sent here, not by the job relay
            profiler = cProfile.Profile(time.thread_time) if profile and number == rounds else None
            if profiler is not None:
                profiler.enable()
            figure = await _run(container, task_ids, at_once)
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(profile)
                calls = sum(s[1] for s in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]
                print(f"  profiled round: {figure * 1e3:.3f} ms a task, {calls / count:.0f} function calls a task")
            elif number:
                figures.append(figure)
                print(f"  round {number}: {figure * 1e3:.3f} ms of the loop's CPU a task")
    finally:
        await container.close()
        await redis.aclose()
    print(f"median: {statistics.median(figures) * 1e3:.3f} ms a task ({count} tasks, {at_once} at a time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--at-once", type=int, default=8)
    parser.add_argument("--profile", help="a file for the cProfile statistics of one more round")
    args = parser.parse_args()
    with throwaway_database() as database:
        uvloop.run(_bench(database, args.tasks, args.rounds, args.at_once, args.profile))


if __name__ == "__main__":
    main()
