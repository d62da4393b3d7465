"""The data `bench/data_scale.py` reads: users, projects, memberships, tasks with their tags, executions and
results, the monthly usage roll-up and the execution log, written with COPY (psycopg 3) into a migrated
database.

The loaded tables' secondary indexes and foreign keys (and the primary keys nothing refers to) are dropped
first and made again after the load, as pg_restore does: one sort per index instead of 10 million
insertions into each, and one join per foreign key instead of a look-up per row.

Shape: `projects` projects; a user per 5 projects owns them, and is a member of 5 more; one admin. Tasks
are spread over the projects at random, created over the past year (in order of their number), with a
mix of statuses, priorities, tags and titles; every task that ran has one execution (and a result if it
succeeded). The log lines go to one long execution (a tenth of them, at most 200,000: the deep pages)
and 100 lines to each of as many other executions as the rest fill.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import psycopg

from agentry.adapters.sqlalchemy.types import settings_to_json
from agentry.domain.projects.project import ProjectSettings
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.spec import Priority, TaskOptions

LOADED = ("users", "projects", "memberships", "tasks", "task_tags", "task_executions", "task_results",
          "usage_monthly", "execution_logs")  # fmt: skip
PROJECTS_PER_USER = 5
LINES_PER_EXECUTION = 100
LONG_LOG_MAX = 200_000
WORDS = (
    "parser", "cache", "login", "billing", "search", "upload", "export", "import", "router", "scheduler", "webhook",
    "report", "invoice", "session", "token", "migration", "backup", "index", "queue", "worker", "payment",
    "email", "profile", "settings", "dashboard", "chart", "filter", "sorter", "pager", "archive", "audit",
    "metrics", "tracing", "logging", "config", "deploy", "build", "release", "docs", "tests", "linter", "formatter",
    "api", "client", "server", "proxy", "gateway", "storage", "bucket", "blob", "image", "video", "thumbnail",
    "font",
)  # fmt: skip
VERBS = ("Fix", "Refactor", "Document", "Test", "Speed up", "Review", "Port", "Rename")
TAGS = tuple(f"tag-{n:02d}" for n in range(30))  # tag-00 common ... tag-29 rare (weights 1/(n+1))
TAG_WEIGHTS = tuple(1 / (n + 1) for n in range(30))
STATUSES = (("succeeded", 70), ("failed", 10), ("cancelled", 5), ("timed_out", 2), ("queued", 5),
            ("pending", 3), ("running", 5))  # fmt: skip
EXECUTION_STATUS = {"succeeded": "succeeded", "failed": "failed", "cancelled": "cancelled",
                    "timed_out": "timed_out", "running": "running"}  # fmt: skip
PRIORITIES = ((Priority.NORMAL, 70), (Priority.LOW, 10), (Priority.HIGH, 15), (Priority.URGENT, 5))
SPAN = timedelta(days=365)
NULL = "\\N"  # COPY's text format


@dataclass
class Loaded:
    """What the measurements need to know of the data (kept in the database's `bench_facts` for --reuse)."""

    admin: str
    members: dict[str, dict[str, str]]  # user id -> {project id: role}
    projects: list[str]
    start: str  # ISO time of the first task
    end: str
    long_task: str  # the task whose execution has the long log
    long_lines: int
    log_tasks: list[str] = field(default_factory=list)  # a sample of tasks with a 100-line log
    counts: dict[str, int] = field(default_factory=dict)


def load(url: str, tasks: int, log_lines: int, projects: int, seed: int = 17) -> Loaded:
    rng = random.Random(seed)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("SET maintenance_work_mem = '1GB'")
        dropped = _drop_indexes(db)
        loaded = _load_rows(db, rng, tasks, log_lines, projects)
        started = time.perf_counter()
        for statement in dropped:
            db.execute(statement)
        print(f"  indexes and constraints made again in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        for table in LOADED:
            db.execute(f"VACUUM (ANALYZE) {table}")
        print(f"  vacuumed and analyzed in {time.perf_counter() - started:.1f} s", flush=True)
        db.execute("CREATE TABLE bench_facts (facts jsonb NOT NULL)")
        db.execute("INSERT INTO bench_facts VALUES (%s)", (json.dumps(loaded.__dict__),))
    return loaded


def recall(url: str) -> Loaded:
    with psycopg.connect(url) as db:
        row = db.execute("SELECT facts FROM bench_facts").fetchone()
    assert row is not None, "no bench_facts: the database was not loaded by this bench"
    return Loaded(**row[0])


def _drop_indexes(db: psycopg.Connection) -> list[str]:
    """Drops the loaded tables' foreign keys, secondary indexes, and primary and unique keys no foreign key
    depends on; returns the statements that make them again, in order."""
    tables = list(LOADED)
    referenced = {
        row[0]
        for row in db.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND confrelid::regclass::text"
            " = ANY(%s)",
            (tables,),
        )
    }
    constraints = db.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'p', 'u') ORDER BY contype DESC",
        (tables,),
    ).fetchall()
    kept_keys = {name for table, name, kind, _ in constraints if kind in "pu" and table in referenced}
    indexes = db.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(%s)"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        (tables,),
    ).fetchall()
    again: list[str] = []
    for table, name, _, definition in constraints:
        if name in kept_keys:
            continue
        db.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        again.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        db.execute(f'DROP INDEX "{name}"')
        again.append(definition)
    # keys before indexes, foreign keys last (they need the keys they refer to)
    return sorted(again, key=lambda s: 2 if "FOREIGN KEY" in s else (0 if "ADD CONSTRAINT" in s else 1))


def _copy(db: psycopg.Connection, table: str, columns: str, rows: Iterator[str]) -> int:
    """COPY text lines (tab-separated, already escaped) in blocks of about a megabyte; how many."""
    count = 0
    started = time.perf_counter()
    with db.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        block: list[str] = []
        for row in rows:
            block.append(row)
            if len(block) == 10_000:
                copy.write("".join(block))
                count += len(block)
                block.clear()
        copy.write("".join(block))
        count += len(block)
    elapsed = time.perf_counter() - started
    print(f"  {table}: {count:,} rows in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f}/s)", flush=True)
    return count


def _pick(rng: random.Random, weighted: tuple[tuple[object, int], ...], n: int) -> list[object]:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights, k=n)


def _load_rows(db: psycopg.Connection, rng: random.Random, n_tasks: int, n_lines: int, n_projects: int) -> Loaded:
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - SPAN
    stamp = now.isoformat()
    n_users = max(1, n_projects // PROJECTS_PER_USER)
    users = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_users)]
    admin = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    projects = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_projects)]
    owner_of = {p: users[i // PROJECTS_PER_USER % n_users] for i, p in enumerate(projects)}
    members: dict[str, dict[str, str]] = {u: {} for u in users}
    for project, owner in owner_of.items():
        members[owner][project] = ProjectRole.OWNER.value
    for user in users:
        for project in rng.sample(projects, min(PROJECTS_PER_USER, n_projects)):
            members[user].setdefault(project, ProjectRole.MEMBER.value)
    counts: dict[str, int] = {}
    hash_ = "$argon2id$v=19$m=65536,t=3,p=4$bench$bench"
    counts["users"] = _copy(
        db,
        "users",
        "id, email, display_name, password_hash, role, active, created_at, updated_at",
        (
            f"{u}\t{u}@bench.example\tUser {i}\t{hash_}\t{'admin' if u == admin else 'user'}\tt\t{stamp}\t{stamp}\n"
            for i, u in enumerate([*users, admin])
        ),
    )
    settings = json.dumps(settings_to_json(ProjectSettings()))
    counts["projects"] = _copy(
        db,
        "projects",
        "id, name, slug, settings, personal, created_at, updated_at, owner_id",
        (
            f"{p}\tProject {i}\tproject-{i}\t{settings}\tf\t{stamp}\t{stamp}\t{owner_of[p]}\n"
            for i, p in enumerate(projects)
        ),
    )
    counts["memberships"] = _copy(
        db,
        "memberships",
        "project_id, user_id, role, created_at, updated_at",
        (f"{p}\t{u}\t{role}\t{stamp}\t{stamp}\n" for u, roles in members.items() for p, role in roles.items()),
    )
    readers: dict[str, list[str]] = {p: [] for p in projects}
    for user, roles in members.items():
        for project in roles:
            readers[project].append(user)

    task_ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_tasks)]
    statuses = _pick(rng, STATUSES, n_tasks)
    priorities = _pick(rng, PRIORITIES, n_tasks)
    step = SPAN / max(n_tasks, 1)
    created = [(start + step * i).isoformat() for i in range(n_tasks)]
    task_project = [projects[rng.randrange(n_projects)] for _ in range(n_tasks)]
    tags = [sorted(set(rng.choices(TAGS, TAG_WEIGHTS, k=rng.choice((0, 1, 1, 2, 3))))) for _ in range(n_tasks)]
    options = json.dumps(TaskOptions().to_raw())
    prompt = "Look at the failing checks and make them pass; explain what you changed."

    def task_rows() -> Iterator[str]:
        for i, task_id in enumerate(task_ids):
            project = task_project[i]
            status = statuses[i]
            ran = status in EXECUTION_STATUS
            title = f"{rng.choice(VERBS)} the {rng.choice(WORDS)} {rng.choice(WORDS)} #{i}"
            finished = created[i] if status in ("succeeded", "failed", "cancelled", "timed_out") else NULL
            yield (
                f"{task_id}\t{rng.choice(readers[project])}\t{project}\t{title}\t{prompt}\t"
                f"{priorities[i].rank}\t{json.dumps(tags[i])}\t{options}\t3\t{status}\t\\N\t{int(ran)}\t{int(ran)}\t"  # type: ignore[attr-defined]
                f"{created[i]}\t{created[i]}\t{created[i] if status != 'pending' else NULL}\t"
                f"{created[i] if ran else NULL}\t{finished}\t1\n"
            )

    counts["tasks"] = _copy(
        db,
        "tasks",
        "id, owner_id, project_id, title, prompt, priority, tags, options, max_attempts, status, scheduled_at, "
        "attempts, execution_count, created_at, updated_at, queued_at, started_at, finished_at, version",
        task_rows(),
    )
    counts["task_tags"] = _copy(
        db, "task_tags", "task_id, tag", (f"{t}\t{tag}\n" for t, ts in zip(task_ids, tags, strict=True) for tag in ts)
    )
    ran = [i for i in range(n_tasks) if statuses[i] in EXECUTION_STATUS]
    execution_ids = {i: str(uuid.UUID(int=rng.getrandbits(128), version=4)) for i in ran}

    def execution_rows() -> Iterator[str]:
        for i in ran:
            status = EXECUTION_STATUS[str(statuses[i])]
            running = status == "running"
            duration = NULL if running else f"{rng.uniform(5, 600):.3f}"
            yield (
                f"{execution_ids[i]}\t{task_ids[i]}\t1\t1\tbench-worker\t{status}\t{created[i]}\t"
                f"{NULL if running else created[i]}\t{duration}\t{rng.randrange(20_000)}\t{rng.randrange(5_000)}\t"
                f"{rng.uniform(0, 0.5):.4f}\t{created[i] if running else NULL}\n"
            )

    counts["task_executions"] = _copy(
        db,
        "task_executions",
        "id, task_id, number, attempt, worker_id, status, started_at, finished_at, duration_s, input_tokens, "
        "output_tokens, cost_usd, heartbeat_at",
        execution_rows(),
    )
    counts["task_results"] = _copy(
        db,
        "task_results",
        "task_id, execution_id, summary, output, artifacts, input_tokens, output_tokens, cost_usd, created_at",
        (
            f"{task_ids[i]}\t{execution_ids[i]}\tDone.\tAll checks pass.\t[]\t1000\t200\t0.01\t{created[i]}\n"
            for i in ran
            if statuses[i] == "succeeded"
        ),
    )
    month = date(now.year, now.month, 1)
    months = [date(month.year - (month.month - k <= 0), (month.month - k - 1) % 12 + 1, 1) for k in range(12)]
    counts["usage_monthly"] = _copy(
        db,
        "usage_monthly",
        "project_id, month, user_id, model, executions, succeeded, failed, input_tokens, output_tokens, cost_usd",
        (
            f"{p}\t{m}\t{owner_of[p]}\t{model}\t10\t8\t2\t100000\t20000\t{rng.uniform(0, 50):.4f}\n"
            for p in projects
            for m in months
            for model in ("", "opus", "haiku")
        ),
    )
    long_lines = min(max(n_lines // 10, 1), LONG_LOG_MAX) if n_lines else 0
    ended = [i for i in ran if statuses[i] == "succeeded"]
    long_task = ended[-1]
    others = ended[:-1]
    rng.shuffle(others)
    others = others[: max(0, (n_lines - long_lines) // LINES_PER_EXECUTION)]

    def log_rows() -> Iterator[str]:
        kinds = ("assistant", "tool_use", "tool_result", "assistant", "stderr")
        for i, lines in [(long_task, long_lines), *((j, LINES_PER_EXECUTION) for j in others)]:
            prefix = f"{task_ids[i]}\t{execution_ids[i]}\t1\t"
            at = created[i]
            for sequence in range(1, lines + 1):
                kind = kinds[sequence % 5]
                message = f"line {sequence} of the run: working on it"
                yield f'{prefix}{sequence}\t{at}\t{kind}\t{message}\tinfo\t{{"n": {sequence}}}\n'

    counts["execution_logs"] = _copy(
        db,
        "execution_logs",
        "task_id, execution_id, execution_number, sequence, at, kind, message, level, data",
        log_rows(),
    )
    return Loaded(
        admin=admin,
        members={u: members[u] for u in users[:50]},
        projects=projects[:50],
        start=created[0],
        end=created[-1],
        long_task=task_ids[long_task],
        long_lines=long_lines,
        log_tasks=[task_ids[j] for j in others[:50]],
        counts=counts,
    )
