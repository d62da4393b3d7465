"""HTTP benchmark: submit and get a task under concurrent clients, with wrk.

    uv run python bench/http.py [--connections 64] [--seconds 10]

Runs `agentry serve` (production profile, PostgreSQL + Redis, no workers: submitted tasks stay
queued, so the API alone is measured) and drives it with wrk (Debian package `wrk`), which uses
far less CPU than a Python client would on the same cores. Printed in the same run, as a
baseline: GET /health/live, which touches neither the database nor the use cases. At a fixed
number of connections, latency is connections / throughput (Little's law), so the figures are
also given at a low concurrency.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py, as asked for; run as a script, its folder would shadow the standard
# library's `http` package, so that folder leaves the import path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import REDIS, throwaway_database

AGENTRY = str(Path(sys.executable).parent / "agentry")
POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"title": "bench", "prompt": "Say hi", "tags": ["bench"]}'
  return wrk.format(nil, nil, {["Idempotency-Key"] = "k-" .. counter .. "-" .. math.random(1e9)}, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(
    url: str, connections: int, seconds: int, script: str | None = None, token: str | None = None
) -> tuple[float, float, float]:
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed requests against {url}")
    return rps, percentile("50"), percentile("99")


def sign_in(base: str) -> str:
    """Register a bench user and log in; the access token."""
    credentials = {"email": "bench@example.com", "password": "correct horse battery"}

    def post(path: str, body: dict[str, str]) -> Any:
        request = urllib.request.Request(
            base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        return json.load(urllib.request.urlopen(request))

    post("/api/v1/auth/register", {**credentials, "display_name": "Bench"})
    return str(post("/api/v1/auth/login", credentials)["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--low", type=int, default=4, help="the low concurrency also reported")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/http.py needs wrk: apt-get install wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with throwaway_database() as database, tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "AGENTRY_PROFILE": "production",
            "AGENTRY_DATABASE_URL": database,
            "AGENTRY_REDIS_URL": REDIS,
            "AGENTRY_REDIS_NAMESPACE": f"agentry-bench-{uuid.uuid4().hex[:8]}",
            "AGENTRY_LOG_LEVEL": "WARNING",
            "AGENTRY_ACCESS_TOKEN_TTL_S": "3600",  # outlives the run
        }
        server = subprocess.Popen([AGENTRY, "serve", "--port", str(port)], env=env, cwd=tmp)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/health/live", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            script = Path(tmp) / "post.lua"
            script.write_text(POST_SCRIPT)
            token = sign_in(base)
            request = urllib.request.Request(
                f"{base}/api/v1/tasks",
                data=json.dumps({"title": "one", "prompt": "to get"}).encode(),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            )
            task_id = json.load(urllib.request.urlopen(request))["id"]
            wrk(f"{base}/api/v1/tasks/{task_id}", 8, 2, token=token)  # warm-up: pools, compiled statements
            wrk(f"{base}/api/v1/tasks", 8, 2, str(script), token=token)
            rows = []
            for connections in (args.connections, args.low):
                for label, url, lua in (
                    ("GET /health/live (baseline)", f"{base}/health/live", None),
                    ("POST /api/v1/tasks", f"{base}/api/v1/tasks", str(script)),
                    ("GET /api/v1/tasks/{id}", f"{base}/api/v1/tasks/{task_id}", None),
                ):
                    rows.append((connections, label, *wrk(url, connections, args.seconds, lua, token)))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    print(f"http: one `agentry serve` process (production profile), wrk, {args.seconds}s per row")
    print(f"  {'clients':>7}  {'route':30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for connections, label, rps, p50, p99 in rows:
        print(f"  {connections:7d}  {label:30} {rps:8.0f} {p50:8.1f} {p99:8.1f}")
    print("  goals at 64 clients: submit p99 < 25 ms, get p99 < 10 ms")


if __name__ == "__main__":
    main()
