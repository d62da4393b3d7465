"""Jobs asked for at once (a chat turn's): the unit of work sends them straight after its commit, and
the relay sends them only if that send never happened or failed (adapters/sqlalchemy/outbox/at_once.py).
SQL adapters only: the in-memory fake leaves every job to the relay."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from uuid import uuid4

import pytest

from agentry.adapters.otel.context import PlainWorkContext
from agentry.adapters.sqlalchemy.outbox.at_once import AT_ONCE_LEASE_S, SendAtOnce
from agentry.adapters.sqlalchemy.outbox.jobs import SqlAlchemyOutbox, SqlAlchemyOutboxRelayStore
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.domain.tasks.orders import ExecutionOrder, QueueJob
from tests.contract.builders import make_job, make_task
from tests.contract.storage import SqlStorage
from tests.fakes.system import FakeClock, RecordingBroker

LEASE = timedelta(seconds=30)


class Relay:
    """The relay's claim, as another process runs it; and a broker that lets it run between the
    commit and the send."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    async def claim(self, seconds_after: float, job: QueueJob) -> list[QueueJob]:
        now = job.created_at + timedelta(seconds=seconds_after)
        async with self.storage.sessions() as s:
            claimed = await SqlAlchemyOutboxRelayStore(s).claim_due(now, now + LEASE, 10)
            await s.commit()
        return claimed


class RacedBroker(RecordingBroker):
    """The relay passes while the order is on its way to the broker."""

    def __init__(self, relay: Relay, job: QueueJob) -> None:
        super().__init__()
        self.relay, self.job, self.relay_took = relay, job, None

    async def send(self, orders: Sequence[ExecutionOrder]) -> None:
        self.relay_took = await self.relay.claim(1, self.job)
        await super().send(orders)


async def write_at_once(
    storage: SqlStorage, broker: RecordingBroker, *, dies: bool = False
) -> tuple[QueueJob, list[int]]:
    """A task and its job asked for at once, committed (`dies`: the writer dies before the send); the
    relay's wake-ups, counted."""
    task = make_task()
    job = make_job(task, order=ExecutionOrder(task.id, 1, {"correlation_id": "req-1"}))
    woken: list[int] = []
    send = SendAtOnce(broker, FakeClock(job.created_at), lambda: woken.append(1))
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with storage.sessions() as s:
        await SqlAlchemyOutbox(s, PlainWorkContext(), at_once_lease_s=AT_ONCE_LEASE_S).enqueue(job, at_once=True)
        await SqlAlchemyUnitOfWork(s, uuid4, send_at_once=None if dies else send).commit()
    return job, woken


@pytest.fixture
def sql(storage):  # type: ignore[no-untyped-def]
    if not isinstance(storage, SqlStorage):
        pytest.skip("the in-memory outbox sends nothing itself")
    return storage


async def test_a_job_asked_for_at_once_is_sent_once_after_its_commit_even_when_the_relay_passes_meanwhile(sql) -> None:  # type: ignore[no-untyped-def]
    relay = Relay(sql)
    broker = RecordingBroker()
    job, woken = await write_at_once(sql, broker)
    assert [o.task_id for o in broker.sent] == [job.order.task_id]
    assert broker.sent[0].context == {"correlation_id": "req-1"}, "the order keeps the asking work's context"
    assert await relay.claim(AT_ONCE_LEASE_S + 1, job) == [], "marked dispatched: the relay never sends it"
    assert woken == [], "no relay pass needed"


async def test_the_relay_leaves_a_job_alone_while_its_writer_sends_it(sql) -> None:  # type: ignore[no-untyped-def]
    relay = Relay(sql)
    task = make_task()
    job = make_job(task)
    broker = RacedBroker(relay, job)
    send = SendAtOnce(broker, FakeClock(job.created_at), lambda: None)
    async with sql.scope() as p:
        await p.tasks.add(task)
        await p.uow.commit()
    async with sql.sessions() as s:
        await SqlAlchemyOutbox(s, PlainWorkContext(), at_once_lease_s=AT_ONCE_LEASE_S).enqueue(job, at_once=True)
        await SqlAlchemyUnitOfWork(s, uuid4, send_at_once=send).commit()
    assert broker.relay_took == [], "under the writer's lease between commit and send"
    assert len(broker.sent) == 1
    assert await relay.claim(AT_ONCE_LEASE_S + 1, job) == []


async def test_a_job_whose_writer_died_before_sending_goes_out_by_the_relay_once_the_lease_lapses(sql) -> None:  # type: ignore[no-untyped-def]
    relay = Relay(sql)
    broker = RecordingBroker()
    job, _ = await write_at_once(sql, broker, dies=True)
    assert broker.sent == []
    assert await relay.claim(AT_ONCE_LEASE_S - 1, job) == []
    [claimed] = await relay.claim(AT_ONCE_LEASE_S + 1, job)
    assert claimed.id == job.id


async def test_a_job_the_broker_refused_goes_to_the_relay_at_once(sql) -> None:  # type: ignore[no-untyped-def]
    relay = Relay(sql)
    broker = RecordingBroker()
    broker.down = True
    job, woken = await write_at_once(sql, broker)
    assert woken == [1], "the relay is woken"
    [claimed] = await relay.claim(0.5, job)
    assert claimed.id == job.id
