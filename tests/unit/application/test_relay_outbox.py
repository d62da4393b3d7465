from __future__ import annotations

import contextlib
from datetime import timedelta

from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.dispatch.relay_outbox import RelayOutbox
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, SYSTEM, FakeApp


async def test_due_work_is_sent_once_and_its_task_released_to_the_queue() -> None:
    app = FakeApp()
    task = await app.submit()
    assert await app.relay() == 1
    assert app.broker.sent == [ExecutionOrder(task.id, 1)]
    assert app.task(task.id).status is TaskStatus.QUEUED
    [row] = app.db.jobs.values()
    assert row.job.dispatched_at is not None
    assert await app.relay() == 0


async def test_scheduled_work_waits_for_its_time() -> None:
    app = FakeApp()
    task = await app.submit(scheduled_at=app.clock.current + timedelta(minutes=5))
    assert await app.relay() == 0
    assert app.task(task.id).status is TaskStatus.PENDING
    app.clock.advance(minutes=5)
    assert await app.relay() == 1
    assert app.task(task.id).status is TaskStatus.QUEUED


async def test_while_the_broker_is_down_work_waits_in_the_outbox_and_goes_out_when_it_returns() -> None:
    app = FakeApp()
    task = await app.submit()
    app.broker.down = True
    report = await app.use(RelayOutbox)(SYSTEM)
    assert (report.sent, report.failed) == (0, 1)
    [row] = app.db.jobs.values()
    assert row.job.dispatched_at is None and row.job.last_error == "connection refused"
    app.broker.down = False
    assert await app.relay() == 0, "retried only after a pause"
    app.clock.advance(seconds=3)
    assert await app.relay() == 1
    assert app.broker.sent == [ExecutionOrder(task.id, 1)]


async def test_a_relay_that_died_after_sending_is_covered_by_the_lease_and_the_idempotent_claim() -> None:
    app = FakeApp()
    task = await app.submit()

    class DiesAfterSending:
        def __init__(self) -> None:
            self.sent: list[ExecutionOrder] = []

        async def send(self, orders: list[ExecutionOrder]) -> None:
            self.sent.extend(orders)
            raise SystemExit("killed between send and mark")

    crashing = DiesAfterSending()
    app.broker, real = crashing, app.broker  # type: ignore[assignment]
    with contextlib.suppress(SystemExit):
        await app.relay()
    app.broker = real
    assert await app.relay() == 0, "the lease keeps other relays off for a while"
    app.clock.advance(seconds=31)
    assert await app.relay() == 1, "then the job is sent again"
    await app.run_next()
    assert await app.run(crashing.sent[0]) is None, "the duplicate message does nothing"
    assert app.task(task.id).status is TaskStatus.SUCCEEDED


async def test_work_for_a_cancelled_task_is_settled_without_sending() -> None:
    app = FakeApp()
    task = await app.submit()
    await app.use(CancelTask)(ALICE, task.id)
    report = await app.use(RelayOutbox)(SYSTEM)
    assert (report.sent, report.settled) == (0, 1)
    assert app.broker.sent == []


async def test_more_urgent_work_goes_out_first() -> None:
    app = FakeApp()
    low = await app.submit(priority=Priority.LOW)
    urgent = await app.submit(priority=Priority.URGENT)
    normal = await app.submit()
    await app.relay()
    assert [o.task_id for o in app.broker.sent] == [urgent.id, normal.id, low.id]


async def test_a_full_batch_says_so_and_the_rest_follows() -> None:
    app = FakeApp()
    app.relay_settings = type(app.relay_settings)(batch_size=2)
    for _ in range(3):
        await app.submit()
    first = await app.use(RelayOutbox)(SYSTEM)
    second = await app.use(RelayOutbox)(SYSTEM)
    assert (first.sent, first.full_batch, second.sent, second.full_batch) == (2, True, 1, False)
