"""What the HTTP benchmarks share: a throwaway database, a running `agentry serve`, and wrk.

Each `agentry` is named by its executable, so a benchmark can run the current build and an older
checkout (its own virtual environment) side by side on the same services.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis

from bench.pipeline import AGENTRY, POSTGRES, REDIS, cpu_seconds

BENCH_SECRET = "benchmarks-only-secret-key-not-for-use-elsewhere"


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit("this benchmark needs wrk (the HTTP load generator): apt-get install -y wrk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Appended to every wrk script: counts each answer's status (and the 503s that carry Retry-After and are
# /problems/overloaded: the deliberate refusals of admission control), and prints the latency
# histogram as wrk recorded it, so the per-request percentiles can be computed here (`per_request`).
STATS_LUA = """
local agentry_threads = {}
function setup(thread) table.insert(agentry_threads, thread) end
function init(args) agentry_statuses = {}; agentry_retry_after = 0 end
function response(status, headers, body)
  agentry_statuses[status] = (agentry_statuses[status] or 0) + 1
  if status == 503 and (headers["Retry-After"] or headers["retry-after"])
      and body and string.find(body, "/problems/overloaded", 1, true) then
    agentry_retry_after = agentry_retry_after + 1
  end
end
function done(summary, latency, requests)
  io.write("agentry-summary ", summary.duration, " ", summary.requests, " ", summary.errors.connect, " ",
    summary.errors.read, " ", summary.errors.write, " ", summary.errors.timeout, "\\n")
  for _, thread in ipairs(agentry_threads) do
    for status, count in pairs(thread:get("agentry_statuses")) do
      io.write("agentry-status ", status, " ", count, "\\n")
    end
    io.write("agentry-retry-after ", thread:get("agentry_retry_after"), "\\n")
  end
  for i = 1, #latency do
    local value, count = latency(i)
    io.write("agentry-latency ", value, " ", count, "\\n")
  end
end
"""


@dataclass(frozen=True)
class Load:
    """What wrk measured in one run; latencies per request (wrk's coordinated-omission correction undone)."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    p999_ms: float = 0.0
    max_ms: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    retry_after_503: int = 0  # /problems/overloaded 503s with Retry-After: admission control's deliberate refusals
    socket_errors: int = 0

    @property
    def non_2xx(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    @property
    def errors_5xx(self) -> int:
        """5xx answers other than admission control's deliberate 503s."""
        return sum(count for status, count in self.statuses.items() if status >= 500) - self.retry_after_503

    def describe_failures(self) -> str:
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()) if status >= 300)
        return f"non-2xx {{{shown}}} ({self.retry_after_503} 503s with Retry-After), socket errors {self.socket_errors}"


def per_request(histogram: dict[int, int], duration_us: int, requests: int, connections: int) -> dict[int, int]:
    """The latencies wrk measured, without the samples it made up: at the end of a run wrk adds, for
    every latency `n` above twice the mean interval between one connection's requests, samples at
    n - interval, n - 2 x interval, ... (its coordinated-omission correction, wrk.c's stats_correct),
    which turns one slow request into many. The interval is wrk's own integer arithmetic."""
    if requests // connections == 0:
        return dict(histogram)
    interval = duration_us // (requests // connections)
    counts = dict(histogram)
    added: dict[int, int] = {}
    for n in sorted(counts, reverse=True):
        if n < 2 * interval:
            break
        raw = counts[n] - added.get(n, 0)
        counts[n] = raw
        m = n - interval
        while raw and m > interval:
            added[m] = added.get(m, 0) + raw
            m -= interval
    for m, extra in added.items():  # made-up samples at values no request had
        if m in counts and m < 2 * interval:
            counts[m] -= extra
    return {value: count for value, count in counts.items() if count > 0}


def percentile_ms(histogram: dict[int, int], p: float) -> float:
    total = sum(histogram.values())
    if total == 0:
        return 0.0
    rank, seen = p / 100 * total, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value / 1000
    return max(histogram) / 1000


def wrk(
    url: str,
    connections: int,
    seconds: int,
    script: Path | None = None,
    token: str | None = None,
    *,
    strict: bool = True,
    timeout_s: int = 30,
) -> Load:
    """Drive `url` with wrk. `strict`: any non-2xx answer (whenever it came) or socket error stops the
    benchmark, so a figure is never made of refusals or time-outs; otherwise they are counted."""
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "stats.lua"
        lua.write_text((script.read_text() if script else "") + STATS_LUA)
        cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout_s}s"]
        if token:
            cmd += ["-H", f"Authorization: Bearer {token}"]
        out = subprocess.run([*cmd, "-s", str(lua), url], capture_output=True, text=True, check=True).stdout
    histogram: dict[int, int] = {}
    statuses: dict[int, int] = {}
    retry_after = 0
    duration_us = requests = socket_errors = 0
    for line in out.splitlines():
        kind, *values = line.split()
        if kind == "agentry-summary":
            duration_us, requests, *errors = (int(float(v)) for v in values)
            socket_errors = sum(errors)
        elif kind == "agentry-status":
            statuses[int(values[0])] = statuses.get(int(values[0]), 0) + int(values[1])
        elif kind == "agentry-retry-after":
            retry_after += int(float(values[0]))
        elif kind == "agentry-latency":
            histogram[int(float(values[0]))] = int(float(values[1]))
    latencies = per_request(histogram, duration_us, requests, connections)
    load = Load(
        requests=requests,
        rps=requests / (duration_us / 1e6) if duration_us else 0.0,
        p50_ms=percentile_ms(latencies, 50),
        p99_ms=percentile_ms(latencies, 99),
        p999_ms=percentile_ms(latencies, 99.9),
        max_ms=max(latencies, default=0) / 1000,
        statuses=statuses,
        retry_after_503=retry_after,
        socket_errors=socket_errors,
    )
    if strict and (load.non_2xx or load.socket_errors):
        raise RuntimeError(f"wrk against {url}: {load.describe_failures()}\n{out}")
    return load


@contextmanager
def throwaway_database(agentry: str = AGENTRY) -> Iterator[str]:
    """A fresh PostgreSQL database migrated by the given `agentry` (its own migrations)."""
    name = f"agentry_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    try:
        env = agentry_env(AGENTRY_DATABASE_URL=url, **secret_settings(agentry))
        subprocess.run([agentry, "migrate", "upgrade"], env=env, check=True, capture_output=True)
        yield url
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def agentry_env(**settings: str) -> dict[str, str]:
    """This environment without its AGENTRY_* variables (an older build refuses names it does not know)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AGENTRY_")} | settings


def secret_settings(agentry: str) -> dict[str, str]:
    """The secret that seals the signing keys (the production profile needs one), for a build that
    knows AGENTRY_SECRET_KEY; an older build refuses the name, and needs none."""
    return known_settings(agentry, AGENTRY_SECRET_KEY=BENCH_SECRET)


def known_settings(agentry: str, **settings: str) -> dict[str, str]:
    """`settings` without those the build refuses as unknown (an older baseline lacks later settings:
    rate limits, quotas, metrics), each left out named on stderr."""
    if agentry == AGENTRY:
        return settings
    refused = _refused(agentry, tuple(sorted(settings)))
    return {name: value for name, value in settings.items() if name not in refused}


@functools.cache
def _refused(agentry: str, names: tuple[str, ...]) -> frozenset[str]:
    refused: set[str] = set()
    while True:  # a build names the first unknown setting it meets: ask again without it
        env = agentry_env(AGENTRY_DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")
        env |= {name: "0" for name in names if name not in refused}
        probe = subprocess.run([agentry, "migrate", "current"], env=env, capture_output=True, text=True, timeout=120)
        match = re.search(r"(AGENTRY_\w+): unknown setting", probe.stderr)
        if match is None or match[1] in refused:
            return frozenset(refused)
        refused.add(match[1])
        print(f"  ({agentry}: does not know {match[1]}; left out)", file=sys.stderr)


# What the server logs when it answers a 5xx of its own (not admission control's deliberate 503s): a
# database it could not use (a 503), an unhandled error (a 500). Counted in its output, so that the
# answers wrk never read (sent after the run ended, to requests it had stopped waiting for) count too.
SERVER_FAILURES = ("database unavailable on ", "unhandled error on ")


@dataclass(frozen=True)
class Server:
    base: str
    pid: int
    log: Path | None = None
    worker_pid: int | None = None  # the `agentry worker` started beside it, if any

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far (all its processes)."""
        return cpu_seconds(self.pid)

    def worker_cpu_seconds(self) -> float:
        """CPU time the worker started beside the server has used so far (all its processes)."""
        return cpu_seconds(self.worker_pid) if self.worker_pid is not None else 0.0

    def failures(self) -> int:
        """5xx answers the server has logged so far (see SERVER_FAILURES)."""
        if self.log is None:
            return 0
        text = self.log.read_text(errors="replace")
        return sum(text.count(marker) for marker in SERVER_FAILURES)


@contextmanager
def serving(
    database: str, agentry: str = AGENTRY, *, worker: bool = False, serve_args: tuple[str, ...] = (), **settings: str
) -> Iterator[Server]:
    """`agentry serve` on the production profile (PostgreSQL + Redis). Without `worker`, submitted tasks
    stay queued, so the API alone is measured; with it, one `agentry worker` runs them. `serve_args`:
    more options of `agentry serve` (`--workers 2`). The Redis keys they made are removed after."""
    port, namespace = free_port(), f"agentry-bench-{uuid.uuid4().hex[:8]}"
    if agentry == AGENTRY:  # production offers the scripted runner only when told to (older builds always did)
        # Metrics (on in production) listen on fixed ports, and benchmarks run servers side by side: off
        # unless a benchmark turns them on (bench/metrics.py), on ports of its own. One API process unless
        # `serve_args` say --workers (older builds have no such setting).
        settings = {
            "AGENTRY_SCRIPTED_RUNNER": "true",
            "AGENTRY_METRICS": "false",
            "AGENTRY_SERVE_WORKERS": "1",
            **settings,
        }
    env = agentry_env(
        AGENTRY_PROFILE="production",
        AGENTRY_DATABASE_URL=database,
        AGENTRY_REDIS_URL=REDIS,
        AGENTRY_REDIS_NAMESPACE=namespace,
        AGENTRY_LOG_LEVEL="WARNING",
        **secret_settings(agentry),
        **known_settings(agentry, **settings),
    )
    base = f"http://127.0.0.1:{port}"
    commands = [["serve", "--port", str(port), *serve_args]]
    commands += [["worker", "--processes", "1", "--threads", "8"]] if worker else []
    with tempfile.TemporaryDirectory() as cwd:
        log = Path(cwd) / "serve.log"
        with log.open("wb") as output:  # the API's output, for Server.failures; the worker's is shown
            processes = [
                subprocess.Popen(
                    [agentry, *c], env=env, cwd=cwd, start_new_session=True, **({"stderr": output} if i == 0 else {})
                )
                for i, c in enumerate(commands)
            ]
        try:
            deadline = time.monotonic() + 180  # a loaded machine starts a server slowly
            while True:
                try:
                    urllib.request.urlopen(f"{base}/health/{'ready' if worker else 'live'}", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                        print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
                        raise
                    time.sleep(0.2)
            if worker:
                time.sleep(2)  # the worker process boots after the API answers
            yield Server(base, processes[0].pid, log, processes[1].pid if worker else None)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            client = redis.Redis.from_url(REDIS)
            keys = list(client.scan_iter(f"{namespace}*"))
            if keys:
                client.delete(*keys)


def post_json(url: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    return json.load(urllib.request.urlopen(request))


BENCH_USER = {"email": "bench@example.com", "password": "correct horse battery"}


def sign_in(base: str) -> str:
    """Register the bench user and log in; the access token."""
    post_json(f"{base}/api/v1/auth/register", {**BENCH_USER, "display_name": "Bench"})
    return str(post_json(f"{base}/api/v1/auth/login", BENCH_USER)["access_token"])
