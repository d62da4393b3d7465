"""The task validators kept for conditional reads: used only while changes are heard, forgotten by
a task's write and by a principal's, never kept when read before a change; which statements count
as writing a task."""

from __future__ import annotations

import logging
from uuid import UUID, uuid4

import pytest
from redis.exceptions import RedisError

from agentry.adapters.redis.heard_cache import CacheChanges
from agentry.adapters.redis.principal_cache import PrincipalCache
from agentry.adapters.redis.task_versions import CachedTaskVersions, TaskVersionCache
from agentry.adapters.sqlalchemy.cached_writes import writes_tasks
from agentry.application.errors import NotFound
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.ports.task_repository import TaskVersion
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.policy import TablePolicy

TASK = uuid4()


class CountingVersions:
    def __init__(self) -> None:
        self.reads = 0
        self.found: TaskVersion | None = TaskVersion(1, uuid4(), uuid4(), TaskStatus.QUEUED)
        self.during_read: list[object] = []

    async def version(self, task_id: UUID) -> TaskVersion | None:
        self.reads += 1
        for action in self.during_read:
            action()  # type: ignore[operator]
        return self.found


def heard() -> tuple[CountingVersions, TaskVersionCache, PrincipalCache, CachedTaskVersions, CacheChanges]:
    store, tasks, principals = CountingVersions(), TaskVersionCache(ttl_s=60), PrincipalCache(ttl_s=60)
    changes = CacheChanges(principals, tasks, None, "unused")
    tasks.hear()
    principals.hear()
    return store, tasks, principals, CachedTaskVersions(store, tasks), changes


async def test_while_changes_are_heard_a_validator_is_read_once_and_a_missing_task_is_never_kept() -> None:
    store, _, _, cached, _ = heard()
    first = await cached.version(TASK)
    assert await cached.version(TASK) is first
    assert store.reads == 1
    store.found = None
    assert await cached.version(uuid4()) is None
    assert await cached.version(uuid4()) is None
    assert store.reads == 3


async def test_a_process_that_cannot_hear_changes_reads_every_validator() -> None:
    store, tasks, _, cached, _ = heard()
    tasks.deaf()
    await cached.version(TASK)
    await cached.version(TASK)
    assert store.reads == 2


async def test_a_task_write_and_a_principal_change_make_validators_read_again() -> None:
    store, _, principals, cached, changes = heard()
    principals.put((uuid4(), uuid4()), Principal(uuid4(), "Ada"), principals.generation)
    await cached.version(TASK)
    await changes.tasks_changed()  # e.g. the task edited in this process: the principals stay
    store.found = TaskVersion(2, uuid4(), uuid4(), TaskStatus.CANCELLED)
    assert (await cached.version(TASK)) is store.found
    assert len(principals._entries) == 1
    await changes.principals_changed()  # e.g. a project deleted, its tasks with it
    store.found = None
    assert await cached.version(TASK) is None
    assert store.reads == 3


async def test_a_validator_read_before_a_change_and_returned_after_it_is_not_kept() -> None:
    store, tasks, _, cached, _ = heard()
    store.during_read.append(tasks.forget_all)  # the change is heard while the read is under way
    await cached.version(TASK)
    store.during_read.clear()
    await cached.version(TASK)
    assert store.reads == 2


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("UPDATE tasks SET status=%(status)s, version=%(version)s WHERE tasks.id = %(tasks_id)s", True),
        ('UPDATE "tasks" SET owner_id=? WHERE tasks.owner_id = ?', True),
        ("DELETE FROM tasks WHERE tasks.id = %(id)s", True),
        (
            "WITH started_task AS (UPDATE tasks SET status=%(status)s WHERE tasks.id = %(id)s RETURNING tasks.id)"
            " INSERT INTO task_executions (id) SELECT 1",
            True,
        ),
        ("INSERT INTO tasks (id, title) VALUES (%(id)s, %(title)s)", False),
        ("UPDATE task_executions SET heartbeat_at=now()", False),
        ("SELECT tasks.id FROM tasks FOR UPDATE OF tasks", False),
    ],
)
def test_the_statements_that_write_a_task(statement: str, writes: bool) -> None:
    assert writes_tasks(statement) is writes


class DownRedis:
    async def publish(self, channel: str, message: bytes) -> int:
        raise RedisError("Connection refused")


async def test_a_change_not_told_while_redis_is_away_is_still_forgotten_here_and_warned_of_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks, principals = TaskVersionCache(ttl_s=60), PrincipalCache(ttl_s=60)
    changes = CacheChanges(principals, tasks, DownRedis(), "unused")  # type: ignore[arg-type]
    tasks.hear()
    tasks.put(TASK, TaskVersion(1, uuid4(), uuid4(), TaskStatus.QUEUED), tasks.generation)
    with caplog.at_level(logging.WARNING, logger="agentry.caches"):
        for _ in range(3):  # a worker's commits, one after the other
            await changes.tasks_changed()
    assert tasks.get(TASK) is None
    assert [r.getMessage() for r in caplog.records] == [
        "could not tell other processes that tasks changed: Connection refused"
    ]


async def test_a_kept_validator_is_still_refused_to_a_caller_who_may_no_longer_read_the_task() -> None:
    store, _, _, cached, changes = heard()
    assert store.found is not None
    project = store.found.project_id
    get_task = GetTask(tasks=None, versions=cached, policy=TablePolicy())  # type: ignore[arg-type]
    member = Principal(uuid4(), "Bo", memberships={project: ProjectRole.VIEWER})
    assert await get_task.version(member, TASK) == 1
    await changes.principals_changed()  # Bo removed from the project: his principal is read again
    removed = Principal(member.id, "Bo")
    with pytest.raises(NotFound):
        await get_task.version(removed, TASK)
    assert await get_task.version(member, TASK) == 1  # the validator itself was still right
