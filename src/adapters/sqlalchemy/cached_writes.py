"""Which transactions may have changed what the API processes keep between requests (their caches,
see adapters/redis/heard_cache.py):

- an acting principal: those that wrote a user, a membership, a login session, an API token or a
  project (whose deletion takes its memberships and tasks);
- a task's validator (its version with what the policy reads): those that updated or deleted a task
  row (a new row is in no cache; an UPDATE may change the owner without the version, visitors.py).

Every statement is looked at as it is sent, whether the ORM's flush or a Core statement wrote it; the
unit of work asks before it commits (unit_of_work.py) and tells the caches after. On PostgreSQL the
driver's connection looks (pipelined_begin.py's cursor, a `WatchedWrites`), where it costs one test of a
string a statement; elsewhere (SQLite) an engine listener does, which has SQLAlchemy fire every one of
its engine events on each statement and transaction (on PostgreSQL a worker's task was 5,990 Python
function calls with it, 5,670 without: bench/worker_cpu.py --profile)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, event

_WATCHED = "agentry.watched_writes"  # in a connection's info, where its driver's connection does not watch
_PRINCIPAL_WRITES = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?:users|memberships|login_sessions|api_tokens|projects)"?[\s(]',
    re.IGNORECASE,
)
# Anywhere in the statement: a claim updates the task in a CTE before it inserts its execution.
_TASK_WRITES = re.compile(r'\b(?:UPDATE|DELETE\s+FROM)\s+"?tasks"?[\s(]', re.IGNORECASE)


def writes_principals(statement: str) -> bool:
    return _PRINCIPAL_WRITES.match(statement) is not None


def writes_tasks(statement: str) -> bool:
    return _TASK_WRITES.search(statement) is not None


class WatchedWrites:
    """A DB-API connection that notes, as its statements are sent, whether they may have changed an
    acting principal or a task's row, until the unit of work takes what it noted (`take_written`)."""

    principals_written = False
    tasks_written = False

    def note_statement(self, statement: object) -> None:
        if not isinstance(statement, str) or statement[:1] == "S":  # SELECT: the commonest, cheaply passed
            return
        if writes_principals(statement):
            self.principals_written = True
        if writes_tasks(statement):
            self.tasks_written = True


def watch_cached_writes(engine: Engine) -> None:
    """For a driver whose connections are not `WatchedWrites` (SQLite): an engine listener looks."""

    @event.listens_for(engine, "before_cursor_execute")
    def note(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        watched = conn.info.get(_WATCHED)
        if watched is None:
            watched = conn.info[_WATCHED] = WatchedWrites()
        watched.note_statement(statement)


def take_written(connection: Connection) -> tuple[bool, bool]:
    """Whether the statements sent on this connection since the last call may have changed an acting
    principal, and a task's row; forgotten then."""
    driver = connection.connection.driver_connection
    watched = driver if isinstance(driver, WatchedWrites) else connection.info.get(_WATCHED)
    if watched is None:
        return False, False
    written = watched.principals_written, watched.tasks_written
    watched.principals_written = watched.tasks_written = False
    return written
