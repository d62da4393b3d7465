"""Telling a database that cannot be reached from a statement that failed on its own merits.

An outage (the server is down or restarting, the network dropped the connection, the pool ran dry,
the database is locked or full) is worth retrying later: the API answers it with a 503. Anything
else (a constraint violation, a value the column refuses, a statement too complex) would fail the
same way again, so it is not an outage, whatever class the driver gives it.
"""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# SQLSTATE classes and codes of PostgreSQL that mean "not now" rather than "not this".
_UNAVAILABLE_CLASSES = ("08", "53", "58")  # connection exception, insufficient resources, system error
_UNAVAILABLE_CODES = frozenset(
    {
        "57P01",  # admin_shutdown: the server is stopping
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: the server is starting
        "57P05",  # idle_session_timeout
        "57014",  # query_canceled: a statement or lock time-out
        "55P03",  # lock_not_available
    }
)
# SQLite result codes of the same kind (the primary code names; extended ones add a suffix).
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_NOMEM")


def database_unavailable(error: BaseException) -> bool:
    """True if `error` says the database could not be reached or could not serve now."""
    if isinstance(error, PoolTimeout | DisconnectionError):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        return _driver_unavailable(error.orig)
    return _driver_unavailable(error)


def _driver_unavailable(error: BaseException | None) -> bool:
    if isinstance(error, psycopg.OperationalError):
        code = error.sqlstate
        if code is None:  # raised by the client: refused, closed, timed out, lost
            return True
        return code.startswith(_UNAVAILABLE_CLASSES) or code in _UNAVAILABLE_CODES
    if isinstance(error, sqlite3.OperationalError):
        name = getattr(error, "sqlite_errorname", "")
        return name.startswith(_SQLITE_UNAVAILABLE)
    return False
