"""Reads at scale: p50/p95/p99 of the task list (each filter and sort, deep cursor pages), the task stats, a
log's pages and the monthly budget check, through the use cases and repositories the API uses (a request
scope of the dishka container each, as a request has), over 1,000,000 tasks and 10,000,000 log lines.

    uv run python bench/data_scale.py [--tasks 1000000] [--log-lines 10000000] [--projects 1000]
                                      [--samples 50] [--keep] [--reuse DATABASE]

A scratch database on the local PostgreSQL is made, migrated (`agentry migrate upgrade`), loaded with COPY
(bench/data_scale_load.py) and dropped at the end, unless --keep (its name is printed); --reuse measures
a database kept before without loading it again. Goal: every read's p95 < 10 ms.

Who reads: a member (a user of ~10 of the projects, rotating over 20 such users) and an admin (who sees
everything). The stats are measured with the read cache off: what a miss costs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package: the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.adapters.dramatiq.brokers import make_broker
from agentry.application.tasks.cursor import encode_cursor
from agentry.application.tasks.list_tasks import ListTasks, ListTasksQuery
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.task_repository import TaskFilter, TaskRepository, TaskSort
from agentry.application.tasks.read_log import ReadLog
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.wakeup import RelayWakeup
from bench.data_scale_load import TAGS, Loaded, load, recall

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
AGENTRY = str(Path(sys.executable).parent / "agentry")
GOAL_MS = 10.0
SECRET = "bench-only-secret-key-of-sufficient-length"


@contextmanager
def scratch_database(keep: bool) -> Iterator[str]:
    name = f"agentry_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    print(f"scratch database: {name}", flush=True)
    try:
        env = os.environ | {
            "AGENTRY_DATABASE_URL": url,
            "AGENTRY_SECRET_KEY": SECRET,
        }
        migrated = subprocess.run([AGENTRY, "migrate", "upgrade"], env=env, capture_output=True, text=True, cwd=ROOT)
        if migrated.returncode:
            raise SystemExit(f"agentry migrate upgrade failed:\n{migrated.stderr}")
        yield url
    finally:
        if keep:
            print(f"kept: {url} (measure it again with --reuse {name})")
        else:
            with psycopg.connect(POSTGRES, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def principals(loaded: Loaded) -> tuple[list[Principal], Principal]:
    members = [
        Principal(UUID(user), f"member {i}", memberships={UUID(p): ProjectRole(r) for p, r in roles.items()})
        for i, (user, roles) in enumerate(list(loaded.members.items())[:20])
    ]
    return members, Principal(UUID(loaded.admin), "admin", role=GlobalRole.ADMIN)


Read = Callable[[Any, int], Awaitable[object]]  # (request container, sample number) -> anything


class StatementClock:
    """Time spent in the database's statements (sent, executed, answer received), summed over every engine:
    what a read costs the database, apart from the Python around it on a machine that may be busy."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.sent: list[tuple[str, Any]] = []  # (statement, parameters) as the driver got them
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    def _before(self, connection: Any, *_: Any) -> None:
        connection.info["bench.started"] = time.perf_counter()

    def _after(self, connection: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self.seconds += time.perf_counter() - connection.info.pop("bench.started")
        self.sent.append((statement, parameters))


@dataclass
class Timings:
    total_ms: list[float] = field(default_factory=list)
    database_ms: list[float] = field(default_factory=list)
    sent: list[list[tuple[str, Any]]] = field(default_factory=list)  # each sample's statements
    server_ms: float = 0.0  # the median of a few samples' EXPLAIN ANALYZE execution times (summed per sample)
    plan: str = ""  # that sample's plans

    @property
    def statements(self) -> int:
        return len(self.sent[-1]) if self.sent else 0


async def timed(container: Any, clock: StatementClock, read: Read, samples: int, warm_up: int = 3) -> Timings:
    timings = Timings()
    for n in range(warm_up + samples):
        clock.seconds, clock.sent = 0.0, []
        started = time.perf_counter()
        async with container() as request:
            await read(request, n)
        if n >= warm_up:
            timings.total_ms.append((time.perf_counter() - started) * 1000)
            timings.database_ms.append(clock.seconds * 1000)
            timings.sent.append(clock.sent)
    return timings


def explain(url: str, timings: Timings, samples: int = 5) -> None:
    """EXPLAIN ANALYZE the statements of a few of the samples, spread over them (the database's own time,
    less disturbed by a busy machine than the time around it); keeps the median sample's figure and plans."""
    step = max(1, len(timings.sent) // samples)
    explained = []
    with psycopg.connect(url, autocommit=True) as db:
        for sent in timings.sent[::step][:samples]:
            took, plans = 0.0, []
            for statement, parameters in sent:
                rows = db.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters or None).fetchall()
                plan = "\n".join(row[0] for row in rows)
                took += float(plan.rsplit("Execution Time: ", 1)[1].split(" ms")[0])
                plans.append(plan)
            explained.append((took, "\n\n".join(plans)))
    if explained:
        timings.server_ms, timings.plan = sorted(explained)[len(explained) // 2]


async def floor(request: Any, n: int) -> object:
    """A request scope and one trivial statement: what every read costs before its own work."""
    return (await (await request.get(AsyncSession)).execute(text("SELECT 1"))).scalar_one()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def listing(actors: list[Principal], sort: TaskSort = TaskSort.CREATED_DESC, **wanted: Any) -> Read:
    async def read(request: Any, n: int) -> object:
        use_case = await request.get(ListTasks)
        return await use_case(actors[n % len(actors)], ListTasksQuery(TaskFilter(**wanted), sort, limit=20))

    return read


async def deep_cursor(container: Any, url: str, actor: Principal, sort: TaskSort, rows_in: int) -> str:
    """The cursor a client holds after paging `rows_in` rows into the actor's list, as the list encodes it
    (the task there is found by one OFFSET read, not by walking the pages: setting up, not measured)."""
    keys = "priority DESC, created_at DESC, id DESC" if sort is TaskSort.PRIORITY_DESC else "created_at DESC, id DESC"
    scope = "" if actor.is_admin else "WHERE project_id = ANY(%(projects)s)"
    with psycopg.connect(url) as db:
        row = db.execute(
            f"SELECT id FROM tasks {scope} ORDER BY {keys} OFFSET %(offset)s LIMIT 1",
            {"projects": list(actor.memberships), "offset": rows_in - 1},
        ).fetchone()
    assert row is not None, f"fewer than {rows_in} tasks"
    async with container() as request:
        task = await (await request.get(TaskRepository)).get(row[0])
    assert task is not None
    return encode_cursor(sort, task)


def paging(actor: Principal, sort: TaskSort, cursor: str) -> Read:
    async def read(request: Any, n: int) -> object:
        use_case = await request.get(ListTasks)
        return await use_case(actor, ListTasksQuery(sort=sort, cursor=cursor, limit=20))

    return read


def stats(
    actors: list[Principal], project: UUID | None = None, window: tuple[datetime, datetime] | None = None
) -> Read:
    async def read(request: Any, n: int) -> object:
        use_case = await request.get(GetTaskStats)
        after, before = window if window else (None, None)
        return await use_case(actors[n % len(actors)], project_id=project, created_after=after, created_before=before)

    return read


def log_page(actor: Principal, tasks: list[UUID], after: int, limit: int = 100) -> Read:
    async def read(request: Any, n: int) -> object:
        use_case = await request.get(ReadLog)
        page = await use_case(actor, tasks[n % len(tasks)], after=after, limit=limit)
        assert page.items, "the log page is empty"
        return page

    return read


def budget(projects: list[UUID], month: date) -> Read:
    async def read(request: Any, n: int) -> object:
        return await (await request.get(ProjectUsage)).spent_in_month(projects[n % len(projects)], month)

    return read


def list_cases(members: list[Principal], admin: Principal, loaded: Loaded) -> list[tuple[str, Read]]:
    """The task list with each filter and sort the API offers, for a member and for the admin."""
    member, everyone = members, [admin]
    project = next(iter(members[0].memberships))
    end = datetime.fromisoformat(loaded.end)
    day = {"created_after": end - timedelta(days=30), "created_before": end - timedelta(days=29)}
    failed, running = frozenset({TaskStatus.FAILED}), frozenset({TaskStatus.RUNNING})
    waiting = frozenset({TaskStatus.QUEUED, TaskStatus.PENDING})
    urgent = frozenset({Priority.URGENT})
    common, rare = frozenset({TAGS[0]}), frozenset({TAGS[-1]})
    return [
        ("list, member, newest first", listing(member)),
        ("list, admin, newest first", listing(everyone)),
        ("list, member, oldest first", listing(member, TaskSort.CREATED_ASC)),
        ("list, admin, oldest first", listing(everyone, TaskSort.CREATED_ASC)),
        ("list, member, by priority", listing(member, TaskSort.PRIORITY_DESC)),
        ("list, admin, by priority", listing(everyone, TaskSort.PRIORITY_DESC)),
        ("list, admin, by priority ascending", listing(everyone, TaskSort.PRIORITY_ASC)),
        ("list, member, status failed", listing(member, statuses=failed)),
        ("list, admin, status failed", listing(everyone, statuses=failed)),
        ("list, admin, status running", listing(everyone, statuses=running)),
        ("list, admin, status queued or pending", listing(everyone, statuses=waiting)),
        ("list, member, one project", listing(member[:1], project_ids=frozenset({project}))),
        ("list, admin, one project, failed", listing(everyone, project_ids=frozenset({project}), statuses=failed)),
        ("list, admin, one owner", listing(everyone, owner_ids=frozenset({members[0].id}))),
        ("list, member, urgent", listing(member, priorities=urgent)),
        ("list, admin, urgent", listing(everyone, priorities=urgent)),
        ("list, member, common tag", listing(member, tags=common)),
        ("list, member, rare tag", listing(member, tags=rare)),
        ("list, admin, rare tag", listing(everyone, tags=rare)),
        ("list, member, one day", listing(member, **day)),
        ("list, admin, one day", listing(everyone, **day)),
        ("list, admin, one day, oldest first", listing(everyone, TaskSort.CREATED_ASC, **day)),
        ("list, member, search 'billing'", listing(member, title_contains="billing")),
        ("list, admin, search 'billing'", listing(everyone, title_contains="billing")),
        ("list, admin, search 'billing invoice'", listing(everyone, title_contains="billing invoice")),
    ]


async def deep_cases(
    container: Any, url: str, member: Principal, admin: Principal, tasks: int
) -> list[tuple[str, Read]]:
    """A page far into the list (by cursor): 5,000 rows into a member's, half way through the admin's."""
    cases: list[tuple[str, Read]] = []
    for sort in (TaskSort.CREATED_DESC, TaskSort.PRIORITY_DESC):
        for who, actor, depth in (("member", member, min(5_000, tasks // 200)), ("admin", admin, tasks // 2)):
            cursor = await deep_cursor(container, url, actor, sort, max(1, depth))
            cases.append((f"list, {who}, {sort.value}, {depth:,} rows in", paging(actor, sort, cursor)))
    return cases


def other_cases(members: list[Principal], admin: Principal, loaded: Loaded) -> list[tuple[str, Read]]:
    """The stats (read cache off), a log's pages and the monthly budget check."""
    project = next(iter(members[0].memberships))
    end = datetime.fromisoformat(loaded.end)
    month = (end - timedelta(days=30), end)
    long_run = [UUID(loaded.long_task)]
    short_runs = [UUID(t) for t in loaded.log_tasks] or long_run
    deep = loaded.long_lines * 9 // 10
    return [
        ("stats, member (cache off)", stats(members)),
        ("stats, member, one project (cache off)", stats(members[:1], project=project)),
        ("stats, member, last 30 days (cache off)", stats(members, window=month)),
        ("stats, admin (cache off)", stats([admin])),
        ("stats, admin, last 30 days (cache off)", stats([admin], window=month)),
        ("log, a 100-line run, first page", log_page(admin, short_runs, 0)),
        (f"log, {loaded.long_lines:,}-line run, first page", log_page(admin, long_run, 0)),
        (f"log, {loaded.long_lines:,}-line run, {deep:,} lines in", log_page(admin, long_run, deep)),
        ("log, 1,000 lines at once", log_page(admin, long_run, loaded.long_lines // 2, limit=1000)),
        ("monthly budget check", budget([UUID(p) for p in loaded.projects], date(end.year, end.month, 1))),
    ]


async def measure(url: str, loaded: Loaded, samples: int, show_plan: bool) -> list[tuple[str, Timings]]:
    namespace = f"scale-{uuid.uuid4().hex[:6]}"
    env = {
        "AGENTRY_PROFILE": "production",
        "AGENTRY_DATABASE_URL": url,
        "AGENTRY_REDIS_URL": REDIS,
        "AGENTRY_REDIS_NAMESPACE": namespace,
        "AGENTRY_READ_CACHE": "false",
        "AGENTRY_METRICS": "false",
        "AGENTRY_LOG_LEVEL": "WARNING",
        "AGENTRY_SECRET_KEY": SECRET,
    }
    container = make_container(load_settings(env), make_broker(REDIS, namespace=namespace), RelayWakeup())
    members, admin = principals(loaded)
    cases: list[tuple[str, Read]] = [
        ("floor: a request scope and SELECT 1", floor),
        *list_cases(members, admin, loaded),
        *await deep_cases(container, url, members[0], admin, loaded.counts.get("tasks", 0)),
        *other_cases(members, admin, loaded),
    ]
    results = []
    clock = StatementClock()
    try:
        for name, read in cases:
            timings = await timed(container, clock, read, samples)
            explain(url, timings)
            results.append((name, timings))
            report_line(name, timings, show_plan)
    finally:
        await container.close()
    return results


def report_line(name: str, timings: Timings, show_plan: bool) -> None:
    p50, p95, p99 = (percentile(timings.total_ms, q) for q in (0.50, 0.95, 0.99))
    database = percentile(timings.database_ms, 0.95)
    figures = f"{p50:.2f} | {p95:.2f} | {p99:.2f} | {database:.2f} | {timings.server_ms:.2f} | {timings.statements}"
    print(f"| {name} | {figures} |", flush=True)
    if show_plan and max(p95, timings.server_ms) >= GOAL_MS:
        print("\n".join(f"    {line}" for line in timings.plan.splitlines()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--log-lines", type=int, default=10_000_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--samples", type=int, default=50, help="timed reads per case (after 3 untimed)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    parser.add_argument("--explain", action="store_true", help="print the plans of the reads over the goal")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept before, without loading")
    args = parser.parse_args()
    if args.reuse:
        url = POSTGRES.rsplit("/", 1)[0] + f"/{args.reuse}"
        run(url, recall(url), args.samples, args.explain)
        return
    with scratch_database(args.keep) as url:
        print(f"loading {args.tasks:,} tasks over {args.projects:,} projects and {args.log_lines:,} log lines")
        started = time.perf_counter()
        loaded = load(url, args.tasks, args.log_lines, args.projects)
        print(f"loaded in {time.perf_counter() - started:.1f} s", flush=True)
        run(url, loaded, args.samples, args.explain)


def run(url: str, loaded: Loaded, samples: int, show_plan: bool) -> None:
    counts = ", ".join(f"{table} {n:,}" for table, n in loaded.counts.items())
    print(f"\n{counts}\n{samples} reads per case, ms (goal: p95 < {GOAL_MS:g} ms)\n")
    print(
        "| read | p50 | p95 | p99 | p95 of its statements | in the server (EXPLAIN ANALYZE, median of 5)"
        " | statements |\n|---|---|---|---|---|---|---|",
        flush=True,
    )
    results = asyncio.run(measure(url, loaded, samples, show_plan))
    slow = [name for name, timings in results if percentile(timings.total_ms, 0.95) >= GOAL_MS]
    slow_server = [name for name, timings in results if timings.server_ms >= GOAL_MS]
    print(f"\np95 under {GOAL_MS:g} ms: {len(results) - len(slow)} of {len(results)} reads")
    print(f"in the server under {GOAL_MS:g} ms: {len(results) - len(slow_server)} of {len(results)} reads")
    if slow_server:
        print(f"slower in the server: {'; '.join(slow_server)}")


if __name__ == "__main__":
    main()
