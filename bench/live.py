"""Live progress benchmark: a worker process's log lines reaching WebSocket clients of the API
process through Redis, how fast one execution appends its log, and what fan-out costs the API.

    uv run python bench/live.py [--lines 10000] [--flush-interval 0.02] [--subscribers 100]

Runs `agentry serve` and `agentry worker` (production profile, PostgreSQL + Redis) on a throwaway
database. Three figures:

- latency: scripted tasks write `--lines` log lines at a steady pace while a WebSocket client
  follows their project; for each line, the time from its `at` (when the worker recorded it) to
  its arrival at the client, p50 and p99. This includes the worker's batching (a batch is written,
  committed and then published at most AGENTRY_LOG_FLUSH_INTERVAL_S after its first line, or when
  AGENTRY_LOG_BATCH_SIZE lines wait), so `--flush-interval` bounds it from below.
- ingestion: one execution of 2,000 lines (the most a script can make) without pauses: lines per
  second between the execution's start and end.
- fan-out: the API process's CPU time while `--subscribers` WebSocket clients follow one task of
  2,000 lines, against one client following the same: CPU microseconds per line per extra client.
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
import urllib.request
from datetime import datetime
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import ClientConnection, connect

from bench.pipeline import LIFTED_QUOTAS, cpu_seconds
from bench.serving import post_json, serving, sign_in, throwaway_database

TERMINAL = {"succeeded", "failed", "timed_out", "cancelled"}
STEP_LINES = 2  # a tool step is logged as two lines (tool_use, tool_result)
MAX_STEPS = 1_000  # the most steps a script may have


def get_json(url: str, token: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(request))


def script(tools: int, pause_s: float) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for i in range(tools):
        steps.append({"tool": "Read", "input": {"n": i}, "output": f"line {i}"})
        if pause_s:
            steps.append({"sleep": pause_s})
    return steps


def submit(base: str, token: str, steps: list[dict[str, Any]], title: str) -> str:
    body = {"title": title, "prompt": "bench", "max_attempts": 1, "options": {"script": steps}}
    return str(post_json(f"{base}/api/v1/tasks", body, token)["id"])


async def subscribed(base: str, token: str, topic: str, value: str) -> ClientConnection:
    socket = await connect(f"{base.replace('http', 'ws', 1)}/api/v1/ws?access_token={token}", max_queue=None)
    assert json.loads(await socket.recv())["type"] == "authenticated"
    await socket.send(json.dumps({"type": "subscribe", topic: value}))
    reply = json.loads(await socket.recv())
    assert reply["type"] == "subscribed", reply
    return socket


async def until_done(socket: ClientConnection, tasks: int, on_line: Any = None) -> int:
    """Read events until `tasks` tasks ended; returns the number of log lines received."""
    ended = lines = 0
    while ended < tasks:
        event = json.loads(await asyncio.wait_for(socket.recv(), 120))
        if event["type"] == "execution.log":
            lines += len(event["lines"])
            if on_line is not None:
                now = time.time()
                for line in event["lines"]:
                    on_line(now, line)
        elif event["type"] == "task.status_changed" and event["status"] in TERMINAL:
            ended += 1
        elif event["type"] == "lagged":
            raise RuntimeError(f"the client fell behind: {event}")
    return lines


async def latency(base: str, token: str, lines: int) -> None:
    project = get_json(f"{base}/api/v1/projects", token)["items"][0]["id"]
    per_task = MAX_STEPS // 2  # a tool step and a pause, each
    tasks = -(-lines // (per_task * STEP_LINES))
    delays: list[float] = []

    def measure(now: float, line: dict[str, Any]) -> None:
        if line["kind"] in ("tool_use", "tool_result"):
            delays.append(now - datetime.fromisoformat(line["at"]).timestamp())

    socket = await subscribed(base, token, "project_id", project)
    for i in range(tasks):
        submit(base, token, script(per_task, 0.004), f"latency {i}")
    await until_done(socket, tasks, measure)
    await socket.close()
    delays.sort()
    p50, p99 = (delays[int(len(delays) * q)] * 1000 for q in (0.50, 0.99))
    print(f"latency   {len(delays)} lines from {tasks} tasks: p50 {p50:.1f} ms, p99 {p99:.1f} ms (goal: p99 < 50 ms)")


def ingestion(base: str, token: str) -> None:
    task = submit(base, token, script(MAX_STEPS, 0), "ingestion")
    while get_json(f"{base}/api/v1/tasks/{task}", token)["status"] not in TERMINAL:
        time.sleep(0.1)
    [execution] = get_json(f"{base}/api/v1/tasks/{task}/executions", token)["items"]
    log = get_json(f"{base}/api/v1/tasks/{task}/logs?after={MAX_STEPS * STEP_LINES}&limit=1000", token)
    count = log["next_after"]
    rate = count / execution["duration_s"]
    print(
        f"ingestion {count} lines in one execution: {execution['duration_s'] * 1000:.0f} ms, {rate:,.0f} lines/s "
        f"(goal: >= 20,000 lines/s)"
    )


async def fan_out(base: str, token: str, api_pid: int, subscribers: int) -> None:
    """The API's CPU time for one task of 2,000 paced lines, followed by 1 then by `subscribers` clients."""
    costs = {}
    for clients in (1, subscribers):
        task = submit(base, token, [{"sleep": 1.0}, *script(MAX_STEPS - 1, 0)[: MAX_STEPS - 1]], f"fan-out {clients}")
        sockets = await asyncio.gather(*(subscribed(base, token, "task_id", task) for _ in range(clients)))
        before = cpu_seconds(api_pid)
        counts = await asyncio.gather(*(until_done(s, 1) for s in sockets))
        costs[clients] = (cpu_seconds(api_pid) - before, counts[0])
        await asyncio.gather(*(s.close() for s in sockets))
    (one_cpu, lines), (many_cpu, _) = costs[1], costs[subscribers]
    extra = (many_cpu - one_cpu) / lines / (subscribers - 1) * 1e6
    print(
        f"fan-out   {lines} lines: API CPU {one_cpu * 1000:.0f} ms with 1 client, {many_cpu * 1000:.0f} ms with "
        f"{subscribers}: {extra:.1f} µs per line per extra client"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--flush-interval", type=float, default=None, help="AGENTRY_LOG_FLUSH_INTERVAL_S")
    parser.add_argument("--subscribers", type=int, default=100)
    args = parser.parse_args()
    settings = dict(LIFTED_QUOTAS)
    if args.flush_interval is not None:
        settings["AGENTRY_LOG_FLUSH_INTERVAL_S"] = str(args.flush_interval)
    with throwaway_database() as database, serving(database, worker=True, **settings) as server:
        base, api_pid = server.base, server.pid
        token = sign_in(base)
        print(f"flush interval: {args.flush_interval or 'default'}")
        asyncio.run(latency(base, token, args.lines))
        ingestion(base, token)
        asyncio.run(fan_out(base, token, api_pid, args.subscribers))


if __name__ == "__main__":
    main()
