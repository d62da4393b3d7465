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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Load:
    """What wrk measured in one run."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float


def wrk(url: str, connections: int, seconds: int, script: Path | None = None, token: str | None = None) -> Load:
    """Drive `url` with wrk; any non-2xx answer or socket error stops the benchmark, so a figure is
    never made of refusals or time-outs."""
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out) or re.search(r"Socket errors: (.*)", out)
    if failed:
        raise RuntimeError(f"wrk against {url}: {failed.group(0)}\n{out}")

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return Load(requests, rps, percentile("50"), percentile("99"))


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


@functools.cache
def secret_settings(agentry: str) -> dict[str, str]:
    """The secret that seals the signing keys (the production profile needs one), for a build that
    knows AGENTRY_SECRET_KEY; an older build refuses the name, and needs none."""
    env = agentry_env(AGENTRY_SECRET_KEY=BENCH_SECRET, AGENTRY_DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")
    probe = subprocess.run([agentry, "migrate", "current"], env=env, capture_output=True, text=True, timeout=120)
    return {} if "unknown setting" in probe.stderr else {"AGENTRY_SECRET_KEY": BENCH_SECRET}


@dataclass(frozen=True)
class Server:
    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far (all its processes)."""
        return cpu_seconds(self.pid)


@contextmanager
def serving(database: str, agentry: str = AGENTRY, *, worker: bool = False, **settings: str) -> Iterator[Server]:
    """`agentry serve` on the production profile (PostgreSQL + Redis). Without `worker`, submitted tasks
    stay queued, so the API alone is measured; with it, one `agentry worker` runs them. The Redis keys
    they made are removed after."""
    port, namespace = free_port(), f"agentry-bench-{uuid.uuid4().hex[:8]}"
    if agentry == AGENTRY:  # production offers the scripted runner only when told to (older builds always did)
        # Metrics (on in production) listen on fixed ports, and benchmarks run servers side by side: off
        # unless a benchmark turns them on (bench/metrics.py), on ports of its own.
        settings = {"AGENTRY_SCRIPTED_RUNNER": "true", "AGENTRY_METRICS": "false", **settings}
    env = agentry_env(
        AGENTRY_PROFILE="production",
        AGENTRY_DATABASE_URL=database,
        AGENTRY_REDIS_URL=REDIS,
        AGENTRY_REDIS_NAMESPACE=namespace,
        AGENTRY_LOG_LEVEL="WARNING",
        **secret_settings(agentry),
        **settings,
    )
    base = f"http://127.0.0.1:{port}"
    commands = [["serve", "--port", str(port)]] + ([["worker", "--processes", "1", "--threads", "8"]] if worker else [])
    with tempfile.TemporaryDirectory() as cwd:
        processes = [subprocess.Popen([agentry, *c], env=env, cwd=cwd, start_new_session=True) for c in commands]
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/health/{'ready' if worker else 'live'}", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                        raise
                    time.sleep(0.2)
            if worker:
                time.sleep(2)  # the worker process boots after the API answers
            yield Server(base, processes[0].pid)
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
