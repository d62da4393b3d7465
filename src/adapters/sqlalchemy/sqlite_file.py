"""The embedded database file is readable by its owner only: it holds password hashes, token digests
and the (encrypted) signing keys. SQLite gives its -wal and -shm files the database file's mode, so
creating the file 0600 before SQLite opens it covers them; an older install's files are tightened."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy.engine import URL

OWNER_ONLY = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal")
log = logging.getLogger("agentry.database")


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_private(path: Path) -> None:
    """Create the file 0600 if it is missing; take group and others' access from it and its companions."""
    if not path.exists():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, OWNER_ONLY))
        except FileNotFoundError:
            return  # no such directory: SQLite says so, in its own words, when it opens the file
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        try:
            mode = companion.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(companion, mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError as error:
            log.warning("could not make %s private (owner-only): %s", companion, error)
