"""Databases at the newest revision, migrated once per test process and copied after that.

Each of the 21 migrations commits with an fsync; on a busy disk that is seconds per test, and hundreds of
tests want an empty database at the newest revision. An SQLite file is copied; a PostgreSQL database is made
with the migrated one as its template.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from agentry.adapters.sqlalchemy.migrations import upgrade


@functools.cache
def _newest_sqlite() -> Path:
    """An SQLite file at the newest revision, migrated once per test process: tests copy it rather than
    migrate their own (each migration commits with an fsync; on a busy disk that is seconds per test)."""
    directory = Path(tempfile.mkdtemp(prefix="agentry-newest-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    upgrade(f"sqlite:///{directory}/newest.db")
    return directory / "newest.db"


def migrated_sqlite(path: Path) -> str:
    """A new SQLite database at `path`, at the newest revision; its URL."""
    shutil.copyfile(_newest_sqlite(), path)
    return f"sqlite:///{path}"
