"""Which transactions may have changed an acting principal: those that wrote a user, a membership, a
login session, an API token or a project (whose deletion takes its memberships). Every statement is
looked at as it is sent, whether the ORM's flush or a Core statement wrote it; the unit of work asks
before it commits (unit_of_work.py) and tells the principal caches after."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, event

PRINCIPALS_WRITTEN = "agentry.principals_written"
_WRITES = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?:users|memberships|login_sessions|api_tokens|projects)"?[\s(]',
    re.IGNORECASE,
)


def writes_principals(statement: str) -> bool:
    return _WRITES.match(statement) is not None


def watch_principal_writes(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def note(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement[:1] != "S" and writes_principals(statement):  # SELECT: the commonest, cheaply passed
            conn.info[PRINCIPALS_WRITTEN] = True
