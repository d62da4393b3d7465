"""The event relay's cost per task, alone: CPU, statements and database round trips of delivering the events
a pipeline of N tasks recorded (submitted, started, succeeded: about 3 a task).

    uv run python bench/relay.py [--tasks 1000] [--threads 8]

The tasks go through as in bench/pipeline.py (SubmitTask in this process, the job relay, one `agentry worker`),
but with no event relay: their events wait in the outbox. Then the event relay's passes (as `serve` runs them,
the webhook and ingestion dispatch included) deliver the backlog, through a round-trip counting proxy, with
nothing else running in this process: the CPU time of this process over that drain is the relay's alone, so
it is steadier than wall-clock figures on a shared machine. A backlog makes full batches; under load, passes
take what arrived since the last (bench/pipeline.py), so per-pass costs weigh a little more there.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

# Run as a script, this folder comes first on the import path and its http.py would shadow `http`.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.dramatiq.brokers import make_broker
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.events import _EventPass
from agentry.entrypoints.relay.jobs import run_relay
from agentry.entrypoints.relay.wakeup import RelayWakeup
from bench.pipeline import AGENTRY, BENCH_SECRET, LIFTED_QUOTAS, REDIS, _fields, process, submit, throwaway_database
from bench.roundtrips import RoundTripProxy


def waiting_events(database: str) -> int:
    with psycopg.connect(database) as db:
        row = db.execute("SELECT count(*) FROM domain_events WHERE delivered_at IS NULL").fetchone()
    return int(row[0]) if row else 0


def succeeded(database: str) -> int:
    with psycopg.connect(database) as db:
        row = db.execute("SELECT count(*) FROM tasks WHERE status = 'succeeded'").fetchone()
    return int(row[0]) if row else 0


async def backlog(database: str, count: int, threads: int, namespace: str, env: dict[str, str]) -> None:
    """`count` tasks through to success, their events left in the outbox."""
    settings = load_settings(env)
    settings = settings.__class__(**{**_fields(settings), "database_url": database})
    wakeup = RelayWakeup()
    container = make_container(settings, make_broker(REDIS, namespace=namespace), wakeup)
    jobs = asyncio.create_task(run_relay(container, wakeup, settings.relay_poll_interval_s))
    try:
        with process([AGENTRY, "worker", "--processes", "1", "--threads", str(threads)], env):
            await submit(container, count, f"relay-{uuid.uuid4().hex}", at_once=settings.http_concurrency)
            deadline = time.monotonic() + 900
            while await asyncio.to_thread(succeeded, database) < count:
                if time.monotonic() > deadline:
                    raise TimeoutError("the tasks did not finish in time")
                await asyncio.sleep(0.2)
    finally:
        wakeup.stop()
        await jobs
        await container.close()


async def drain(database: str, namespace: str, env: dict[str, str]) -> tuple[float, int, int, int]:
    """Deliver the outbox's backlog as the relay's passes do: (CPU s, passes, statements, round trips)."""
    parts = urlsplit(database)
    proxy = RoundTripProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    port = await proxy.start()
    proxied = database.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{port}")
    settings = load_settings(env)
    settings = settings.__class__(**{**_fields(settings), "database_url": proxied})
    container = make_container(settings, make_broker(REDIS, namespace=namespace), RelayWakeup())
    statements = [0]

    def seen(*_: object) -> None:
        statements[0] += 1

    try:
        engine = await container.get(AsyncEngine)
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        one_pass = _EventPass(settings.relay_poll_interval_s)
        await one_pass(container)  # warms the pool and the statement caches: one full batch, not counted
        statements[0], trips_before, passes = 0, proxy.counter.round_trips, 0
        times = os.times()
        while True:
            passes += 1
            if not await one_pass(container):
                break
        after = os.times()
        cpu = after.user + after.system - times.user - times.system
        return cpu, passes, statements[0], proxy.counter.round_trips - trips_before
    finally:
        await container.close()
        await proxy.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    namespace = f"agentry-bench-{uuid.uuid4().hex[:8]}"
    env = {
        "AGENTRY_PROFILE": "production",
        "AGENTRY_REDIS_URL": REDIS,
        "AGENTRY_REDIS_NAMESPACE": namespace,
        "AGENTRY_LOG_LEVEL": "WARNING",
        "AGENTRY_SCRIPTED_RUNNER": "true",
        "AGENTRY_METRICS": "false",
        **LIFTED_QUOTAS,
        **BENCH_SECRET,
    }
    with throwaway_database() as database:
        env["AGENTRY_DATABASE_URL"] = database
        asyncio.run(backlog(database, args.tasks, args.threads, namespace, env))
        events = waiting_events(database)
        cpu, passes, statements, round_trips = asyncio.run(drain(database, namespace, env))
        left = waiting_events(database)
    delivered = events - left  # less the warm-up pass's batch, below
    print(f"event relay: {args.tasks} tasks, {events} events in the outbox, {left} left after the drain")
    measured_tasks = args.tasks * (delivered - min(200, delivered)) / max(1, events)
    print(f"  measured after a warm-up pass: {passes} passes, {statements} statements, {round_trips} round trips")
    print(
        f"  per task ({measured_tasks:.0f} tasks' events): CPU {cpu / measured_tasks * 1000:.3f} ms (this process),"
        f" {statements / measured_tasks:.3f} statements, {round_trips / measured_tasks:.3f} round trips"
    )


if __name__ == "__main__":
    main()
