"""What the stats and usage cache buys: GET /api/v1/tasks/stats and GET /api/v1/reports/usage with the
cache (Redis) against without it, in the same run, with wrk.

    uv run python bench/stats_cache.py [--tasks 100000] [--projects 100] [--connections 4] [--seconds 5] [--rounds 3]

One PostgreSQL database, loaded in a few seconds by the database itself (INSERT ... SELECT over
generate_series, copying one task made through the API): `--tasks` tasks over `--projects` projects the
bench user owns (so every read covers all of them: a scope of 100+ projects), a mix of statuses, an
execution with a duration for every ended task, and a daily usage roll-up of 30 days x 3 models per
project. Two `agentry serve` processes on the production profile read it: one with
AGENTRY_READ_CACHE=false, one with the cache (Redis); loaded alternately (off, on, off, ...). No task
changes during the runs, so the cached server answers from Redis after its first read (checked first:
its answers equal the uncached server's). Printed: req/s, p50, p99,
server CPU per request, and the ratios on / off (goal: stats >= 10 x).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package (which urllib needs): the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import time
import urllib.request

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg

from bench.authorization import Run, measure, row, summary
from bench.serving import BENCH_USER, post_json, require_wrk, serving, sign_in, throwaway_database, wrk

# No `running`: with no worker behind them, the recovery would take such tasks back during the runs.
STATUSES = ("queued", "timed_out", "succeeded", "succeeded", "succeeded", "failed", "cancelled", "pending")

FILL_TASKS = """
INSERT INTO tasks (id, owner_id, project_id, title, prompt, priority, tags, options, max_attempts, status,
    scheduled_at, attempts, execution_count, created_at, updated_at, queued_at, started_at, finished_at,
    version)
SELECT gen_random_uuid(), t.owner_id, (%(projects)s::uuid[])[1 + i %% %(n_projects)s], t.title, t.prompt,
    t.priority, t.tags, t.options, t.max_attempts, (%(statuses)s::text[])[1 + i %% 8],
    CASE WHEN i %% 8 = 7 THEN now() + interval '1 day' END, 1, 1,
    now() - (i || ' seconds')::interval, now(), now() - (i || ' seconds')::interval, NULL, NULL, 1
FROM tasks t, generate_series(1, %(count)s) AS i
WHERE t.id = %(template)s
"""

FILL_EXECUTIONS = """
INSERT INTO task_executions (id, task_id, number, attempt, worker_id, status, started_at, finished_at,
    duration_s, input_tokens, output_tokens, cost_usd)
SELECT gen_random_uuid(), id, 1, 1, 'bench', status,
    created_at, created_at + interval '10 seconds', random() * 60, 1000, 200, 0.01
FROM tasks WHERE status IN ('succeeded', 'failed', 'timed_out')
"""

FILL_USAGE = """
INSERT INTO {table} (project_id, {column}, user_id, model, executions, succeeded, failed, input_tokens,
    output_tokens, cost_usd)
SELECT p, {value}, %(user)s, m, 10, 8, 2, 10000, 2000, 0.5
FROM unnest(%(projects)s::uuid[]) AS p, generate_series(0, 29) AS d, unnest(ARRAY['', 'opus', 'haiku']) AS m
{group}
"""


def load(database: str, base: str, token: str, tasks: int, projects: int) -> float:
    """Projects through the API, then the tasks, executions and roll-ups by the database; seconds taken."""
    started = time.perf_counter()
    ids = [
        post_json(f"{base}/api/v1/projects", {"name": f"Bench {i}", "slug": f"bench-{i}"}, token)["id"]
        for i in range(projects)
    ]
    template = post_json(f"{base}/api/v1/tasks", {"title": "bench", "prompt": "stats", "project_id": ids[0]}, token)
    with psycopg.connect(database) as db:
        user = db.execute("SELECT id FROM users WHERE email = %s", (BENCH_USER["email"],)).fetchone()
        assert user is not None
        args = {"projects": ids, "n_projects": projects, "statuses": list(STATUSES), "count": tasks}
        db.execute(FILL_TASKS, {**args, "template": template["id"]})
        db.execute(FILL_EXECUTIONS)
        daily = FILL_USAGE.format(table="usage_daily", column="day", value="current_date - d", group="")
        db.execute(daily, {"user": user[0], "projects": ids})
        monthly = FILL_USAGE.format(
            table="usage_monthly", column="month", value="date_trunc('month', current_date)::date", group=""
        ).replace("generate_series(0, 29)", "generate_series(0, 0)")
        db.execute(monthly, {"user": user[0], "projects": ids})
        db.commit()
        db.execute("ANALYZE")
    return time.perf_counter() - started


def log_in(base: str) -> str:
    return str(post_json(f"{base}/api/v1/auth/login", BENCH_USER)["access_token"])


def get(url: str, token: str) -> object:
    """The answer, without the backlog's waits (they grow with the clock), its numbers rounded (a
    parallel avg() in PostgreSQL adds up in any order: the last digits differ from one run to the next)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    answer = json.load(urllib.request.urlopen(request))
    for backlog in answer.get("backlog", []):
        backlog.pop("oldest_wait_s", None)
    return json.loads(json.dumps(answer), parse_float=lambda text: round(float(text), 9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs (off, on) per route")
    args = parser.parse_args()
    require_wrk()
    # Nothing may change the data during the runs: the queued tasks (no broker message behind them) are
    # not sent again in the hour.
    settings = {
        "AGENTRY_ACCESS_TOKEN_TTL_S": "3600",
        "AGENTRY_RATE_LIMITING": "false",
        "AGENTRY_REDISPATCH_AFTER_S": "3600",
    }
    routes = {"stats": "/api/v1/tasks/stats", "usage": "/api/v1/reports/usage?group_by=project"}
    results: dict[str, tuple[list[Run], list[Run]]] = {name: ([], []) for name in routes}
    with (
        throwaway_database() as database,
        serving(database, AGENTRY_READ_CACHE="false", **settings) as off,
        serving(database, **settings) as on,
    ):
        off_token = sign_in(off.base)
        seconds = load(database, off.base, off_token, args.tasks, args.projects)
        on_token = log_in(on.base)
        for name, path in routes.items():
            same = get(off.base + path, off_token), get(on.base + path, on_token), get(on.base + path, on_token)
            assert same[0] == same[1] == same[2], f"{name}: the cached answer differs from the computed one"
        for name, path in routes.items():
            wrk(off.base + path, args.connections, 2, token=off_token)  # warm-up: pools, statements
            wrk(on.base + path, args.connections, 2, token=on_token)
            offs, ons = results[name]
            for _ in range(args.rounds):
                offs.append(measure(off, off.base + path, args.connections, args.seconds, off_token))
                ons.append(measure(on, on.base + path, args.connections, args.seconds, on_token))
    print(
        f"stats cache: {args.tasks} tasks over {args.projects} projects (loaded in {seconds:.1f}s), "
        f"one `agentry serve` each (production profile, PostgreSQL, Redis), wrk, {args.connections} clients, "
        f"{args.rounds} x {args.seconds}s each, alternating; the machine is shared and loaded"
    )
    print(f"  {'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>12}")
    for name, (offs, ons) in results.items():
        for i, (a, b) in enumerate(zip(offs, ons, strict=True), 1):
            row(f"{name} run {i} uncached", a.load.rps, a.load.p50_ms, a.load.p99_ms, a.cpu_ms)
            row(f"{name} run {i} cached (Redis)", b.load.rps, b.load.p50_ms, b.load.p99_ms, b.cpu_ms)
        off_run = summary(f"{name} uncached", offs)
        on_run = summary(f"{name} cached (Redis)", ons)
        print(
            f"  {name}: cached / uncached req/s {on_run.load.rps / off_run.load.rps:.1f} x, "
            f"p50 {off_run.load.p50_ms / on_run.load.p50_ms:.1f} x lower, "
            f"server CPU per request {off_run.cpu_ms / on_run.cpu_ms:.1f} x lower"
            + ("   (goal >= 10 x)" if name == "stats" else "")
        )


if __name__ == "__main__":
    main()
