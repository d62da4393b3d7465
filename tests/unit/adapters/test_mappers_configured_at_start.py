"""A task read through Core is built from its class's instrumentation (task_reads.task_of), which SQLAlchemy
sets up when the mappers are configured. They are configured by start_mappers, not by the first ORM query:
a GET of a task could otherwise be a process's first read (the relays idle) and fail with AttributeError."""

from __future__ import annotations

import subprocess
import sys

_FIRST_READ = """
from uuid import UUID
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.tasks.task_reads import _NAMES, task_of
start_mappers()
row = tuple(UUID(int=7) if name == "id" else None for name in _NAMES)
print(task_of(row).id)
"""


def test_a_task_is_built_from_a_row_before_any_orm_query_ran() -> None:
    # A fresh interpreter: in this one, other tests have run ORM queries already
    done = subprocess.run([sys.executable, "-c", _FIRST_READ], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "00000000-0000-0000-0000-000000000007"
