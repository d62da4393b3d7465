"""An outage (refused, dropped, locked, full) is told apart from a statement that fails on its own
merits (a constraint, a bad value), with the errors the drivers really raise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from agentry.adapters.sqlalchemy.outages import database_unavailable


def wrapped(cls: type[DBAPIError], orig: BaseException, *, invalidated: bool = False) -> DBAPIError:
    return cls("SELECT 1", None, orig, connection_invalidated=invalidated)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "orig",
    [
        psycopg.OperationalError("connection failed: Connection refused"),  # no SQLSTATE: said by the client
        psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
        psycopg.errors.lookup("57P01")("terminating connection due to administrator command"),
        psycopg.errors.lookup("57P03")("the database system is starting up"),
        psycopg.errors.lookup("08006")("connection failure"),
        psycopg.errors.lookup("53300")("sorry, too many clients already"),
        psycopg.errors.lookup("55P03")("could not obtain lock"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_postgresql_connection_failures_are_outages(orig: psycopg.Error) -> None:
    assert database_unavailable(wrapped(OperationalError, orig))
    assert database_unavailable(orig)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(IntegrityError, psycopg.errors.lookup("23505")("duplicate key value")),
        wrapped(DBAPIError, psycopg.errors.lookup("22P02")("invalid input syntax for type uuid")),
        wrapped(OperationalError, psycopg.errors.lookup("54001")("statement is too complex")),
        wrapped(OperationalError, psycopg.errors.lookup("40P01")("deadlock detected")),
        wrapped(ProgrammingError, psycopg.errors.lookup("42P01")('relation "tasks" does not exist')),
        wrapped(InterfaceError, psycopg.InterfaceError("the cursor is closed")),
        ValueError("not a database error"),
    ],
    ids=lambda e: type(getattr(e, "orig", e)).__name__,
)
def test_statements_that_fail_on_their_own_merits_are_not_outages(error: Exception) -> None:
    assert not database_unavailable(error)


def test_any_error_that_invalidated_the_connection_and_a_pool_time_out_are_outages() -> None:
    assert database_unavailable(
        wrapped(InterfaceError, psycopg.InterfaceError("the connection is lost"), invalidated=True)
    )
    assert database_unavailable(PoolTimeout("QueuePool limit of size 20 overflow 0 reached"))


def test_a_locked_sqlite_database_is_an_outage_and_a_missing_table_is_not(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError) as missing:
        other.execute("SELECT * FROM no_such_table")
    holder.close()
    other.close()
    assert database_unavailable(wrapped(OperationalError, locked.value))
    assert not database_unavailable(wrapped(OperationalError, missing.value))


def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError) as cannot_open:
        sqlite3.connect(tmp_path / "no" / "such" / "dir.db")
    assert database_unavailable(wrapped(OperationalError, cannot_open.value))
