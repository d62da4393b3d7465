from __future__ import annotations

from datetime import timedelta

import pytest

from agentry.application.errors import Forbidden, IdempotencyConflict, NotFound, UnknownRunner
from agentry.application.tasks.expire_idempotency_keys import ExpireIdempotencyKeys
from agentry.application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.spec import TaskOptions, TaskSpec
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, BOB, SYSTEM, TEAM, FakeApp


async def test_a_submitted_task_is_queued_with_its_dispatch_recorded_in_the_same_commit() -> None:
    app = FakeApp()
    task = await app.submit(title="Fix the build")
    assert app.task(task.id).status is TaskStatus.QUEUED
    assert app.task(task.id).owner_id == ALICE.id
    [row] = app.db.jobs.values()
    assert row.job.order == ExecutionOrder(task.id, 1)
    assert row.job.dispatched_at is None
    assert app.db.commits == 1


async def test_a_task_scheduled_for_later_waits_pending_with_its_job_due_then() -> None:
    app = FakeApp()
    later = app.clock.current + timedelta(hours=1)
    task = await app.submit(scheduled_at=later)
    assert app.task(task.id).status is TaskStatus.PENDING
    [row] = app.db.jobs.values()
    assert row.job.available_at == later


async def test_the_same_key_and_body_give_back_the_same_task() -> None:
    app = FakeApp()
    first = await app.submit(key="k1", title="A")
    submit = app.use(SubmitTask)
    again = await submit(ALICE, SubmitTaskCommand(TaskSpec("A", "The build is red; make it green."), "k1", TEAM))
    assert again.replayed and again.task.id == first.id
    assert len(app.db.tasks) == 1 and len(app.db.jobs) == 1


async def test_the_same_key_with_another_body_is_a_conflict_and_writes_nothing() -> None:
    app = FakeApp()
    await app.submit(key="k1", title="A")
    with pytest.raises(IdempotencyConflict):
        await app.submit(key="k1", title="B")
    assert len(app.db.tasks) == 1


async def test_an_expired_key_names_a_new_submission_and_the_old_task_lets_go_of_it() -> None:
    app = FakeApp()
    first = await app.submit(key="k1", title="A")
    app.clock.advance(seconds=app.idempotency.key_ttl_s - 60)
    with pytest.raises(IdempotencyConflict):
        await app.submit(key="k1", title="B")
    app.clock.advance(seconds=120)
    second = await app.submit(key="k1", title="B")

    assert second.id != first.id and app.task(second.id).idempotency_key == "k1"
    assert app.task(first.id).idempotency_key is None
    again = await app.use(SubmitTask)(
        ALICE, SubmitTaskCommand(TaskSpec("B", "The build is red; make it green."), "k1", TEAM)
    )
    assert again.replayed and again.task.id == second.id


async def test_housekeeping_lets_go_of_expired_keys_only() -> None:
    app = FakeApp()
    old = await app.submit(key="old")
    app.clock.advance(seconds=app.idempotency.key_ttl_s - 10)
    fresh = await app.submit(key="fresh")
    app.clock.advance(seconds=20)
    assert await app.use(ExpireIdempotencyKeys)(SYSTEM) == 1
    assert app.task(old.id).idempotency_key is None
    assert app.task(fresh.id).idempotency_key == "fresh"


async def test_idempotency_keys_belong_to_their_submitter() -> None:
    app = FakeApp()
    mine = await app.submit(ALICE, key="k1")
    theirs = await app.submit(BOB, key="k1")
    assert mine.id != theirs.id


async def test_a_task_naming_an_unknown_runner_is_refused() -> None:
    app = FakeApp()
    with pytest.raises(UnknownRunner):
        await app.submit(options=TaskOptions(runner="gpt-9"))
    assert app.db.tasks == {}


async def test_the_system_principal_does_not_submit_tasks() -> None:
    app = FakeApp()
    with pytest.raises((Forbidden, NotFound)):
        await app.submit(SYSTEM, project_id=TEAM)
    assert app.db.tasks == {}
