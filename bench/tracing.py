"""Tracing on against off, in the same run: authenticated reads per second and pipeline tasks per second.

    uv run python bench/tracing.py [--seconds 8] [--tasks 400] [--rounds 2] [--with-metrics] [--together]
                                   [--agentry PATH]

"Off" is the default deployment (no OTEL_EXPORTER_OTLP_ENDPOINT); "on" exports every span over
OTLP/HTTP to a collector double in this process, on loopback (tests/integration/otlp_double.py), with
the SDK's default batching. Both run `agentry serve` (production profile, PostgreSQL + Redis); the
pipeline adds one `agentry worker` process (8 threads, the zero-delay scripted runner) and submits over
HTTP, so each task's whole trace (request, outbox, relay, message, claim, run, ending, statements and
Redis calls) is made and exported. Rounds alternate off and on; the medians are compared. Goal: each
ratio (on / off) >= 0.9. With --with-metrics, "on" also turns Prometheus metrics on (the API's and the
worker's exposition servers on ports of their own, multiprocess mode), so the ratio is of everything an
operator turns on against nothing. With --together, each round of reads serves "off" and "on" side by
side and loads both at once, so that both meet the same background load (on a machine shared with
other runs, alternating rounds see it come and go; together, the throughput of each is about half).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.otlp_double import OtlpDouble

from bench.pipeline import AGENTRY, LIFTED_QUOTAS, TICKS
from bench.serving import Server, free_port, require_wrk, serving, sign_in, throwaway_database, wrk

WARM_UP = 30  # tasks run before a pipeline round is timed

# Small pools: the PostgreSQL server may be shared (its 100 connections) with other runs. The pool
# must exceed the requests admitted at once (AGENTRY_HTTP_CONCURRENCY).
QUIET = {
    "AGENTRY_ACCESS_TOKEN_TTL_S": "3600",
    "AGENTRY_RATE_LIMITING": "false",
    "AGENTRY_HTTP_CONCURRENCY": "4",
    "AGENTRY_DB_POOL_SIZE": "6",
    # What bench/serving.py sets for the current build only, set for another checkout's too (--agentry).
    "AGENTRY_SCRIPTED_RUNNER": "true",
    "AGENTRY_METRICS": "false",
    "AGENTRY_SERVE_WORKERS": "1",
    **LIFTED_QUOTAS,
}


@dataclass(frozen=True)
class Figure:
    """One round's throughput, and the CPU time the server (and worker) spent per read or task: the
    CPU figure holds when a loaded machine makes the throughput wander. For the pipeline also: the CPU
    per task of the PostgreSQL backends serving the round's database (tracing changes none of their
    work: where it rises with the API's and the worker's, the machine was slower), and, with tracing,
    the spans exported per task and the collector double's own CPU per task (in this process, which
    also submits: so that it is seen to be small)."""

    per_s: float
    cpu_ms: float
    database_ms: float = float("nan")
    spans: float = float("nan")
    double_ms: float = float("nan")


def reads_per_s(database: str, tracing: dict[str, str], seconds: int, agentry: str) -> Figure:
    with serving(database, agentry, **(QUIET | tracing)) as server:
        token = sign_in(server.base) if not _signed_up.get(database) else _log_in(server.base)
        _signed_up[database] = True
        headers = {"Authorization": f"Bearer {token}"}
        task = httpx.post(f"{server.base}/api/v1/tasks", json={"title": "one", "prompt": "p"}, headers=headers)
        url = f"{server.base}/api/v1/tasks/{task.json()['id']}"
        wrk(url, 16, 2, token=token)  # warm-up
        cpu = server.cpu_seconds()
        load = wrk(url, 16, seconds, token=token)
        return Figure(load.rps, (server.cpu_seconds() - cpu) * 1000 / max(1, load.requests))


_signed_up: dict[str, bool] = {}


def reads_together(
    database: str, on: dict[str, str], seconds: int, agentry: str, on_first: bool
) -> tuple[Figure, Figure]:
    """Reads per second and CPU per read of "off" and "on", served side by side and loaded at once;
    `on_first`: which is started (and loaded) first, to alternate from round to round (the second
    started, "on", did better in all five rounds of one run)."""
    settings = [QUIET, QUIET | on][:: -1 if on_first else 1]
    with serving(database, agentry, **settings[0]) as first, serving(database, agentry, **settings[1]) as second:
        off_server, on_server = (second, first) if on_first else (first, second)
        figures: dict[str, Figure] = {}
        ready = threading.Barrier(2)
        tokens = {}
        for server in (first, second):  # one after the other: the first signs up
            tokens[server.base] = sign_in(server.base) if not _signed_up.get(database) else _log_in(server.base)
            _signed_up[database] = True

        def load(mode: str, server: Server) -> None:
            token = tokens[server.base]
            headers = {"Authorization": f"Bearer {token}"}
            task = httpx.post(f"{server.base}/api/v1/tasks", json={"title": "one", "prompt": "p"}, headers=headers)
            url = f"{server.base}/api/v1/tasks/{task.json()['id']}"
            wrk(url, 16, 2, token=token)  # warm-up
            ready.wait()
            cpu = server.cpu_seconds()
            done = wrk(url, 16, seconds, token=token)
            figures[mode] = Figure(done.rps, (server.cpu_seconds() - cpu) * 1000 / max(1, done.requests))

        order = (("on", on_server), ("off", off_server)) if on_first else (("off", off_server), ("on", on_server))
        threads = [threading.Thread(target=load, args=pair) for pair in order]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return figures["off"], figures["on"]


def _log_in(base: str) -> str:
    from bench.serving import BENCH_USER

    return str(httpx.post(f"{base}/api/v1/auth/login", json=BENCH_USER).json()["access_token"])


async def _submit(base: str, token: str, count: int) -> None:
    limit = asyncio.Semaphore(32)
    prefix = uuid.uuid4().hex
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:

        async def one(i: int) -> None:
            async with limit:
                body = {"title": "bench", "prompt": "Say hi"}
                key = {"Idempotency-Key": f"{prefix}-{i}"}
                answer = await client.post("/api/v1/tasks", json=body, headers=key)
                while answer.status_code == 503:  # admission control's short queue was full: as told, later
                    await asyncio.sleep(float(answer.headers.get("Retry-After", "1")))
                    answer = await client.post("/api/v1/tasks", json=body, headers=key)
                answer.raise_for_status()

        await asyncio.gather(*(one(i) for i in range(count)))


def tasks_per_s(tracing: dict[str, str], count: int, agentry: str, collector: OtlpDouble) -> Figure:
    spans, double_cpu = len(collector.spans), collector.cpu_seconds
    with (
        throwaway_database() as database,
        serving(database, agentry, worker=True, **(QUIET | tracing)) as server,
        psycopg.connect(database, autocommit=True) as db,  # one connection to poll on: the server is shared
    ):
        token, succeeded = warmed_up(server.base, db)
        started, cpu = time.perf_counter(), server.cpu_seconds() + server.worker_cpu_seconds()
        database = _backends_cpu(db)
        asyncio.run(_submit(server.base, token, count))
        _wait(lambda: succeeded() >= WARM_UP + count, 600)
        elapsed, cpu = time.perf_counter() - started, server.cpu_seconds() + server.worker_cpu_seconds() - cpu
        database_ms = sum(_backends_cpu(db).get(pid, 0) - seconds for pid, seconds in database.items()) * 1000 / count
    if "OTEL_EXPORTER_OTLP_ENDPOINT" not in tracing:
        return Figure(count / elapsed, cpu * 1000 / count, database_ms)
    # The processes have exported all their spans as they stopped: those of the warm-up's tasks too.
    spans = (len(collector.spans) - spans) / (WARM_UP + count)
    double_ms = (collector.cpu_seconds - double_cpu) * 1000 / (WARM_UP + count)
    return Figure(count / elapsed, cpu * 1000 / count, database_ms, spans, double_ms)


def warmed_up(base: str, db: psycopg.Connection[tuple[object, ...]]) -> tuple[str, Callable[[], int]]:
    """Signed in, WARM_UP tasks submitted and run: the token, and how many tasks have succeeded so far."""

    def succeeded() -> int:
        row = db.execute("SELECT count(*) FROM tasks WHERE status = 'succeeded'").fetchone()
        return int(str(row[0])) if row else 0

    token = sign_in(base)
    asyncio.run(_submit(base, token, WARM_UP))
    _wait(lambda: succeeded() >= WARM_UP, 120)
    return token, succeeded


def _backends_cpu(db: psycopg.Connection[tuple[object, ...]]) -> dict[int, float]:
    """The CPU seconds used so far by each PostgreSQL backend connected to `db`'s database."""
    rows = db.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").fetchall()
    return {int(str(pid)): stat_cpu(Path(f"/proc/{pid}/stat")) for (pid,) in rows}


def stat_cpu(stat: Path) -> float:
    """User + system CPU seconds in a /proc stat file (a process's or a thread's); 0 once it is gone."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone (a connection closed, a thread ended)
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _wait(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark did not finish in time")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=400, help="0: reads only")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--with-metrics", action="store_true", help="on: Prometheus metrics as well as tracing")
    parser.add_argument("--together", action="store_true", help="reads: off and on served side by side, loaded at once")
    parser.add_argument("--agentry", default=AGENTRY, help="the agentry executable to measure (another checkout's)")
    args = parser.parse_args()
    require_wrk()
    reads: dict[str, list[Figure]] = {"off": [], "on": []}
    tasks: dict[str, list[Figure]] = {"off": [], "on": []}
    nothing = Figure(float("nan"), float("nan"))
    with OtlpDouble() as collector, throwaway_database() as database:
        on = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint}
        if args.with_metrics:
            on |= {
                "AGENTRY_METRICS": "true",
                "AGENTRY_METRICS_HOST": "127.0.0.1",
                "AGENTRY_METRICS_PORT": str(free_port()),
                "AGENTRY_WORKER_METRICS_PORT": str(free_port()),
            }
        for round_ in range(args.rounds):
            if args.together:
                off_figure, on_figure = reads_together(database, on, args.seconds, args.agentry, round_ % 2 == 1)
                reads["off"].append(off_figure)
                reads["on"].append(on_figure)
            for mode, tracing in (("off", {}), ("on", on)):
                if not args.together:
                    reads[mode].append(reads_per_s(database, tracing, args.seconds, args.agentry))
                tasks[mode].append(tasks_per_s(tracing, args.tasks, args.agentry, collector) if args.tasks else nothing)
                read, task = reads[mode][-1], tasks[mode][-1]
                print(
                    f"  round: {mode:3} reads/s {read.per_s:8.0f} ({read.cpu_ms:5.2f} CPU ms each)"
                    f"  tasks/s {task.per_s:7.1f} ({task.cpu_ms:6.1f} CPU ms each, API + worker;"
                    f" PostgreSQL {task.database_ms:4.1f}; {task.spans:4.1f} spans, double {task.double_ms:5.3f} ms)",
                    flush=True,
                )
        exported = len(collector.spans)
    what = "tracing and metrics" if args.with_metrics else "tracing"
    how = "rounds (reads served side by side)" if args.together else "alternating rounds"
    print(f"{what}: on (OTLP/HTTP to a local collector double) / off, medians of {args.rounds} {how}")
    print(f"  load average (1, 5, 15 min): {os.getloadavg()}")
    for label, figures in (
        ("authenticated reads/s (GET /api/v1/tasks/{id}, 16 clients)", reads),
        ("pipeline tasks/s", tasks),
    ):
        off, on_ = (statistics.median(f.per_s for f in figures[mode]) for mode in ("off", "on"))
        print(f"  {label:58} off {off:8.1f}  on {on_:8.1f}  ratio {on_ / off:5.2f}  (goal >= 0.9)")
        off, on_ = (statistics.median(f.cpu_ms for f in figures[mode]) for mode in ("off", "on"))
        print(f"  {'  CPU ms each':58} off {off:8.2f}  on {on_:8.2f}  ratio {off / on_:5.2f}  (off / on)")
    if args.tasks:
        off, on_ = (statistics.median(f.database_ms for f in tasks[mode]) for mode in ("off", "on"))
        print(f"  {'  PostgreSQL CPU ms each (a control: tracing adds none)':58} off {off:8.2f}  on {on_:8.2f}")
        spans, double = (statistics.median(getattr(f, name) for f in tasks["on"]) for name in ("spans", "double_ms"))
        print(f"  spans exported a task: {spans:.1f}; the collector double's CPU a task: {double:.3f} ms")
    print(f"  spans exported to the double: {exported}")


if __name__ == "__main__":
    main()
