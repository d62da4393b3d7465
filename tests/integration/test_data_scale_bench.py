"""bench/data_scale.py at a small size: it makes its scratch database, loads it with COPY, times every read
and prints each figure, then drops the database. Timings are not asserted (that is the bench's job)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (?P<name>[^|]+) \| (?P<figures>[^|]+(?: \| [^|]+){5}) \|$")
READS = 40  # the floor, 25 lists, 4 deep pages, 5 stats, 4 log pages, the budget check


def test_the_bench_loads_measures_and_cleans_up(postgres_server: str, redis_url: str) -> None:
    env = os.environ | {"BENCH_POSTGRES_URL": postgres_server, "BENCH_REDIS_URL": redis_url}
    command = [sys.executable, "bench/data_scale.py", "--tasks", "2000", "--log-lines", "20000", "--projects", "50",
               "--samples", "3"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout

    rows = [m for line in out.splitlines() if (m := ROW.match(line)) and m["name"] != "read"]
    assert len(rows) == READS, out
    for row in rows:
        figures = [f.strip() for f in row["figures"].split("|")]
        assert all(re.fullmatch(r"\d+(\.\d+)?", f) for f in figures), row.group(0)
    names = [row["name"] for row in rows]
    for family in ("list, member", "list, admin", "rows in", "stats", "log", "monthly budget check"):
        assert any(family in name for name in names), family
    assert "execution_logs 20,000" in out and "tasks 2,000" in out
    assert re.search(r"p95 under 10 ms: \d+ of 40 reads", out), out

    scratch = re.search(r"scratch database: (\S+)", out)
    assert scratch is not None
    with psycopg.connect(postgres_server, autocommit=True) as db:
        left = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (scratch[1],)).fetchone()
    assert left is None, "the scratch database was not dropped"
