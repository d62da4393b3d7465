"""The principal cache: used only while changes are heard, never keeps what was read before a change,
expires entries; and which statements count as changing a principal."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

import pytest

from agentry.adapters.redis.heard_cache import CacheChanges
from agentry.adapters.redis.principal_cache import CachedPrincipalStore, PrincipalCache
from agentry.adapters.redis.task_versions import TaskVersionCache
from agentry.adapters.sqlalchemy.cached_writes import writes_principals
from agentry.domain.principal import Principal


class CountingStore:
    def __init__(self) -> None:
        self.reads = 0
        self.principal: Principal | None = Principal(uuid4(), "Ada")
        self.during_read: list[object] = []

    async def for_session(self, user_id: UUID, session_id: UUID) -> Principal | None:
        self.reads += 1
        for action in self.during_read:
            action()  # type: ignore[operator]
        return self.principal

    async def for_api_token(self, token_hash: str, now: datetime) -> Principal | None:
        self.reads += 1
        return self.principal


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


KEY = (uuid4(), uuid4())


async def test_while_changes_are_heard_a_principal_is_read_once() -> None:
    store, cache = CountingStore(), PrincipalCache(ttl_s=60)
    cache.hear()
    cached = CachedPrincipalStore(store, cache)
    first = await cached.for_session(*KEY)
    assert await cached.for_session(*KEY) is first
    assert store.reads == 1


async def test_a_process_that_cannot_hear_changes_reads_the_database_every_time() -> None:
    store, cache = CountingStore(), PrincipalCache(ttl_s=60)
    cached = CachedPrincipalStore(store, cache)
    await cached.for_session(*KEY)
    await cached.for_session(*KEY)
    assert store.reads == 2
    cache.hear()
    await cached.for_session(*KEY)
    cache.deaf()  # Redis went away: what was kept is dropped, and not used
    await cached.for_session(*KEY)
    assert store.reads == 4


async def test_a_change_makes_every_principal_read_again_and_a_refusal_is_never_kept() -> None:
    store, cache = CountingStore(), PrincipalCache(ttl_s=60)
    cache.hear()
    cached = CachedPrincipalStore(store, cache)
    changes = CacheChanges(cache, TaskVersionCache(ttl_s=60), None, "unused")
    await cached.for_session(*KEY)
    await changes.principals_changed()  # e.g. a logout committed in this process
    store.principal = None
    assert await cached.for_session(*KEY) is None
    store.principal = Principal(uuid4(), "Ada")
    assert await cached.for_session(*KEY) is store.principal
    assert store.reads == 3


async def test_a_principal_read_before_a_change_and_returned_after_it_is_not_kept() -> None:
    store, cache = CountingStore(), PrincipalCache(ttl_s=60)
    cache.hear()
    store.during_read.append(cache.forget_all)  # the change is heard while the read is under way
    cached = CachedPrincipalStore(store, cache)
    await cached.for_session(*KEY)
    store.during_read.clear()
    await cached.for_session(*KEY)
    assert store.reads == 2


async def test_entries_expire_and_api_tokens_are_never_kept() -> None:
    clock = Clock()
    store, cache = CountingStore(), PrincipalCache(ttl_s=5, clock=clock)
    cache.hear()
    cached = CachedPrincipalStore(store, cache)
    await cached.for_session(*KEY)
    clock.now = 5.0
    await cached.for_session(*KEY)
    assert store.reads == 2
    await cached.for_api_token("digest", datetime.now())
    await cached.for_api_token("digest", datetime.now())
    assert store.reads == 4


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("UPDATE login_sessions SET revoked_at=%(revoked_at)s WHERE login_sessions.id = %(id_1)s", True),
        ("UPDATE users SET active=? WHERE users.id = ?", True),
        ("INSERT INTO memberships (project_id, user_id, role) VALUES (%(project_id)s, ...)", True),
        ("DELETE FROM memberships WHERE memberships.project_id = ?", True),
        ("DELETE FROM projects WHERE projects.id = %(id)s", True),
        ('UPDATE "api_tokens" SET revoked_at=now()', True),
        ("SELECT users.id FROM users", False),
        ("UPDATE tasks SET status=%(status)s", False),
        ("INSERT INTO users_archive (id) VALUES (1)", False),
        ("INSERT INTO outbox_events (id) VALUES (1)", False),
    ],
)
def test_the_statements_that_may_change_a_principal(statement: str, changes: bool) -> None:
    assert writes_principals(statement) is changes
