"""Runs `pipeline.py`'s end-to-end measurement on another build, from its own checkout with its own
virtual environment, so that two builds are measured in turn in one invocation."""

from __future__ import annotations

import subprocess
from pathlib import Path

# Run by the other build's interpreter, in its checkout: its own pipeline_run, submitting its own way.
_RUN = """
import asyncio, sys
from bench.pipeline import pipeline_run, throwaway_database
count, threads, namespace = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with throwaway_database() as database:
    run = asyncio.run(pipeline_run(database, database, count, threads, namespace))
print(run.tasks_per_s, run.worker_cpu_ms, getattr(run, "submitter_cpu_ms", float("nan")))
"""


def pipeline_in_checkout(checkout: Path, count: int, threads: int, namespace: str) -> tuple[float, float, float]:
    """tasks/s, and the worker's and the submitting side's CPU ms per task, of the build in `checkout`."""
    python = str(checkout / ".venv" / "bin" / "python")
    args = [python, "-c", _RUN, str(count), str(threads), namespace]
    out = subprocess.run(args, cwd=checkout, capture_output=True, text=True, check=True).stdout
    tasks_per_s, worker_ms, submitter_ms = out.split()[-3:]
    return float(tasks_per_s), float(worker_ms), float(submitter_ms)
