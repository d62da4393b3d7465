"""Fair under load: the tail and the refusals of `agentry serve` under many clients, with wrk.

    uv run python bench/load.py [--seconds 60] [--flood-seconds 60] [--only fair,flood,workers]

Three parts, each on a fresh `agentry serve` (one process unless --serve-workers; production profile,
PostgreSQL + Redis, default settings apart from the rate limits and quotas, lifted: one client sends
far more than its share):

- fair: 64 clients on GET /api/v1/tasks/{id}, GET /api/v1/tasks (20 items) and POST /api/v1/tasks.
  Goals: no non-2xx answer, p99 <= 5 x p50, p99.9 < 1 s.
- flood: 1,000 connections on GET /api/v1/tasks/{id}. Goals: no 5xx but admission control's 503s
  with Retry-After, those under 1 %, p99 < 1 s (of all answers: the refusals, under 1 %, move it little).
- workers: 64 clients on GET by id, `--workers 1` then `--workers 2`, with the server's CPU per
  request. Goal on 2 cores: >= 1.6 x.

Latencies are per request (wrk's coordinated-omission correction undone, see bench/serving.py), and
every non-2xx answer is counted, whenever it came: the 5xx the server logged but wrk never read (sent
after the run ended) are added, shown as 500. On a shared machine the figures are noisy: compare
the ratios printed by one run.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's `http` package: this folder leaves the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http import POST_SCRIPT
from bench.pipeline import AGENTRY, LIFTED_QUOTAS
from bench.serving import (
    SERVER_FAILURES,
    Load,
    Server,
    post_json,
    require_wrk,
    serving,
    sign_in,
    throwaway_database,
    wrk,
)

SETTINGS = {"AGENTRY_ACCESS_TOKEN_TTL_S": "3600", "AGENTRY_RATE_LIMITING": "false", "AGENTRY_SCRIPTED_RUNNER": "true"}
SETTINGS |= LIFTED_QUOTAS


SERVE_WORKERS = 1  # fair and flood: one process (--serve-workers), as the baseline build has


def processes(agentry: str) -> tuple[str, ...]:
    """`--workers` for this build (an older one knows no such option and runs one process)."""
    return ("--workers", str(SERVE_WORKERS)) if agentry == AGENTRY else ()


STRAGGLERS_S = 2.5  # answers still due after a run: the pool's check-out time-out, and some


def measured(server: Server, url: str, connections: int, seconds: int, lua: Path | None, token: str) -> Load:
    """wrk's figures, with the 5xx the server logged (those wrk never read among them) added as 500s."""
    before = server.failures()
    load = wrk(url, connections, seconds, lua, token, strict=False)
    time.sleep(STRAGGLERS_S)
    logged = server.failures() - before
    unread = logged - sum(count for status, count in load.statuses.items() if status >= 500) + load.retry_after_503
    if unread > 0:
        load.statuses[500] = load.statuses.get(500, 0) + unread
    if logged > 0 and server.log is not None:  # say why: the first of the server's own lines about them
        lines = server.log.read_text(errors="replace").splitlines()
        reasons = sorted({line.split(": ", 2)[-1][:160] for line in lines if any(m in line for m in SERVER_FAILURES)})
        print(f"    the server logged {logged} 5xx: " + "; ".join(reasons[:3]))
    return load


def prepared(server: Server) -> tuple[str, str]:
    """A token, and the id of one task among 20 (the list's page)."""
    token = sign_in(server.base)
    ids = [post_json(f"{server.base}/api/v1/tasks", {"title": f"t{i}", "prompt": "p"}, token)["id"] for i in range(20)]
    return token, ids[0]


def header(title: str) -> None:
    print(title)
    print(
        f"  {'route':26} {'clients':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'max ms':>8}  answers"
    )


def row(label: str, connections: int, load: Load) -> None:
    answers = ", ".join(f"{status}: {count}" for status, count in sorted(load.statuses.items()))
    extra = f"; 503 with Retry-After: {load.retry_after_503}" if load.retry_after_503 else ""
    extra += f"; socket errors: {load.socket_errors}" if load.socket_errors else ""
    print(
        f"  {label:26} {connections:7d} {load.rps:7.0f} {load.p50_ms:8.1f} {load.p99_ms:8.1f} "
        f"{load.p999_ms:9.1f} {load.max_ms:8.1f}  {answers}{extra}"
    )


def fair(seconds: int, agentry: str = AGENTRY, build: str = "this build") -> bool:
    ok = True
    with (
        throwaway_database(agentry) as database,
        serving(database, agentry, serve_args=processes(agentry), **SETTINGS) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        token, task_id = prepared(server)
        script = Path(tmp) / "post.lua"
        script.write_text(POST_SCRIPT)
        routes = (
            ("GET /api/v1/tasks/{id}", f"{server.base}/api/v1/tasks/{task_id}", None),
            ("GET /api/v1/tasks", f"{server.base}/api/v1/tasks", None),
            ("POST /api/v1/tasks", f"{server.base}/api/v1/tasks", script),
        )
        for _, url, lua in routes:  # warm-up: pools, compiled statements
            wrk(url, 8, 2, lua, token, strict=False)
        header(f"fair ({build}): 64 clients, {seconds}s per route, {SERVE_WORKERS} serve process(es), defaults")
        for label, url, lua in routes:
            load = measured(server, url, 64, seconds, lua, token)
            row(label, 64, load)
            good = not load.non_2xx and not load.socket_errors
            good = good and load.p99_ms <= 5 * load.p50_ms and load.p999_ms < 1000
            ratio = load.p99_ms / max(load.p50_ms, 0.001)
            print(f"    p99 / p50 = {ratio:.1f} (goal <= 5); {'ok' if good else 'MISSED'}")
            ok = ok and good
    return ok


def flood(seconds: int, agentry: str = AGENTRY, build: str = "this build") -> bool:
    with (
        throwaway_database(agentry) as database,
        serving(database, agentry, serve_args=processes(agentry), **SETTINGS) as server,
    ):
        token, task_id = prepared(server)
        url = f"{server.base}/api/v1/tasks/{task_id}"
        wrk(url, 8, 2, None, token, strict=False)
        header(f"flood ({build}): 1,000 connections, {seconds}s, {SERVE_WORKERS} serve process(es), defaults")
        load = measured(server, url, 1000, seconds, None, token)
    row("GET /api/v1/tasks/{id}", 1000, load)
    answered = sum(load.statuses.values()) or 1
    refused = load.retry_after_503 / answered
    good = load.errors_5xx == 0 and refused < 0.01 and load.p99_ms < 1000 and not load.socket_errors
    print(
        f"    other 5xx: {load.errors_5xx}; refused with Retry-After: {refused:.2%} (goal < 1 %); "
        f"p99 {load.p99_ms:.0f} ms (goal < 1000); {'ok' if good else 'MISSED'}"
    )
    return good


def workers(seconds: int) -> bool:
    loads: list[tuple[int, Load, float]] = []
    with throwaway_database() as database:
        for count in (1, 2):
            with serving(database, serve_args=("--workers", str(count)), **SETTINGS) as server:
                token = sign_in(server.base) if count == 1 else login(server)
                task_id = post_json(f"{server.base}/api/v1/tasks", {"title": "one", "prompt": "p"}, token)["id"]
                url = f"{server.base}/api/v1/tasks/{task_id}"
                wrk(url, 16, 3, None, token, strict=False)  # warm-up: every process's pool and statements
                before = server.cpu_seconds()
                load = measured(server, url, 64, seconds, None, token)
                cpu_ms = (server.cpu_seconds() - before) * 1000 / max(load.requests, 1)
                loads.append((count, load, cpu_ms))
    header(f"workers: GET /api/v1/tasks/{{id}}, 64 clients, {seconds}s, `agentry serve --workers N`")
    for count, load, cpu_ms in loads:
        row(f"--workers {count}", 64, load)
        print(f"    server CPU per request: {cpu_ms:.2f} ms")
    ratio = loads[1][1].rps / loads[0][1].rps
    good = ratio >= 1.6 and not any(load.non_2xx for _, load, _ in loads)
    print(f"    req/s, 2 workers / 1: {ratio:.2f} (goal >= 1.6 on 2 cores); {'ok' if good else 'MISSED'}")
    return good


def login(server: Server) -> str:
    from bench.serving import BENCH_USER

    return str(post_json(f"{server.base}/api/v1/auth/login", BENCH_USER)["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="per route of `fair`, and per run of `workers`")
    parser.add_argument("--flood-seconds", type=int, default=60)
    parser.add_argument("--only", default="fair,flood,workers", help="comma-separated: fair, flood, workers")
    parser.add_argument("--serve-workers", type=int, default=1, help="`agentry serve` processes in fair and flood")
    parser.add_argument("--baseline", help="an older build's `agentry`: fair and flood run on it too, first")
    args = parser.parse_args()
    global SERVE_WORKERS
    SERVE_WORKERS = args.serve_workers
    require_wrk()
    parts = {"fair": lambda: fair(args.seconds), "flood": lambda: flood(args.flood_seconds)}
    parts["workers"] = lambda: workers(args.seconds)
    if args.baseline:  # one process: an older build may not know --workers, nor the new settings
        baseline = str(Path(args.baseline).resolve())
        for name in {"fair", "flood"} & set(args.only.split(",")):
            (fair if name == "fair" else flood)(
                args.seconds if name == "fair" else args.flood_seconds, baseline, "baseline"
            )
    results = {name: parts[name]() for name in args.only.split(",")}
    print("goals: " + ", ".join(f"{name} {'ok' if good else 'MISSED'}" for name, good in results.items()))


if __name__ == "__main__":
    main()
