"""A PostgreSQL 16 with pgvector for the tests and the benchmark: the PyPI package `pgserver` ships both, so
`uv sync --locked` is all a fresh machine needs (this machine's own PostgreSQL has no pgvector).

The server lives in a temporary directory, listens on a Unix socket there, and is stopped when the
context ends.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def pgvector_server() -> Iterator[str]:
    """The URL (postgresql+psycopg://…) of a fresh PostgreSQL 16 with the vector extension available."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="agentry-pgvector-") as directory:
        server = pgserver.get_server(directory, cleanup_mode="stop")
        try:
            uri = server.get_uri()  # postgresql://postgres:@/postgres?host=/tmp/…
            yield uri.replace("postgresql://", "postgresql+psycopg://", 1)
        finally:
            server.cleanup()


def pgvector_url_for_tests() -> Iterator[str]:
    """A fixture's body: the URL while the server runs; a server that cannot start fails the run under
    CI=true and skips it loudly otherwise."""
    import pytest

    from tests.conftest import IN_CI

    try:
        server = pgvector_server()
        url = server.__enter__()
    except Exception as error:  # pgserver raises its own errors and the OS's
        message = f"pgserver could not start a PostgreSQL with pgvector ({type(error).__name__}: {error})"
        if IN_CI:
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)
