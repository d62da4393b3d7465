"""The acting principal, read fresh on every authenticated request: one Core statement per call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.identity.tables import api_tokens, login_sessions, users
from agentry.adapters.sqlalchemy.projects.tables import memberships
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole

u, m, s, t = users.c, memberships.c, login_sessions.c, api_tokens.c

# One row per membership (or one row with no project for a user in none), only for an active user.
_PRINCIPAL = select(u.id, u.display_name, u.role, m.project_id, m.role.label("project_role")).where(u.active.is_(True))

_FOR_SESSION = _PRINCIPAL.select_from(users.outerjoin(memberships, m.user_id == u.id)).where(
    u.id == bindparam("user_id"),
    exists().where(s.id == bindparam("session_id"), s.user_id == u.id, s.revoked_at.is_(None)),
)

_FOR_API_TOKEN = _PRINCIPAL.select_from(
    api_tokens.join(users, u.id == t.user_id).outerjoin(memberships, m.user_id == u.id)
).where(
    t.token_hash == bindparam("token_hash"),
    t.revoked_at.is_(None),
    t.expires_at > bindparam("now"),
)


class SqlAlchemyPrincipalStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_session(self, user_id: UUID, session_id: UUID) -> Principal | None:
        rows = (await self._session.execute(_FOR_SESSION, {"user_id": user_id, "session_id": session_id})).all()
        return _principal(rows, session_id)

    async def for_api_token(self, token_hash: str, now: datetime) -> Principal | None:
        rows = (await self._session.execute(_FOR_API_TOKEN, {"token_hash": token_hash, "now": now})).all()
        return _principal(rows, None)


def _principal(rows: Sequence[Any], session_id: UUID | None) -> Principal | None:
    if not rows:
        return None
    first = rows[0]
    roles: dict[UUID, ProjectRole] = {row.project_id: row.project_role for row in rows if row.project_id is not None}
    return Principal(first.id, first.display_name, role=first.role, memberships=roles, session_id=session_id)
