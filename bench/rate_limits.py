"""What rate limiting costs an authenticated read: GET /api/v1/tasks/{id} with a bearer token, with
rate limiting on against off, in the same run, with wrk.

    uv run python bench/rate_limits.py [--connections 16] [--seconds 10] [--rounds 3]

Two `agentry serve` processes on the production profile (each on its own PostgreSQL database, the
same Redis, no worker), each with one queued task, loaded alternately (off, on, off, ...) so drift
on the shared cores evens out. The one with rate limiting counts every request in Redis (the sliding
log, one Lua script per request, those that come at once sent together) and adds the RateLimit
headers; its `reads` quota is set far above what wrk sends, with the default one-minute window, so
nothing is refused (wrk stops at any non-2xx) and the log holds every request of the last minute:
more than any real quota keeps. The other runs with AGENTRY_RATE_LIMITING=false. Printed: req/s,
p50, p99 and the server's CPU time per request for each, and the ratio on / off (goal >= 0.9). Then,
steadier on a busy machine, the cost of the count alone: the Redis adapter's hit, called in this
process back to back, then by as many callers at a time as wrk has clients (CPU and wall time per
call).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package (which urllib needs): the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import json
import time
import uuid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis

from agentry.adapters.redis.rate_limiter import RedisRateLimiter
from agentry.application.ports.rate_limits import Quota
from bench.authorization import TASK, Run, measure, row, summary
from bench.pipeline import REDIS
from bench.serving import post_json, require_wrk, serving, sign_in, throwaway_database, wrk

UNREACHED = json.dumps({"reads": {"limit": 1_000_000_000, "window_s": 60}})


async def hit_cost(calls: int, at_once: int) -> tuple[float, float]:
    """CPU and wall microseconds per hit of one key, its log as full as a busy minute leaves it, with
    `at_once` callers hitting it concurrently (as the requests of a busy server do)."""
    redis: Redis[bytes] = Redis.from_url(REDIS)
    prefix = f"agentry-bench-{uuid.uuid4().hex[:8]}:"
    limiter, quota = RedisRateLimiter(redis, prefix), Quota(1_000_000_000, 60.0)

    async def caller(hits: int) -> None:
        for _ in range(hits):
            await limiter.hit("token", quota, time.time())

    try:
        await caller(calls // 5)  # warm-up: the connection, the script
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(caller(calls // at_once) for _ in range(at_once)))
        done = calls // at_once * at_once
        return (time.process_time() - cpu) / done * 1e6, (time.perf_counter() - wall) / done * 1e6
    finally:
        await redis.delete(f"{prefix}token")
        await redis.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs (off, on)")
    parser.add_argument("--hits", type=int, default=5000, help="counts timed alone, after the runs")
    args = parser.parse_args()
    require_wrk()
    off_runs: list[Run] = []
    on_runs: list[Run] = []
    ttl = "3600"  # the tokens outlive the run
    with (
        throwaway_database() as off_db,
        throwaway_database() as on_db,
        serving(off_db, AGENTRY_ACCESS_TOKEN_TTL_S=ttl, AGENTRY_RATE_LIMITING="false") as off,
        serving(on_db, AGENTRY_ACCESS_TOKEN_TTL_S=ttl, AGENTRY_RATE_LIMITS=UNREACHED) as on,
    ):
        off_token, on_token = sign_in(off.base), sign_in(on.base)
        off_url = f"{off.base}/api/v1/tasks/{post_json(f'{off.base}/api/v1/tasks', TASK, off_token)['id']}"
        on_url = f"{on.base}/api/v1/tasks/{post_json(f'{on.base}/api/v1/tasks', TASK, on_token)['id']}"
        for url, token in ((off_url, off_token), (on_url, on_token)):  # warm-up: pools, statements, caches
            wrk(url, args.connections, 3, token=token)
        for _ in range(args.rounds):
            off_runs.append(measure(off, off_url, args.connections, args.seconds, off_token))
            on_runs.append(measure(on, on_url, args.connections, args.seconds, on_token))
    print(
        f"rate limits: GET /api/v1/tasks/{{id}}, one `agentry serve` process each (production profile, Redis), "
        f"wrk, {args.connections} clients, {args.rounds} x {args.seconds}s each, alternating"
    )
    print(f"  {'rate limiting':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>12}")
    for i, (a, b) in enumerate(zip(off_runs, on_runs, strict=True), 1):
        row(f"run {i} off", a.load.rps, a.load.p50_ms, a.load.p99_ms, a.cpu_ms)
        row(f"run {i} on (Redis)", b.load.rps, b.load.p50_ms, b.load.p99_ms, b.cpu_ms)
    off_run = summary("off", off_runs)
    on_run = summary("on (Redis)", on_runs)
    print(f"  ratio on / off, req/s: {on_run.load.rps / off_run.load.rps:.2f}   (goal >= 0.9)")
    print(f"  ratio on / off, p99:   {on_run.load.p99_ms / off_run.load.p99_ms:.2f}")
    print(f"  server CPU per request: {on_run.cpu_ms - off_run.cpu_ms:+.2f} ms for counting and the headers")
    for at_once in (1, args.connections):
        cpu_us, wall_us = asyncio.run(hit_cost(args.hits, at_once))
        print(
            f"  counts alone (RedisRateLimiter.hit, {args.hits}, {at_once} at a time): "
            f"{cpu_us:.0f} us CPU, {wall_us:.0f} us wall per count"
        )


if __name__ == "__main__":
    main()
