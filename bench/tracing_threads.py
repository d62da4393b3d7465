"""Where tracing's (and metrics') CPU goes in the pipeline: CPU per task of each thread of the API and
the worker, with tracing off, on, or on with metrics, in alternating rounds.

    uv run python bench/tracing_threads.py [--tasks 500] [--rounds 2] [--modes off,trace,on]
                                           [--delay-ms 500] [--agentry PATH]

Each round is bench/tracing.py's pipeline round (`agentry serve` and one `agentry worker` process, 8
threads, the zero-delay scripted runner, tasks submitted over HTTP; "trace" exports every span over
OTLP/HTTP to a collector double in this process, "on" also turns metrics on). Before and after the
timed tasks each thread's user + system time is read from /proc/<pid>/task/<tid>/stat; its name is
the Python thread's, from `py-spy dump` when py-spy is installed (else its id). Printed per round:
tasks a second, the PostgreSQL backends' CPU per task (a control: tracing changes none of their
work), and each thread that took at least 0.05 ms a task. `--delay-ms` adds a mode "traceN" with
OTEL_BSP_SCHEDULE_DELAY=N to the modes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import collections
import re
import shutil
import subprocess
import time

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.otlp_double import OtlpDouble

from bench.pipeline import AGENTRY
from bench.serving import free_port, serving, throwaway_database
from bench.tracing import QUIET, WARM_UP, _backends_cpu, _submit, _wait, stat_cpu, warmed_up

SHOWN_MS = 0.05


def _session_pids(session: int) -> list[str]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[3]) == session:
                pids.append(stat.parent.name)
        except (OSError, IndexError, ValueError):
            continue
    return pids


def thread_names(session: int) -> dict[str, str]:
    """Thread id -> the Python thread's name, for the processes of `session` (empty without py-spy)."""
    if shutil.which("py-spy") is None:
        return {}
    names = {}
    for pid in _session_pids(session):
        dump = subprocess.run(["py-spy", "dump", "-p", pid], capture_output=True, text=True).stdout
        names |= dict(re.findall(r'Thread (\d+) \([a-z]+\): "([^"]*)"', dump))
    return names


def thread_cpu(session: int, names: dict[str, str]) -> dict[str, float]:
    """CPU seconds so far of each thread of `session`'s processes, by "pid/name"."""
    seconds: dict[str, float] = collections.defaultdict(float)
    for pid in _session_pids(session):
        for task in Path(f"/proc/{pid}/task").glob("*"):
            seconds[f"{pid}/{names.get(task.name, task.name)}"] += stat_cpu(task / "stat")
    return seconds


def one_round(mode: str, settings: dict[str, str], count: int, agentry: str) -> None:
    with (
        throwaway_database() as database,
        serving(database, agentry, worker=True, **(QUIET | settings)) as server,
        psycopg.connect(database, autocommit=True) as db,
    ):
        token, succeeded = warmed_up(server.base, db)
        assert server.worker_pid is not None
        sessions = {"api": server.pid, "worker": server.worker_pid}
        names = {label: thread_names(pid) for label, pid in sessions.items()}
        before = {label: thread_cpu(pid, names[label]) for label, pid in sessions.items()}
        backends = _backends_cpu(db)
        started = time.perf_counter()
        asyncio.run(_submit(server.base, token, count))
        _wait(lambda: succeeded() >= WARM_UP + count, 600)
        elapsed = time.perf_counter() - started
        after = {label: thread_cpu(pid, names[label]) for label, pid in sessions.items()}
        database_ms = sum(_backends_cpu(db).get(pid, 0) - cpu for pid, cpu in backends.items()) * 1000 / count
    print(f"{mode}: {count / elapsed:.1f} tasks/s, PostgreSQL {database_ms:.2f} ms a task", flush=True)
    for label in sessions:
        total = 0.0
        for thread, seconds in sorted(after[label].items()):
            ms = (seconds - before[label].get(thread, 0.0)) * 1000 / count
            total += ms
            if ms >= SHOWN_MS:
                print(f"  {label:6} {thread:45} {ms:6.2f} ms a task")
        print(f"  {label:6} {'all threads':45} {total:6.2f} ms a task", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="off,trace,on")
    parser.add_argument("--delay-ms", type=int, action="append", default=[], help="a traceN mode per value")
    parser.add_argument("--agentry", default=AGENTRY, help="the agentry executable to measure (another checkout's)")
    args = parser.parse_args()
    with OtlpDouble() as collector:
        trace = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint}
        metrics = {
            "AGENTRY_METRICS": "true",
            "AGENTRY_METRICS_HOST": "127.0.0.1",
            "AGENTRY_METRICS_PORT": str(free_port()),
            "AGENTRY_WORKER_METRICS_PORT": str(free_port()),
        }
        modes = {"off": {}, "trace": trace, "on": trace | metrics}
        modes |= {f"trace{ms}": trace | {"OTEL_BSP_SCHEDULE_DELAY": str(ms)} for ms in args.delay_ms}
        chosen = args.modes.split(",") + [f"trace{ms}" for ms in args.delay_ms]
        for _ in range(args.rounds):
            for mode in chosen:
                one_round(mode, modes[mode], args.tasks, args.agentry)


if __name__ == "__main__":
    main()
