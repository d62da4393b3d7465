"""HTTP benchmark: submit and get a task under concurrent clients, with wrk.

    uv run python bench/http.py [--connections 64] [--seconds 10]

Runs `agentry serve` (production profile, PostgreSQL + Redis, no workers: submitted tasks stay
queued, so the API alone is measured) and drives it with wrk (Debian package `wrk`), which uses
far less CPU than a Python client would on the same cores. Printed in the same run, as a
baseline: GET /health/live, which touches neither the database nor the use cases. At a fixed
number of connections, latency is connections / throughput (Little's law), so the figures are
also given at a low concurrency.

Latencies are per request: wrk's coordinated-omission correction (made-up samples for every slow
answer) is undone, see bench/serving.py. Any non-2xx answer stops the benchmark, whenever it came:
wrk's Lua counts every status it reads, and the 5xx the server logged but wrk never read (sent after
the run ended, to a request it had stopped waiting for) are counted from the server's output.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py, as asked for; run as a script, its folder would shadow the standard
# library's `http` package, so that folder leaves the import path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import LIFTED_QUOTAS
from bench.serving import post_json, require_wrk, serving, sign_in, throwaway_database, wrk

POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  -- wrk.format takes these headers instead of wrk.headers (which hold -H Authorization): copy them
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Idempotency-Key"] = "k-" .. counter .. "-" .. math.random(1e9)
  local body = '{"title": "bench", "prompt": "Say hi", "tags": ["bench"]}'
  return wrk.format(nil, nil, headers, body)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--low", type=int, default=4, help="the low concurrency also reported")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    require_wrk()
    with (
        throwaway_database() as database,
        # the token outlives the run; no rate limits: one client sends far more than its quota here
        serving(database, AGENTRY_ACCESS_TOKEN_TTL_S="3600", AGENTRY_RATE_LIMITING="false", **LIFTED_QUOTAS) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        base = server.base
        script = Path(tmp) / "post.lua"
        script.write_text(POST_SCRIPT)
        token = sign_in(base)
        task_id = post_json(f"{base}/api/v1/tasks", {"title": "one", "prompt": "to get"}, token)["id"]
        wrk(f"{base}/api/v1/tasks/{task_id}", 8, 2, token=token)  # warm-up: pools, compiled statements
        wrk(f"{base}/api/v1/tasks", 8, 2, script, token=token)
        rows = []
        for connections in (args.connections, args.low):
            for label, url, lua in (
                ("GET /health/live (baseline)", f"{base}/health/live", None),
                ("POST /api/v1/tasks", f"{base}/api/v1/tasks", script),
                ("GET /api/v1/tasks/{id}", f"{base}/api/v1/tasks/{task_id}", None),
            ):
                before = server.failures()
                rows.append((connections, label, wrk(url, connections, args.seconds, lua, token)))
                time.sleep(2.5)  # answers still due: the pool's check-out time-out, and some
                if server.failures() > before:  # 5xx wrk never read: sent after the run had ended
                    raise RuntimeError(f"{label}: the server logged {server.failures() - before} 5xx answers")
    print(f"http: one `agentry serve` process (production profile), wrk, {args.seconds}s per row")
    print("  latencies per request (wrk's coordinated-omission correction undone); any non-2xx stops the run")
    print(f"  {'clients':>7}  {'route':30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9}")
    for connections, label, load in rows:
        print(
            f"  {connections:7d}  {label:30} {load.rps:8.0f} {load.p50_ms:8.1f} {load.p99_ms:8.1f} {load.p999_ms:9.1f}"
        )
    print("  goals at 64 clients: submit p99 < 25 ms, get p99 < 10 ms")


if __name__ == "__main__":
    main()
