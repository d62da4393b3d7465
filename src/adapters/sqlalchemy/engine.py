"""Engines for SQLite (embedded) and PostgreSQL (production) from one database URL."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from agentry.adapters.sqlalchemy.cached_writes import watch_cached_writes
from agentry.adapters.sqlalchemy.described_cursor import DescribedOnceCursor
from agentry.adapters.sqlalchemy.liveness import drop_closed_connections
from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginConnection
from agentry.adapters.sqlalchemy.sqlite_file import make_private, sqlite_path

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}
# How long a request waits for a new PostgreSQL connection, and for a pooled one, before the
# database counts as unavailable (a 503): an outage answers in seconds, never hangs.
CONNECT_TIMEOUT_S = 5
POOL_TIMEOUT_S = 10
# A server that vanished without closing its connections (a partition, a dead host) is noticed by
# the kernel: data unacknowledged for 10 s, or an idle connection whose keep-alive probes go
# unanswered for about 11 s, ends the connection, so no statement waits on it for minutes.
CONNECT_ARGS = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "tcp_user_timeout": 10_000,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
}


class UnsupportedDatabase(ValueError):
    pass


def backend_of(url: str | URL) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise UnsupportedDatabase(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return backend


def async_url(url: str | URL) -> URL:
    return make_url(url).set(drivername=_ASYNC_DRIVERS[backend_of(url)])


def sync_url(url: str | URL) -> URL:
    return make_url(url).set(drivername=_SYNC_DRIVERS[backend_of(url)])


def create_async_database(
    url: str | URL, *, pool_size: int = 10, pool_timeout_s: float = POOL_TIMEOUT_S, echo: bool = False
) -> AsyncEngine:
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        _private(target)
        # SQLite writes one transaction at a time. One connection per engine makes concurrent
        # requests queue on the pool (asynchronously) instead of sleeping in SQLite's busy handler.
        engine = create_async_engine(
            target,
            echo=echo,
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            connect_args={"timeout": 30},
            json_serializer=_json_text,
            json_deserializer=msgspec.json.decode,
        )
        _tune_sqlite(engine.sync_engine)
        watch_cached_writes(engine.sync_engine)
        return engine
    engine = create_async_engine(
        target,
        echo=echo,
        # A fixed pool: under load, requests wait briefly for a connection rather than opening
        # and closing overflow connections (a new PostgreSQL backend costs milliseconds).
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout_s,
        # No pre-ping (a round trip per transaction): a checkout polls the connection's socket
        # instead, and a connection the server closed empties the pool (see liveness.py).
        pool_recycle=1800,
        connect_args=CONNECT_ARGS
        | {
            # a transaction's BEGIN goes out with its first statement (pipelined_begin.py)
            "async_creator_fn": PipelinedBeginConnection.connect,
            "cursor_factory": DescribedOnceCursor,
        },
        # JSON and JSONB columns (task options, events, settings) through msgspec, several times
        # faster than the standard library's json, both ways
        json_serializer=_json_text,
        json_deserializer=msgspec.json.decode,
    )
    drop_closed_connections(engine.sync_engine.pool)  # the cached writes are watched by the connections
    _characteristics_at_once(engine.sync_engine.dialect)
    return engine


def _characteristics_at_once(dialect: Any) -> None:
    """Autocommit (a read-only request's session, see entrypoints.read_only) and the isolation level set on
    the psycopg connection directly where nothing can be in flight (`set_characteristics_now`), not through
    two awaited coroutines each time a connection is checked out and two more as it is returned: 5 % of a
    GET's CPU."""
    awaited = dialect._do_isolation_level

    def do_isolation_level(connection: Any, autocommit: bool, isolation_level: Any) -> None:
        driver = connection.driver_connection
        if not (
            isinstance(driver, PipelinedBeginConnection) and driver.set_characteristics_now(autocommit, isolation_level)
        ):
            awaited(connection, autocommit, isolation_level)

    dialect._do_isolation_level = do_isolation_level


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def create_sync_database(url: str | URL) -> Engine:
    """A synchronous engine, for migrations and tooling."""
    target = sync_url(url)
    if target.get_backend_name() == "sqlite":
        _private(target)
        engine = create_engine(target, connect_args={"timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(target, connect_args={"connect_timeout": 5})


def _private(url: URL) -> None:
    path = sqlite_path(url)
    if path is not None:
        make_private(path)


def _tune_sqlite(engine: Engine) -> None:
    """WAL for concurrent readers; BEGIN IMMEDIATE so two writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
