"""What Prometheus metrics cost: authenticated reads per second and pipeline tasks per second with
metrics on against off, in the same run.

    uv run python bench/metrics.py [--connections 16] [--seconds 10] [--tasks 400] [--rounds 3]

Two stacks on the production profile (each its own PostgreSQL database, the same Redis): `agentry
serve` plus one `agentry worker` process (8 threads), one with AGENTRY_METRICS=false, the other with
metrics on (multiprocess mode, the API's and the worker's exposition servers on ports of their own,
scraped every --scrape-s seconds during its runs, as Prometheus would, but more often). Rate limiting
is off on both, so only the metrics differ. Loaded alternately (off, on, off, ...):

- reads: GET /api/v1/tasks/{id} with a bearer token, driven by wrk (the HTTP middleware, the route
  template label, the latency histogram);
- pipeline: --tasks tasks submitted over HTTP (32 at once) and run by the worker with the zero-delay
  scripted runner, timed from the first submission to the last success (the HTTP metrics of the
  submissions, the worker's message metrics, the pool gauges, the task counters fed by the relay).

Printed: each run, the means, and the ratios on / off (goal >= 0.9 each).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package (which urllib needs): the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import statistics
import threading
import time
import urllib.request
import uuid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx
import psycopg

from bench.authorization import TASK, Run, measure, row
from bench.pipeline import LIFTED_QUOTAS
from bench.serving import Server, free_port, post_json, require_wrk, serving, sign_in, throwaway_database, wrk

TOKEN = "bench-metrics-token-0123456789"
# What an API request adds with metrics on, timed alone in a process of its own in multiprocess mode:
# the request counter and latency histogram, and a pool checkout and checkin (in use and waiting).
UPDATES = """
import sys, time
from agentry.adapters.prometheus import families as m
n = int(sys.argv[1])
def one():
    m.db_pool_waiting.inc(); m.db_pool_waiting.dec(); m.db_pool_in_use.inc(); m.db_pool_in_use.dec()
    m.http_requests.labels("/api/v1/tasks/{task_id}", "GET", "200").inc()
    m.http_latency.labels("/api/v1/tasks/{task_id}", "GET").observe(0.004)
for _ in range(n // 10):
    one()
cpu = time.process_time()
for _ in range(n):
    one()
print((time.process_time() - cpu) / n * 1e6)
"""


def update_cost(calls: int) -> float:
    """CPU microseconds of one request's metric updates."""
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": directory}
        out = subprocess.run([sys.executable, "-c", UPDATES, str(calls)], env=env, capture_output=True, text=True)
        return float(out.stdout.strip())


def succeeded(db: psycopg.Connection[tuple[int]]) -> int:
    found = db.execute("SELECT count(*) FROM tasks WHERE status = 'succeeded'").fetchone()
    return int(found[0]) if found else 0


async def pipeline(server: Server, database: str, token: str, count: int) -> float:
    """Tasks per second, from the first submission to the last success."""
    with psycopg.connect(database, autocommit=True) as db:  # one connection: the server's are shared
        return await _pipeline(server, db, token, count)


async def _pipeline(server: Server, db: psycopg.Connection[tuple[int]], token: str, count: int) -> float:
    before = await asyncio.to_thread(succeeded, db)
    limit = asyncio.Semaphore(32)
    prefix = uuid.uuid4().hex
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.base, headers=headers, timeout=60) as client:

        async def one(i: int) -> None:
            async with limit:
                body = {"title": "bench", "prompt": "Say hi", "options": {"runner": "scripted"}}
                response = await client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": f"{prefix}-{i}"})
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(count)))
        deadline = time.monotonic() + 600
        while await asyncio.to_thread(succeeded, db) < before + count:
            if time.monotonic() > deadline:
                raise TimeoutError("the pipeline did not finish")
            await asyncio.sleep(0.02)
        return count / (time.perf_counter() - started)


class Scraper:
    """Scrapes the given /metrics URLs every `every_s` seconds while on."""

    def __init__(self, urls: list[str], every_s: float) -> None:
        self._urls, self._every = urls, every_s
        self._stop = threading.Event()
        self.scrapes = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            for url in self._urls:
                request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                self.scrapes += 1

    def __enter__(self) -> Scraper:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs (off, on) of each kind")
    parser.add_argument("--scrape-s", type=float, default=1.0, help="how often the `on` stack is scraped")
    parser.add_argument("--updates", type=int, default=50_000, help="metric updates timed alone, after the runs")
    args = parser.parse_args()
    require_wrk()
    api_port, worker_port = free_port(), free_port()
    on_settings = {
        "AGENTRY_METRICS": "true",
        "AGENTRY_METRICS_HOST": "127.0.0.1",
        "AGENTRY_METRICS_PORT": str(api_port),
        "AGENTRY_WORKER_METRICS_PORT": str(worker_port),
        "AGENTRY_METRICS_TOKEN": TOKEN,
    }
    common = {"AGENTRY_ACCESS_TOKEN_TTL_S": "3600", "AGENTRY_RATE_LIMITING": "false", **LIFTED_QUOTAS}
    urls = [f"http://127.0.0.1:{port}/metrics" for port in (api_port, worker_port)]
    reads: dict[str, list[Run]] = {"off": [], "on": []}
    tasks: dict[str, list[float]] = {"off": [], "on": []}
    scrapes = 0
    with (
        throwaway_database() as off_db,
        throwaway_database() as on_db,
        serving(off_db, worker=True, **common) as off,
        serving(on_db, worker=True, **common, **on_settings) as on,
    ):
        stacks = {"off": (off, off_db, sign_in(off.base)), "on": (on, on_db, sign_in(on.base))}
        read_urls = {
            name: f"{server.base}/api/v1/tasks/{post_json(f'{server.base}/api/v1/tasks', TASK, token)['id']}"
            for name, (server, _, token) in stacks.items()
        }
        for name, (server, database, token) in stacks.items():  # warm-up: pools, statements, caches
            wrk(read_urls[name], args.connections, 3, token=token)
            asyncio.run(pipeline(server, database, token, 50))
        for _ in range(args.rounds):
            for name in ("off", "on"):
                server, database, token = stacks[name]
                scraper = Scraper(urls if name == "on" else [], args.scrape_s)
                with scraper:
                    reads[name].append(measure(server, read_urls[name], args.connections, args.seconds, token))
                    tasks[name].append(asyncio.run(pipeline(server, database, token, args.tasks)))
                scrapes += scraper.scrapes
    print(
        f"metrics: one `agentry serve` + one `agentry worker` (8 threads) each, production profile, "
        f"{args.rounds} rounds alternating off / on; `on` scraped every {args.scrape_s:g}s ({scrapes} scrapes)"
    )
    print(f"  reads: GET /api/v1/tasks/{{id}}, wrk, {args.connections} clients, {args.seconds}s each")
    print(f"  {'metrics':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>12}")
    for i, (a, b) in enumerate(zip(reads["off"], reads["on"], strict=True), 1):
        row(f"run {i} off", a.load.rps, a.load.p50_ms, a.load.p99_ms, a.cpu_ms)
        row(f"run {i} on", b.load.rps, b.load.p50_ms, b.load.p99_ms, b.cpu_ms)
    mean_reads = {name: statistics.mean(r.load.rps for r in runs) for name, runs in reads.items()}
    print(f"  pipeline: {args.tasks} tasks over HTTP, scripted runner, submit to last success")
    for i, (a, b) in enumerate(zip(tasks["off"], tasks["on"], strict=True), 1):
        print(f"  run {i}: off {a:7.1f} tasks/s   on {b:7.1f} tasks/s")
    mean_tasks = {name: statistics.mean(runs) for name, runs in tasks.items()}
    print(f"  mean reads/s: off {mean_reads['off']:.0f}, on {mean_reads['on']:.0f}")
    print(f"  mean tasks/s: off {mean_tasks['off']:.1f}, on {mean_tasks['on']:.1f}")
    print(f"  ratio on / off, reads/s: {mean_reads['on'] / mean_reads['off']:.2f}   (goal >= 0.9)")
    print(f"  ratio on / off, tasks/s: {mean_tasks['on'] / mean_tasks['off']:.2f}   (goal >= 0.9)")
    off_cpu_us = statistics.mean(r.cpu_ms for r in reads["off"]) * 1000
    cost = update_cost(args.updates)
    print(
        f"  one request's metric updates alone ({args.updates} in a row, multiprocess mode): {cost:.1f} us CPU, "
        f"{cost / off_cpu_us:.1%} of the server's CPU per read with metrics off ({off_cpu_us:.0f} us)"
    )


if __name__ == "__main__":
    main()
