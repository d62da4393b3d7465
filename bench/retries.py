"""What retries cost the pipeline: the lifecycle benchmark (`pipeline.py`'s end-to-end run) three
ways in the same run, each on a fresh database, one `agentry worker` process:

- baseline: `max_attempts` 1, every task succeeds at once (no retry is possible);
- retries enabled: `max_attempts` 3, every task succeeds at once (the retry machinery is armed);
- retries exercised: `max_attempts` 3, one task in ten fails retryably on its first attempt
  (`{"fail": ..., "retryable": true, "times": 1}`) and succeeds on its second, after the
  configured back-off (`AGENTRY_RETRY_BACKOFF_MIN_S`, default 1 s, ±50% jitter);
- with `--lifecycle DIR`, also the same run of the build in DIR (a checkout of the task-lifecycle
  build with its own virtual environment: no heartbeats, leases or recovery), its own code and
  migrations on its own database: what this issue's machinery costs the happy path.

    uv run python bench/retries.py [--tasks 2000] [--threads 8] [--rounds 2] [--fail-every 10] [--lifecycle DIR]

The modes take turns, round after round, so drifts of the machine are shared; a mode's figure is
its total tasks over its total time. Ratios are against the baseline.
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
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentry.domain.tasks.script import Fail, Say
from agentry.domain.tasks.spec import TaskOptions, TaskSpec
from bench.other_build import pipeline_in_checkout
from bench.pipeline import REDIS, pipeline_run, throwaway_database

LIFECYCLE = "lifecycle build (--lifecycle)"
ONCE = (Fail("overloaded (simulated)", retryable=True, times=1), Say("Done on a later attempt."))


@dataclass(frozen=True)
class Mode:
    name: str
    spec_for: Callable[[int], TaskSpec]


@dataclass
class Figures:
    seconds: float = 0.0
    tasks: int = 0
    executions: int = 0
    worker_cpu_ms: list[float] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)

    @property
    def tasks_per_s(self) -> float:
        return self.tasks / self.seconds


def modes(fail_every: int) -> list[Mode]:
    def baseline(_i: int) -> TaskSpec:
        return TaskSpec("bench", "Say hi", max_attempts=1)

    def armed(_i: int) -> TaskSpec:
        return TaskSpec("bench", "Say hi", max_attempts=3)

    def exercised(i: int) -> TaskSpec:
        if i % fail_every:
            return armed(i)
        return TaskSpec("bench", "Say hi", max_attempts=3, options=TaskOptions(script=ONCE))

    return [
        Mode("baseline (max_attempts 1)", baseline),
        Mode("retries enabled (max_attempts 3)", armed),
        Mode(f"retries exercised (1 in {fail_every} fails once)", exercised),
    ]


def executions_and_tasks(database: str) -> tuple[int, int]:
    with psycopg.connect(database) as db:
        row = db.execute("SELECT (SELECT count(*) FROM task_executions), (SELECT count(*) FROM tasks)").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fail-every", type=int, default=10)
    parser.add_argument("--lifecycle", type=Path, help="a checkout of the task-lifecycle build, with its .venv")
    args = parser.parse_args()
    client = redis.Redis.from_url(REDIS)
    prefix = f"agentry-bench-{uuid.uuid4().hex[:8]}"
    figures = {mode.name: Figures() for mode in modes(args.fail_every)}
    if args.lifecycle:
        figures[LIFECYCLE] = Figures()
    try:
        for round_number in range(1, args.rounds + 1):
            if args.lifecycle:
                namespace = f"{prefix}-{round_number}-lifecycle"
                tasks_per_s, cpu_ms, _ = pipeline_in_checkout(args.lifecycle, args.tasks, args.threads, namespace)
                f = figures[LIFECYCLE]
                f.seconds += args.tasks / tasks_per_s
                f.tasks += args.tasks
                f.executions += args.tasks
                f.worker_cpu_ms.append(cpu_ms)
                f.runs.append(tasks_per_s)
                print(f"  round {round_number}: {LIFECYCLE}: {tasks_per_s:.1f} tasks/s", flush=True)
            for mode in modes(args.fail_every):
                with throwaway_database() as database:
                    namespace = f"{prefix}-{round_number}-{len(figures[mode.name].runs)}-{uuid.uuid4().hex[:4]}"
                    run = asyncio.run(
                        pipeline_run(database, database, args.tasks, args.threads, namespace, spec_for=mode.spec_for)
                    )
                    executions, tasks = executions_and_tasks(database)
                f = figures[mode.name]
                f.seconds += args.tasks / run.tasks_per_s
                f.tasks += args.tasks
                f.executions += executions - (tasks - args.tasks)  # the warm-up ran once each
                f.worker_cpu_ms.append(run.worker_cpu_ms)
                f.runs.append(run.tasks_per_s)
                print(f"  round {round_number}: {mode.name}: {run.tasks_per_s:.1f} tasks/s", flush=True)
    finally:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)

    base = next(iter(figures.values()))
    print(f"retries: {args.tasks} tasks per run, {args.rounds} round(s), one worker process x {args.threads} threads")
    for name, f in figures.items():
        runs = ", ".join(f"{r:.1f}" for r in f.runs)
        print(
            f"  {name:<44} {f.tasks_per_s:7.1f} tasks/s  (runs: {runs})  "
            f"vs baseline {f.tasks_per_s / base.tasks_per_s:4.2f}  "
            f"executions/task {f.executions / f.tasks:4.2f}  "
            f"worker CPU/task {statistics.median(f.worker_cpu_ms):.2f} ms"
        )
    if args.lifecycle:
        armed = figures[modes(args.fail_every)[1].name].tasks_per_s
        print(f"  retries enabled / lifecycle build: {armed / figures[LIFECYCLE].tasks_per_s:.2f}   (goal >= 0.9)")


if __name__ == "__main__":
    main()
