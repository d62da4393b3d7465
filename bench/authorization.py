"""What authentication and authorization cost a read: GET /api/v1/tasks/{id} with a bearer token,
against the same route on the build from before they existed (commit f8252f6), with wrk.

    git worktree add /tmp/agentry-baseline f8252f6 && (cd /tmp/agentry-baseline && uv sync)
    uv run python bench/authorization.py [--baseline /tmp/agentry-baseline] [--connections 16]
    git worktree remove /tmp/agentry-baseline

Both builds run `agentry serve` on the production profile (each on its own PostgreSQL database, the
same Redis, no worker), at the same time, each with one queued task. The requests are the same bytes:
the older build is sent the same Authorization header, and ignores it. The current build checks the
token (EdDSA signature and claims), reads the user and the session, asks the Casbin policy, then
reads the task; the older one only reads the task. The two are loaded alternately (baseline,
current, baseline, ...) so drift on the shared cores evens out. One `serve` process runs its event
loop on one core, so at 16 clients its req/s is about 1 / (its CPU time per request), printed too:
the steadier figure on a busy machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package (which urllib needs): the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import statistics
from dataclasses import dataclass

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serving import Load, Server, post_json, require_wrk, serving, sign_in, throwaway_database, wrk

TASK = {"title": "bench", "prompt": "to get", "tags": ["bench"]}


@dataclass(frozen=True)
class Run:
    load: Load
    cpu_ms: float  # the server's CPU time per request


def measure(server: Server, url: str, connections: int, seconds: int, token: str) -> Run:
    cpu = server.cpu_seconds()
    load = wrk(url, connections, seconds, token=token)
    return Run(load, (server.cpu_seconds() - cpu) / load.requests * 1000)


def row(label: str, rps: float, p50: float, p99: float, cpu_ms: float) -> None:
    print(f"  {label:34} {rps:8.0f} {p50:8.1f} {p99:8.1f} {cpu_ms:12.2f}")


def summary(label: str, runs: list[Run]) -> Run:
    """Throughput and CPU are averaged over the runs; latencies are their medians."""
    load = Load(
        sum(r.load.requests for r in runs),
        statistics.mean(r.load.rps for r in runs),
        statistics.median(r.load.p50_ms for r in runs),
        statistics.median(r.load.p99_ms for r in runs),
    )
    run = Run(load, statistics.mean(r.cpu_ms for r in runs))
    row(label, load.rps, load.p50_ms, load.p99_ms, run.cpu_ms)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, default=Path("/tmp/agentry-baseline"))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs (baseline, current)")
    args = parser.parse_args()
    require_wrk()
    old = args.baseline / ".venv" / "bin" / "agentry"
    if not old.exists():
        sys.exit(
            f"no baseline build at {args.baseline}: git worktree add {args.baseline} f8252f6 "
            f"&& (cd {args.baseline} && uv sync)"
        )
    baseline_runs: list[Run] = []
    current_runs: list[Run] = []
    with (
        throwaway_database(str(old)) as old_db,
        throwaway_database() as new_db,
        serving(old_db, str(old)) as before,
        # the token outlives the run; no rate limits (the older build has none; bench/rate_limits.py measures them)
        serving(new_db, AGENTRY_ACCESS_TOKEN_TTL_S="3600", AGENTRY_RATE_LIMITING="false") as current,
    ):
        token = sign_in(current.base)
        old_url = f"{before.base}/api/v1/tasks/{post_json(f'{before.base}/api/v1/tasks', TASK)['id']}"
        new_url = f"{current.base}/api/v1/tasks/{post_json(f'{current.base}/api/v1/tasks', TASK, token)['id']}"
        for url in (old_url, new_url):  # warm-up: pools, compiled statements, the policy's caches
            wrk(url, args.connections, 3, token=token)
        for _ in range(args.rounds):
            baseline_runs.append(measure(before, old_url, args.connections, args.seconds, token))
            current_runs.append(measure(current, new_url, args.connections, args.seconds, token))
    print(
        f"authorization: GET /api/v1/tasks/{{id}}, one `agentry serve` process per build (production profile), "
        f"wrk, {args.connections} clients, {args.rounds} x {args.seconds}s per build, alternating"
    )
    print(f"  {'build':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>12}")
    for i, (b, c) in enumerate(zip(baseline_runs, current_runs, strict=True), 1):
        row(f"run {i} before authorization", b.load.rps, b.load.p50_ms, b.load.p99_ms, b.cpu_ms)
        row(f"run {i} current (bearer token)", c.load.rps, c.load.p50_ms, c.load.p99_ms, c.cpu_ms)
    old_run = summary("before authorization (f8252f6)", baseline_runs)
    new_run = summary("current", current_runs)
    print(f"  ratio current / before, req/s: {new_run.load.rps / old_run.load.rps:.2f}   (goal >= 0.8)")
    print(f"  ratio current / before, p99:   {new_run.load.p99_ms / old_run.load.p99_ms:.2f}")
    print(f"  server CPU per request: {new_run.cpu_ms - old_run.cpu_ms:+.2f} ms for authentication and authorization")


if __name__ == "__main__":
    main()
