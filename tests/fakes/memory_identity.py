"""In-memory users, projects, memberships, login sessions, API tokens and principals, over the same
MemoryDatabase and MemorySession as the task fakes (tests/fakes/memory.py): staged until commit,
unique violations, cascades on delete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.application.projects.ports import ProjectPosition
from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken, RevokeReason
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.memory import MemoryDatabase, MemorySession

_UNFINISHED = (TaskStatus.RUNNING, TaskStatus.CANCELLING)


class MemoryUserRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, user: User) -> None:
        self._s.insert_row("users", user)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        found: User | None = await self._s.load_row("users", user_id, lock=for_update)
        return found

    async def get_by_email(self, email: str) -> User | None:
        found = await self._s.visible_loaded("users", lambda u: u.email == email)
        return found[0] if found else None

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User]:
        found = [await self._s.load_row("users", i) for i in sorted(set(user_ids))]
        return [u for u in found if u is not None]

    async def page(
        self, *, after_email: str | None, limit: int, role: GlobalRole | None = None, active: bool | None = None
    ) -> list[User]:
        rows = [
            u
            for u in self._s.visible_rows("users")
            if (after_email is None or u.email > after_email)
            and (role is None or u.role is role)
            and (active is None or u.active is active)
        ]
        rows.sort(key=lambda u: u.email)
        return [await self._s.load_row("users", u.id) for u in rows[:limit]]

    async def count_active_admins(self) -> int:
        return sum(_active_admin(u) for u in self._s.visible_rows("users"))

    async def lock_active_admins(self) -> frozenset[UUID]:
        admins = sorted(u.id for u in self._s.visible_rows("users") if _active_admin(u))
        for user_id in admins:
            await self._s.lock(("users", user_id))  # the key load_row(lock=True) takes
        # Read again once locked, as PostgreSQL checks each row it waited for: those no longer active admins drop out.
        found = [await self._s.load_row("users", user_id) for user_id in admins]
        return frozenset(u.id for u in found if u is not None and _active_admin(u))

    async def delete(self, user: User) -> None:
        self._s.delete_row("users", user.id)


def _active_admin(user: User) -> bool:
    return user.active and user.role is GlobalRole.ADMIN


class MemoryProjectRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, project: Project) -> None:
        self._s.insert_row("projects", project)

    async def get(self, project_id: UUID, *, for_update: bool = False) -> Project | None:
        found: Project | None = await self._s.load_row("projects", project_id, lock=for_update)
        return found

    async def get_many(self, project_ids: Sequence[UUID], *, for_update: bool = False) -> list[Project]:
        found = [await self._s.load_row("projects", i, lock=for_update) for i in sorted(set(project_ids))]
        return [p for p in found if p is not None]

    async def page(self, scope: ProjectScope, *, after: ProjectPosition | None, limit: int) -> list[Project]:
        rows = [
            p
            for p in self._s.visible_rows("projects")
            if scope.includes(p.id) and (after is None or (p.slug, p.id) > (after.slug, after.id))
        ]
        rows.sort(key=lambda p: (p.slug, p.id))
        return [await self._s.load_row("projects", p.id) for p in rows[:limit]]

    async def personal_project_of(self, user_id: UUID) -> Project | None:
        owned = {
            m.project_id
            for m in self._s.visible_rows("memberships")
            if m.user_id == user_id and m.role is ProjectRole.OWNER
        }
        found = await self._s.visible_loaded("projects", lambda p: p.personal and p.id in owned)
        found.sort(key=lambda p: (p.created_at, p.id))
        return found[0] if found else None

    async def has_unfinished_tasks(self, project_id: UUID) -> bool:
        s = self._s
        tasks = [*s.db.tasks.values(), *(s.tasks[i] for i in s.new_tasks)]
        return any(t.project_id == project_id and t.status in _UNFINISHED for t in tasks)

    async def delete(self, project: Project) -> None:
        self._s.delete_row("projects", project.id)


class MemoryMembershipRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, membership: Membership) -> None:
        self._s.insert_row("memberships", membership)

    async def get(self, project_id: UUID, user_id: UUID) -> Membership | None:
        found: Membership | None = await self._s.load_row("memberships", (project_id, user_id))
        return found

    async def of_project(self, project_id: UUID) -> list[Membership]:
        found = await self._s.visible_loaded("memberships", lambda m: m.project_id == project_id)
        return sorted(found, key=lambda m: (m.created_at, m.user_id))

    async def of_user(self, user_id: UUID) -> list[Membership]:
        found = await self._s.visible_loaded("memberships", lambda m: m.user_id == user_id)
        return sorted(found, key=lambda m: (m.created_at, m.project_id))

    async def count_owners(self, project_id: UUID) -> int:
        rows = self._s.visible_rows("memberships")
        return sum(m.project_id == project_id and m.role is ProjectRole.OWNER for m in rows)

    async def remove(self, membership: Membership) -> None:
        self._s.delete_row("memberships", (membership.project_id, membership.user_id))


class MemorySessionRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, session: LoginSession) -> None:
        self._s.insert_row("login_sessions", session)

    async def get(self, session_id: UUID, *, for_update: bool = False) -> LoginSession | None:
        found: LoginSession | None = await self._s.load_row("login_sessions", session_id, lock=for_update)
        return found

    async def page_of_user(self, user_id: UUID, *, after: UUID | None, limit: int) -> list[LoginSession]:
        return await _page_of_user(self._s, "login_sessions", user_id, after, limit)

    async def revoke_all_of(
        self, user_id: UUID, now: datetime, reason: RevokeReason, *, keep: UUID | None = None
    ) -> None:
        def revoke(session: LoginSession) -> None:
            if session.user_id == user_id and session.revoked_at is None and session.id != keep:
                session.revoked_at, session.revoke_reason = now, reason

        # Like an UPDATE in the transaction, synchronized into the unit of work: every session of the
        # user it sees is revoked at once, as a change of its own that the commit writes.
        for row in await self._s.visible_loaded("login_sessions", lambda x: x.user_id == user_id):
            revoke(row)

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self._s.insert_row("refresh_tokens", token)

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        s = self._s
        matching = [t for t in s.visible_rows("refresh_tokens") if t.token_hash == token_hash]
        if not matching:
            return None
        found: RefreshToken | None = await s.load_row("refresh_tokens", matching[0].id, lock=True)
        return found


class MemoryApiTokenRepository:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, token: ApiToken) -> None:
        self._s.insert_row("api_tokens", token)

    async def get(self, token_id: UUID) -> ApiToken | None:
        found: ApiToken | None = await self._s.load_row("api_tokens", token_id)
        return found

    async def revoke_all_of(self, user_id: UUID, now: datetime) -> None:
        # Like an UPDATE synchronized into the unit of work, as the session repository's revoke_all_of.
        for token in await self._s.visible_loaded("api_tokens", lambda t: t.user_id == user_id):
            token.revoke(now)

    async def of_user(self, user_id: UUID) -> list[ApiToken]:
        found = await self._s.visible_loaded("api_tokens", lambda t: t.user_id == user_id)
        return sorted(found, key=lambda t: (t.created_at, t.id))

    async def page_of_user(self, user_id: UUID, *, after: UUID | None, limit: int) -> list[ApiToken]:
        return await _page_of_user(self._s, "api_tokens", user_id, after, limit)

    async def count_usable(self, user_id: UUID, now: datetime) -> int:
        return sum(t.user_id == user_id and t.usable(now) for t in self._s.visible_rows("api_tokens"))


class MemoryPrincipalStore:
    """Reads what is committed, as the SQL store's one statement does at the start of a request."""

    def __init__(self, session: MemorySession) -> None:
        self._db: MemoryDatabase = session.db

    async def for_session(self, user_id: UUID, session_id: UUID) -> Principal | None:
        login = self._db.login_sessions.get(session_id)
        if login is None or login.user_id != user_id or login.revoked_at is not None:
            return None
        return self._principal(user_id, session_id)

    async def for_api_token(self, token_hash: str, now: datetime) -> Principal | None:
        for token in self._db.api_tokens.values():
            if token.token_hash == token_hash and token.usable(now):
                return self._principal(token.user_id, None)
        return None

    def _principal(self, user_id: UUID, session_id: UUID | None) -> Principal | None:
        user = self._db.users.get(user_id)
        if user is None or not user.active:
            return None
        roles = {m.project_id: m.role for m in self._db.memberships.values() if m.user_id == user_id}
        return Principal(user.id, user.display_name, role=user.role, memberships=roles, session_id=session_id)


async def _page_of_user(session: MemorySession, table: str, user_id: UUID, after: UUID | None, limit: int) -> list[Any]:
    """Rows of one user in id order, strictly after `after` (a session's or a token's keyset page)."""
    rows = sorted(
        (r for r in session.visible_rows(table) if r.user_id == user_id and (after is None or r.id > after)),
        key=lambda r: r.id,
    )
    return [await session.load_row(table, r.id) for r in rows[:limit]]
