"""CPU per authenticated read with tracing and metrics on against off, without an HTTP server or wrk.

    uv run python bench/tracing_inproc.py [--rounds 4] [--reads 3000] [MODE ...]

The real app (`build_api`, production profile, PostgreSQL + Redis) in a child process of its own per
round, its lifespan run and `GET /api/v1/tasks/{id}` called as ASGI, four at a time: the CPU the
child spends per read (all its threads, the exporter's too) and its garbage collection's share. With
no uvicorn, wrk or socket in the figure, the instrumentation's part of a read is a larger and
steadier share of it than in bench/tracing.py. MODE: off, on (tracing exporting to the collector
double, and metrics), tracing, metrics, unsampled (tracing with OTEL_TRACES_SAMPLER=always_off),
all (tracing every read: parentbased_always_on); each at most once; `CHECKOUT:MODE` runs another worktree's build
(/work/CHECKOUT/.venv/bin/python), so that two builds alternate in one invocation. Modes are
compared in pairs, round by round (default: off on). To see where the CPU goes, run the child under
`py-spy record --nonblocking -r 997 --format raw` (the command printed with --show-child).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import time
import uuid
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(token: str, task_id: str, reads: int) -> None:
    """In the child: the app built from the environment, `reads` reads timed; prints CPU and GC µs a read."""
    from agentry.entrypoints.cli.settings import command_settings

    settings = command_settings(needs_broker=True)
    if settings.metrics_enabled:
        from agentry.entrypoints.metrics.process import prepare_metrics

        prepare_metrics(settings, "api", settings.metrics_port)
    from agentry.entrypoints.runtime import build_api

    app = build_api(settings)
    path = f"/api/v1/tasks/{task_id}"
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())]
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000), "headers": headers,
    }  # fmt: skip
    statuses: dict[int, int] = {}
    collecting = [0.0, 0.0]  # started, total

    def timed_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collecting[0] = time.thread_time()
        else:
            collecting[1] += time.thread_time() - collecting[0]

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses[message["status"]] = statuses.get(message["status"], 0) + 1

    async def client(count: int) -> None:
        for _ in range(count):
            await app(scope | {"state": {}}, receive, send)

    async def main() -> tuple[float, float]:
        started, stopping = asyncio.Event(), asyncio.Event()

        async def lifespan_receive() -> dict[str, str]:
            if not started.is_set():
                return {"type": "lifespan.startup"}
            await stopping.wait()
            return {"type": "lifespan.shutdown"}

        async def lifespan_send(message: dict[str, Any]) -> None:
            if message["type"] == "lifespan.startup.complete":
                started.set()
            elif message["type"].endswith("failed"):
                raise RuntimeError(message)

        lifespan = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        life = asyncio.create_task(app(lifespan, lifespan_receive, lifespan_send))  # type: ignore[arg-type]
        await started.wait()
        await asyncio.gather(*(client(reads // 40) for _ in range(4)))  # warm-up
        gc.callbacks.append(timed_gc)
        cpu = time.process_time()
        await asyncio.gather(*(client(reads // 4) for _ in range(4)))
        cpu = time.process_time() - cpu
        gc.callbacks.remove(timed_gc)
        stopping.set()
        await life
        done = reads // 4 * 4
        return cpu * 1e6 / done, collecting[1] * 1e6 / done

    cpu_us, gc_us = asyncio.run(main())
    if list(statuses) != [200]:
        sys.exit(f"answers other than 200: {statuses}")
    print(f"{cpu_us:.1f} {gc_us:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modes", nargs="*", default=["off", "on"])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--reads", type=int, default=3000)
    parser.add_argument("--child", nargs=3, metavar=("TOKEN", "TASK", "READS"), help=argparse.SUPPRESS)
    parser.add_argument("--show-child", action="store_true", help="print each child's command and environment")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    import httpx
    from tests.integration.otlp_double import OtlpDouble

    from bench.pipeline import AGENTRY, REDIS
    from bench.serving import agentry_env, free_port, secret_settings, serving, sign_in, throwaway_database
    from bench.tracing import QUIET

    figures: dict[str, list[tuple[float, float]]] = {mode: [] for mode in args.modes}
    with OtlpDouble() as collector, throwaway_database() as database:
        with serving(database, **QUIET) as server:  # the user, its token and a task to read
            token = sign_in(server.base)
            headers = {"Authorization": f"Bearer {token}"}
            task = httpx.post(f"{server.base}/api/v1/tasks", json={"title": "one", "prompt": "p"}, headers=headers)
        namespace = f"agentry-bench-{uuid.uuid4().hex[:8]}"
        base = agentry_env(
            AGENTRY_PROFILE="production", AGENTRY_DATABASE_URL=database, AGENTRY_REDIS_URL=REDIS,
            AGENTRY_REDIS_NAMESPACE=namespace, AGENTRY_LOG_LEVEL="WARNING", **secret_settings(AGENTRY), **QUIET,
        )  # fmt: skip
        tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint}
        metrics = {"AGENTRY_METRICS": "true", "AGENTRY_METRICS_HOST": "127.0.0.1"}
        settings = {
            "off": {},
            "on": tracing | metrics,
            "tracing": tracing,
            "metrics": metrics,
            "unsampled": tracing | {"OTEL_TRACES_SAMPLER": "always_off"},
            "all": tracing | {"OTEL_TRACES_SAMPLER": "parentbased_always_on"},
        }
        for _ in range(args.rounds):
            for mode in args.modes:
                checkout, _, what = mode.rpartition(":")
                python = f"/work/{checkout}/.venv/bin/python" if checkout else sys.executable
                ports = {"AGENTRY_METRICS_PORT": str(free_port()), "AGENTRY_WORKER_METRICS_PORT": str(free_port())}
                env = base | settings[what] | ports
                command = [python, __file__, "--child", token, task.json()["id"], str(args.reads)]
                if args.show_child:
                    print(" ".join(command), {k: v for k, v in env.items() if k.startswith(("AGENTRY", "OTEL"))})
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                if done.returncode:
                    sys.exit(done.stderr[-3000:])
                cpu_us, gc_us = map(float, done.stdout.split()[-2:])
                figures[mode].append((cpu_us, gc_us))
                print(f"  {mode:16} {cpu_us:7.1f} µs CPU a read (garbage collection {gc_us:4.1f})", flush=True)
    print(f"medians of {args.rounds} rounds; load average {os.getloadavg()}")
    for mode in args.modes:
        cpu = statistics.median(f[0] for f in figures[mode])
        print(f"  {mode:16} {cpu:7.1f} µs CPU a read (gc {statistics.median(f[1] for f in figures[mode]):4.1f})")
    for first, second in zip(args.modes[::2], args.modes[1::2], strict=False):
        ratios = [a[0] / b[0] for a, b in zip(figures[first], figures[second], strict=True)]
        shown = " ".join(f"{r:.3f}" for r in ratios)
        print(f"  {first} / {second}, round by round: {shown}; median {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
