"""bench/ingestion.py at a tiny size on SQLite: it makes the owner and the project as the real flow does (the
documents' foreign keys need them), ingests through every step and prints its figures. Timings are not
asserted (that is the bench's job)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_ingests_every_document_and_prints_its_figures() -> None:
    command = [sys.executable, "bench/ingestion.py", "--documents", "2", "--words", "40", "--runs", "1"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"run 1: 2/2 documents succeeded, \d+ chunks in [\d.]+ s", done.stdout), done.stdout
    assert re.search(r"pipeline / bare embedder \(chunks/s\): [\d.]+", done.stdout), done.stdout
