"""Webhook figures on the real stack: `agentry serve` and ONE `agentry worker` process on PostgreSQL
and Redis, delivering to a receiver on loopback (AGENTRY_WEBHOOK_ALLOW_PRIVATE and _ALLOW_HTTP on).

    uv run python bench/webhooks.py [--deliveries 2000] [--tasks 1000] [--in-flight 16]

1. Throughput: `--deliveries` pending deliveries are written at once (straight into the table, spread
   over 8 endpoints), then timed until the receiver has them all; the baseline is the same number of
   signed POSTs sent by this process to the same receiver with the same concurrency (httpx, no queue,
   no database): the ratio says what the pipeline (relay lease, Dramatiq, the worker's transactions)
   costs over the wire alone. On a shared machine the rates follow the load; the CPU per delivery (the
   worker's processes, /proc) against the baseline's (this process) follows it much less.
2. Delay: `--tasks` tasks (the zero-delay scripted runner) are submitted over HTTP, `--concurrency` at
   a time; for each, the time from its terminal commit (tasks.finished_at, the worker's clock) to the receiver's
   arrival of its task.succeeded delivery (this machine's clock), p50 / p99 / max. With many tasks at
   once this measures the queue as much as the path; `--concurrency 2` measures the path. A 503 (the
   API's admission control, busy) is retried after its Retry-After, as a client would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package: the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.domain.webhooks.signing import headers, secret_from

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
AGENTRY = str(Path(sys.executable).parent / "agentry")
ENDPOINTS = 8


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}  # webhook-id -> wall clock
        self.bodies: list[tuple[float, bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                now = time.time()
                with receiver.lock:
                    receiver.arrivals.setdefault(self.headers.get("webhook-id", uuid.uuid4().hex), now)
                    receiver.bodies.append((now, body))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024  # the default backlog (5) resets connections under load

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)

    def reset(self) -> None:
        with self.lock:
            self.arrivals.clear()
            self.bodies.clear()


@contextmanager
def stack(in_flight: int) -> Iterator[tuple[dict[str, str], str, int]]:
    name = f"agentry_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    port = 18000 + os.getpid() % 1000
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTRY_")} | {
        "AGENTRY_PROFILE": "production",
        "AGENTRY_DATABASE_URL": url,
        "AGENTRY_REDIS_URL": REDIS,
        "AGENTRY_REDIS_NAMESPACE": f"bench-{name}",
        "AGENTRY_SECRET_KEY": "bench-only-secret-key-of-sufficient-length",
        "AGENTRY_SCRIPTED_RUNNER": "true",
        "AGENTRY_RUNNER": "scripted",
        "AGENTRY_LOG_LEVEL": "WARNING",
        "AGENTRY_USER_MAX_RUNNING": "null",
        "AGENTRY_USER_MAX_WAITING": "null",
        "AGENTRY_RATE_LIMITING": "false",
        "AGENTRY_WEBHOOK_ALLOW_PRIVATE": "true",
        "AGENTRY_WEBHOOK_ALLOW_HTTP": "true",
        "AGENTRY_WEBHOOK_MAX_IN_FLIGHT": str(in_flight),
        "AGENTRY_RELAY_POLL_INTERVAL_S": "0.1",
        "AGENTRY_HTTP_CONCURRENCY": "8",  # a good neighbour on a shared PostgreSQL: a pool of 12,
        "AGENTRY_DB_POOL_SIZE": "12",  # more than the requests admitted at once
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run([AGENTRY, "migrate", "upgrade"], env=env, check=True, capture_output=True)
        for args in (["serve", "--port", str(port)], ["worker", "--processes", "1", "--threads", "8"]):
            procs.append(
                subprocess.Popen([AGENTRY, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300  # a loaded machine takes minutes to start the API process
        while True:
            try:
                if httpx.get(base + "/health/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("agentry serve did not come up")
            time.sleep(0.2)
        yield env, base, procs[1].pid
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        with psycopg.connect(POSTGRES, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def group_cpu_s(group: int) -> float:
    """CPU seconds (user + system) of the live processes of a process group: the worker and its children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group:
                total += int(fields[11]) + int(fields[12])
    return total / ticks


def wait_for(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark did not finish in time")
        time.sleep(0.005)


async def signed_in(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=32))
    body = {"email": "bench@example.com", "password": "correct horse battery", "display_name": "Bench"}
    await client.post("/api/v1/auth/register", json=body)
    login = await client.post("/api/v1/auth/login", json={"email": body["email"], "password": body["password"]})
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return client


async def endpoints(client: httpx.AsyncClient, receiver: Receiver, types: list[str], n: int) -> tuple[str, list[str]]:
    project_id = (await client.get("/api/v1/projects")).json()["items"][0]["id"]
    made = []
    for i in range(n):
        hook = await client.post(
            f"/api/v1/projects/{project_id}/webhooks", json={"url": f"{receiver.url}/e{i}", "event_types": types}
        )
        assert hook.status_code == 201, hook.text
        made.append(hook.json()["id"])
    return project_id, made


def write_deliveries(url: str, endpoint_ids: list[str], count: int) -> None:
    now = datetime.now(UTC)
    rows = []
    for i in range(count):
        event_id = uuid.uuid4()
        body = json.dumps({"id": str(event_id), "type": "webhook.ping", "timestamp": now.isoformat(), "data": {"n": i}})
        rows.append(
            (
                uuid.uuid4(),
                endpoint_ids[i % len(endpoint_ids)],
                event_id,
                "webhook.ping",
                uuid.uuid4(),
                i,
                body,
                now,
                now,
            )
        )
    with psycopg.connect(url) as db, db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, ordering_key, sequence, body, "
            "status, attempts, round_start, next_attempt_at, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, 'pending', 0, 0, %s, %s)",
            rows,
        )


async def baseline(receiver: Receiver, count: int, concurrency: int) -> tuple[float, float]:
    """Deliveries per second and CPU milliseconds per delivery (this process, receiver threads included)."""
    key = secret_from(os.urandom(32))
    body = json.dumps({"type": "webhook.ping", "data": {"n": 0}}).encode()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    async with httpx.AsyncClient(timeout=10) as client:

        async def one() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                signed = headers([key], f"msg_base_{i}", int(time.time()), body)
                response = await client.post(f"{receiver.url}/base", content=body, headers=signed)
                assert response.status_code == 200

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        return count / (time.perf_counter() - started), (time.process_time() - cpu) * 1000 / count


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=4, help="AGENTRY_WEBHOOK_MAX_IN_FLIGHT per endpoint")
    parser.add_argument("--concurrency", type=int, default=20, help="tasks submitted at once in the delay run")
    args = parser.parse_args()
    receiver = Receiver()
    with stack(args.in_flight) as (env, base, worker):
        client = await signed_in(base)
        project_id, hooks = await endpoints(client, receiver, ["task.queued"], ENDPOINTS)
        # a warm-up: the worker's first delivery opens its connections
        write_deliveries(env["AGENTRY_DATABASE_URL"], hooks, 20)
        wait_for(lambda: receiver.count() >= 20, 60)
        receiver.reset()
        write_deliveries(env["AGENTRY_DATABASE_URL"], hooks, args.deliveries)
        started, cpu = time.perf_counter(), group_cpu_s(worker)
        wait_for(lambda: receiver.count() >= args.deliveries, 900)
        pipeline = args.deliveries / (time.perf_counter() - started)
        worker_cpu_ms = (group_cpu_s(worker) - cpu) * 1000 / args.deliveries
        receiver.reset()
        direct, direct_cpu_ms = await baseline(receiver, args.deliveries, min(ENDPOINTS * args.in_flight, 64))
        print(
            f"throughput: {args.deliveries} deliveries over {ENDPOINTS} endpoints, one worker (8 threads), "
            f"{args.in_flight} in flight per endpoint: {pipeline:.0f} deliveries/s; "
            f"baseline (signed POSTs straight from one process, same receiver): {direct:.0f}/s; "
            f"ratio {pipeline / direct:.2f}"
        )
        print(
            f"CPU per delivery: worker {worker_cpu_ms:.1f} ms (all its processes; 1000/that = "
            f"{1000 / worker_cpu_ms:.0f} deliveries per CPU-second); baseline {direct_cpu_ms:.1f} ms "
            f"(this process, the receiver's threads included); ratio {worker_cpu_ms / direct_cpu_ms:.1f}"
        )

        for hook in hooks:  # the delay run: one endpoint, for the succeeded tasks
            await client.delete(f"/api/v1/projects/{project_id}/webhooks/{hook}")
        await endpoints(client, receiver, ["task.succeeded"], 1)
        receiver.reset()
        semaphore = asyncio.Semaphore(args.concurrency)

        async def submit(i: int) -> None:
            async with semaphore:
                body = {"title": f"t{i}", "prompt": "p", "options": {"script": [{"say": "done"}]}}
                response = await client.post("/api/v1/tasks", json=body)
                while response.status_code == 503 and "retry-after" in response.headers:  # busy: admission
                    await asyncio.sleep(float(response.headers["retry-after"]))
                    response = await client.post("/api/v1/tasks", json=body)
                assert response.status_code == 201, response.text

        started = time.perf_counter()
        await asyncio.gather(*(submit(i) for i in range(args.tasks)))
        wait_for(lambda: receiver.count() >= args.tasks, 900)
        elapsed = time.perf_counter() - started
        await client.aclose()
        arrivals = {json.loads(body)["data"]["id"]: at for at, body in receiver.bodies}
        with psycopg.connect(env["AGENTRY_DATABASE_URL"]) as db:
            finished = dict(db.execute("SELECT id::text, finished_at FROM tasks WHERE status = 'succeeded'").fetchall())
        delays = sorted((arrivals[t] - finished[t].timestamp()) * 1000 for t in arrivals if t in finished)
        p50, p99 = statistics.median(delays), delays[max(0, int(len(delays) * 0.99) - 1)]
        print(
            f"delay from terminal commit to the receiver, {len(delays)} tasks submitted {args.concurrency} at a time "
            f"({args.tasks / elapsed:.0f} tasks/s end to end): "
            f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {delays[-1]:.0f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main())
