"""End-to-end pipeline benchmark: N tasks through PostgreSQL + Redis with the zero-delay scripted
runner and ONE `agentry worker` process, against a no-op Dramatiq actor on the same Redis.

    uv run python bench/pipeline.py [--tasks 2000] [--threads 8] [--roundtrip-tasks 300]
    uv run python bench/pipeline.py --baseline DIR [--rounds 3]   # against another build, in turn

The submitting side (the SubmitTask use case and the outbox relay, as `agentry serve` runs them,
without HTTP) lives in this process; the worker is a real `agentry worker` subprocess.
Round trips are counted by a TCP proxy in front of PostgreSQL, in a separate, smaller run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package (which urllib needs): the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.dramatiq.brokers import make_broker
from agentry.application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from agentry.domain.tasks.spec import TaskSpec
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.events import run_api_relays
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.seed import demo_principal, ensure_demo_user
from bench.other_build import pipeline_in_checkout
from bench.roundtrips import proxy_for, through

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
AGENTRY = str(Path(sys.executable).parent / "agentry")
# The benchmarks load the service with one user's bulk work, which the per-user quotas would refuse (past
# AGENTRY_USER_MAX_WAITING) or hold back (past AGENTRY_USER_MAX_RUNNING): this build's benchmarks lift them.
# Not for an older build, which does not know these settings.
LIFTED_QUOTAS = {"AGENTRY_USER_MAX_RUNNING": "null", "AGENTRY_USER_MAX_WAITING": "null"}
# The production profile seals keys (webhook secrets among them) with the operator's secret: without one the
# event relay's every pass failed on it (and a run held connections the submissions then waited for).
BENCH_SECRET = {"AGENTRY_SECRET_KEY": "bench-only-secret-key-of-sufficient-length"}


@contextmanager
def throwaway_database() -> Iterator[str]:
    name = f"agentry_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    try:
        migrate = [AGENTRY, "migrate", "upgrade"]  # also creates the access-token signing key
        subprocess.run(migrate, env=os.environ | {"AGENTRY_DATABASE_URL": url}, check=True, capture_output=True)
        yield url
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def process(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, env=os.environ | env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(session_id: int | None = None) -> float:
    """CPU time (user + system) of every process in a session, or of this process."""
    if session_id is None:
        times = os.times()
        return times.user + times.system
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id:  # field 6 of /proc/<pid>/stat, counted after the command
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


@dataclass
class Run:
    tasks_per_s: float
    worker_cpu_ms: float
    submitter_cpu_ms: float


def noop_throughput(count: int, threads: int, namespace: str) -> float:
    client = redis.Redis.from_url(REDIS)
    broker = make_broker(REDIS, namespace=namespace)
    broker.declare_queue("noop")
    done = f"{namespace}:done"
    env = {"BENCH_REDIS_URL": REDIS, "BENCH_NAMESPACE": namespace}
    cmd = [sys.executable, "-m", "dramatiq", "bench.noop_worker", "--processes", "1", "--threads", str(threads)]
    with process(cmd, env):
        from dramatiq import Message

        def send(n: int) -> None:
            for _ in range(n):
                broker.enqueue(Message(queue_name="noop", actor_name="noop", args=(), kwargs={}, options={}))

        send(1)
        wait_until(lambda: int(client.get(done) or 0) >= 1, 60)
        started = time.perf_counter()
        send(count)
        wait_until(lambda: int(client.get(done) or 0) >= count + 1, 600)
        return count / (time.perf_counter() - started)


def wait_until(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark did not finish in time")
        time.sleep(0.01)


def succeeded(database: str) -> int:
    with psycopg.connect(database) as db:
        row = db.execute("SELECT count(*) FROM tasks WHERE status = 'succeeded'").fetchone()
    return int(row[0]) if row else 0


def simple_task(_index: int) -> TaskSpec:
    return TaskSpec("bench", "Say hi")


async def submit(
    container: object, count: int, prefix: str, spec_for: Callable[[int], TaskSpec] = simple_task, at_once: int = 64
) -> None:
    """`at_once`: submissions in flight, as many as `serve` admits (AGENTRY_HTTP_CONCURRENCY): past its
    pool's connections they would wait out the check-out time-out instead of a queue."""
    limit = asyncio.Semaphore(at_once)
    await ensure_demo_user(container)  # type: ignore[arg-type]
    actor = await demo_principal(container)  # type: ignore[arg-type]

    async def one(i: int) -> None:
        async with limit, container() as request:  # type: ignore[operator]
            use_case = await request.get(SubmitTask)
            await use_case(actor, SubmitTaskCommand(spec_for(i), f"{prefix}-{i}"))

    await asyncio.gather(*(one(i) for i in range(count)))


async def pipeline_run(
    api_db: str,
    worker_db: str,
    count: int,
    threads: int,
    namespace: str,
    status_db: str | None = None,
    spec_for: Callable[[int], TaskSpec] = simple_task,
) -> Run:
    """Tasks per second from the first submission to the last success (after a warm-up of simple
    tasks). `status_db` is where progress is polled (directly, not through a counting proxy);
    `spec_for(i)` is the i-th task of the measured run."""
    status_db = status_db or api_db
    env = {
        "AGENTRY_PROFILE": "production",
        "AGENTRY_DATABASE_URL": worker_db,
        "AGENTRY_REDIS_URL": REDIS,
        "AGENTRY_REDIS_NAMESPACE": namespace,
        "AGENTRY_LOG_LEVEL": "WARNING",
        "AGENTRY_SCRIPTED_RUNNER": "true",  # off by default in production
        "AGENTRY_METRICS": "false",  # bench/metrics.py measures them
        **LIFTED_QUOTAS,
        **BENCH_SECRET,
    }
    settings = load_settings(env)
    broker = make_broker(REDIS, namespace=namespace)
    wakeup = RelayWakeup()
    api_settings = settings.__class__(**{**_fields(settings), "database_url": api_db})
    container = make_container(api_settings, broker, wakeup)
    relay = asyncio.create_task(run_api_relays(container, wakeup, api_settings))  # as `serve` runs them
    cmd = [AGENTRY, "worker", "--processes", "1", "--threads", str(threads)]
    try:
        with process(cmd, env) as worker:
            base = await asyncio.to_thread(succeeded, status_db)
            at_once = api_settings.http_concurrency
            await submit(container, 50, f"warm-{uuid.uuid4().hex}", at_once=at_once)
            await asyncio.to_thread(wait_until, lambda: succeeded(status_db) >= base + 50, 120)
            started, worker_cpu, own_cpu = time.perf_counter(), cpu_seconds(worker.pid), cpu_seconds()
            await submit(container, count, f"run-{uuid.uuid4().hex}", spec_for, at_once)
            await asyncio.to_thread(wait_until, lambda: succeeded(status_db) >= base + 50 + count, 900)
            return Run(
                count / (time.perf_counter() - started),
                (cpu_seconds(worker.pid) - worker_cpu) / count * 1000,
                (cpu_seconds() - own_cpu) / count * 1000,
            )
    finally:
        wakeup.stop()
        await relay
        await container.close()


def _fields(settings: object) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__struct_fields__}  # type: ignore[attr-defined]


async def round_trips(database: str, count: int, threads: int, namespace: str) -> tuple[float, float]:
    """Round trips per task on the submitting side and on the worker side."""
    api_proxy, worker_proxy = proxy_for(database), proxy_for(database)
    api_port, worker_port = await api_proxy.start(), await worker_proxy.start()

    def via(port: int) -> str:
        return through(database, port)

    try:
        # Warm-up and the measured run both pass through the proxies; counters are read per phase.
        before = (api_proxy.counter.round_trips, worker_proxy.counter.round_trips)
        await pipeline_run(via(api_port), via(worker_port), count, threads, namespace, status_db=database)
        api = api_proxy.counter.round_trips - before[0]
        worker = worker_proxy.counter.round_trips - before[1]
    finally:
        await api_proxy.stop()
        await worker_proxy.stop()
    total_tasks = count + 50
    return api / total_tasks, worker / total_tasks


def against(baseline: Path, count: int, threads: int, rounds: int) -> None:
    """This build and the one in `baseline` (a checkout with its own .venv), in turn, `rounds` times each,
    each run in a fresh process of its build's own, the first of each round alternating."""
    ours: list[float] = []
    theirs: list[float] = []
    for round_number in range(rounds):
        namespace = f"agentry-bench-{uuid.uuid4().hex[:8]}"
        checkouts = {"base": (baseline, namespace + "-base"), "mine": (ROOT, namespace)}
        order = ("base", "mine") if round_number % 2 == 0 else ("mine", "base")  # ABBA: no build always goes first
        done = {name: pipeline_in_checkout(checkouts[name][0], count, threads, checkouts[name][1]) for name in order}
        (base, base_cpu, base_submit), (mine, mine_cpu, mine_submit) = done["base"], done["mine"]
        theirs.append(base)
        ours.append(mine)
        print(
            f"  round {round_number + 1}: this build {mine:7.1f} tasks/s (CPU ms/task: worker {mine_cpu:.2f},"
            f" submit and relay {mine_submit:.2f}), baseline {base:7.1f} tasks/s (worker {base_cpu:.2f},"
            f" submit and relay {base_submit:.2f})"
        )
    mine, base = statistics.median(ours), statistics.median(theirs)
    print(f"pipeline: {count} tasks x {rounds} rounds, one worker process x {threads} threads, in turn with {baseline}")
    print(f"  this build (median): {mine:7.1f} tasks/s")
    print(f"  baseline   (median): {base:7.1f} tasks/s")
    print(f"  ratio this / baseline: {mine / base:.2f}   (goal >= 0.95)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--roundtrip-tasks", type=int, default=300)
    parser.add_argument("--baseline", type=Path, help="a checkout of another build, with its .venv")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.baseline:
        against(args.baseline, args.tasks, args.threads, args.rounds)
        return
    namespace = f"agentry-bench-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(REDIS)
    try:
        with throwaway_database() as database:
            noop = noop_throughput(args.tasks, args.threads, namespace + "-noop")
            run = asyncio.run(pipeline_run(database, database, args.tasks, args.threads, namespace))
            e2e = run.tasks_per_s
        with throwaway_database() as database:
            api_rt, worker_rt = asyncio.run(round_trips(database, args.roundtrip_tasks, args.threads, namespace))
    finally:
        keys = list(client.scan_iter(f"{namespace}*"))
        if keys:
            client.delete(*keys)
    print(f"pipeline: {args.tasks} tasks, one worker process x {args.threads} threads, PostgreSQL + Redis")
    print(f"  end to end (submit -> relay -> broker -> worker -> succeeded): {e2e:8.1f} tasks/s   (goal >= 300)")
    print(f"  no-op async Dramatiq actor, same Redis, same run:           {noop:8.1f} messages/s")
    print(f"  ratio end to end / no-op:                                   {e2e / noop:8.2f}        (goal >= 0.25)")
    print(
        f"  CPU per task: worker process {run.worker_cpu_ms:.2f} ms, "
        f"submitting side (submit + relay, this process) {run.submitter_cpu_ms:.2f} ms"
    )
    print(
        f"  database round trips per task: {api_rt + worker_rt:.1f} "
        f"(submit + relay {api_rt:.1f}, worker {worker_rt:.1f}; {args.roundtrip_tasks} tasks through a counting proxy)"
    )


if __name__ == "__main__":
    main()
