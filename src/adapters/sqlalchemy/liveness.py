"""Pooled PostgreSQL connections that the server (or the network) closed are dropped at checkout.

SQLAlchemy's `pool_pre_ping` would find them too, with a round trip per transaction. A connection
that sits idle in the pool has nothing to read, unless the other end closed it (end of file) or
said why it is about to (a FATAL message, as on a server shutdown). So one non-blocking poll of its
socket tells, without a round trip: if it is readable, libpq reads what arrived, and a connection
found closed invalidates the whole pool, since its siblings were most likely closed at the same time
(a restart, a failover, a cut network). The pool then opens new connections as they are needed.

A connection silently black-holed (no end of file ever arrives) is not seen here; the first
statement on it fails instead, which invalidates the pool the same way.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from psycopg.pq import ConnStatus
from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

_MAX_READS = 4


def drop_closed_connections(pool: Any) -> None:
    """Install the check on a pool (or an engine's sync_engine) of psycopg connections."""
    event.listen(pool, "checkout", _check_on_checkout)


def _check_on_checkout(_dbapi: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
    if closed_by_peer(record.driver_connection):
        raise InvalidatePoolError("the database closed this pooled connection")


def closed_by_peer(connection: psycopg.Connection[Any] | psycopg.AsyncConnection[Any] | None) -> bool:
    """True if an idle connection was closed by the other end (or cannot be used any more)."""
    if connection is None or connection.closed:
        return True
    pgconn = connection.pgconn
    try:
        fd = pgconn.socket
    except psycopg.OperationalError:  # libpq already knows the connection is gone
        return True
    # A server that ends a session sends its reason, then closes: read until nothing is left.
    for _ in range(_MAX_READS):
        if not _readable(fd):
            break
        try:
            pgconn.consume_input()
        except psycopg.OperationalError:  # "server closed the connection unexpectedly"
            return True
    return bool(pgconn.status != ConnStatus.OK)


def _readable(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
