"""TaskRepository.read, the task to answer with: the same task as `get` loads, for the fake, SQLite and
PostgreSQL; in SQL stores, an object of its own that no commit writes."""

from __future__ import annotations

from uuid import uuid4

from agentry.domain.tasks.spec import Priority
from tests.contract.builders import make_task, moment, rich_options
from tests.contract.test_task_repository import stored, vars_of


async def test_a_read_task_is_the_stored_task_with_its_version(storage) -> None:  # type: ignore[no-untyped-def]
    task = make_task(
        priority=Priority.HIGH,
        tags=("ops", "api"),
        options=rich_options(),
        scheduled_at=moment(3600),
        idempotency_key="key-1",
        request_fingerprint="f" * 64,
    )
    await stored(storage, task)
    async with storage.scope() as p:
        read = await p.tasks.read(task.id)
        assert await p.tasks.read(uuid4()) is None
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id)
    assert read is not None and read is not task
    assert vars_of(read) == vars_of(task) == vars_of(loaded)
    assert getattr(read, "_version", None) == getattr(loaded, "_version", None)
    assert read.created_at.utcoffset() is not None and read.created_at.utcoffset().total_seconds() == 0


async def test_a_read_task_is_not_written_by_a_commit(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task(scheduled_at=moment(10**6)))
    if storage.name == "memory":
        return  # the fake's copies are its own concern
    async with storage.scope() as p:
        read = await p.tasks.read(task.id)
        loaded = await p.tasks.get(task.id)
        assert read is not loaded
        read.title = "changed, never saved"
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.tasks.get(task.id)).title == task.title
