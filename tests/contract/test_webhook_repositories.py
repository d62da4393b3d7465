"""Webhook endpoints and deliveries on SQLAlchemy: the same assertions on SQLite and PostgreSQL.

Secrets are sealed at rest (the sealer of the signing keys, under a key derived for webhooks); deliveries
are stored once per endpoint, event and type; the lease hands out due deliveries in order per task and at
most N at once per endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from agentry.adapters.jwt.sealed_keys import KeySealer
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.adapters.sqlalchemy.webhooks.repository import SqlAlchemyWebhookDeliveries, SqlAlchemyWebhookEndpoints
from agentry.adapters.system.webhook_secrets import RandomWebhookSecrets
from agentry.domain.webhooks.delivery import AttemptOutcome, DeliveryStatus, RetrySchedule, WebhookDelivery
from agentry.domain.webhooks.endpoint import WebhookEndpoint
from agentry.entrypoints.di.webhooks import SEALING_PURPOSE
from tests.contract.builders import make_project, moment
from tests.contract.databases import empty_database

SEALER = KeySealer(b"contract-tests-secret-key-of-enough-length", SEALING_PURPOSE)


@dataclass
class Scope:
    endpoints: SqlAlchemyWebhookEndpoints
    deliveries: SqlAlchemyWebhookDeliveries
    uow: SqlAlchemyUnitOfWork


class Store:
    def __init__(self, engine: AsyncEngine, project_id: UUID) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.project_id = project_id

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Scope]:
        async with self.sessions() as s:
            yield Scope(
                SqlAlchemyWebhookEndpoints(s, SEALER), SqlAlchemyWebhookDeliveries(s), SqlAlchemyUnitOfWork(s, uuid4)
            )


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    url = empty_database(request, request.param, tmp_path)
    start_mappers()
    engine = create_async_database(url, pool_size=5)
    project = make_project()
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await SqlAlchemyProjectRepository(s).add(project)
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    try:
        yield Store(engine, project.id)
    finally:
        await engine.dispose()


def endpoint(store: Store, *types: str, active: bool = True) -> WebhookEndpoint:
    secrets = RandomWebhookSecrets()
    return WebhookEndpoint(
        id=uuid4(),
        project_id=store.project_id,
        url="https://hooks.example.com/in",
        event_types=frozenset(types or ("task.succeeded",)),
        description="CI",
        active=active,
        secret=secrets.new_secret(),
        created_at=moment(0),
        updated_at=moment(0),
    )


def delivery(hook: WebhookEndpoint, *, key: UUID, sequence: int, event_id: UUID | None = None) -> WebhookDelivery:
    return WebhookDelivery.new(
        uuid4(), hook.id, event_id or uuid4(), "task.succeeded", key, sequence, '{"a":1}', moment(sequence)
    )


async def saved(store: Store, *hooks: WebhookEndpoint) -> None:
    async with store.scope() as p:
        for hook in hooks:
            await p.endpoints.add(hook)
        await p.uow.commit()


async def test_an_endpoint_comes_back_as_stored_with_its_secrets_sealed_at_rest(store: Store) -> None:
    hook = endpoint(store, "task.failed", "task.succeeded")
    hook.rotate(RandomWebhookSecrets().new_secret(), moment(10))
    await saved(store, hook)
    async with store.scope() as p:
        back = await p.endpoints.get(hook.id)
        assert back == hook
        raw = (await p.uow._session.execute(text("SELECT secret, previous_secret FROM webhook_endpoints"))).one()
    assert hook.secret not in raw[0] and raw[0].startswith("aesgcm1:")
    assert hook.previous_secret is not None and hook.previous_secret not in raw[1]


async def test_the_active_endpoints_of_several_projects_are_found_by_project(store: Store) -> None:
    wanted = endpoint(store, "task.failed")
    other = endpoint(store, "task.succeeded")
    off = endpoint(store, "task.failed", active=False)
    elsewhere, empty = make_project(), make_project()
    async with store.scope() as p:
        await SqlAlchemyProjectRepository(p.uow._session).add(elsewhere)
        await p.uow.commit()
    theirs = replace(endpoint(store, "task.failed"), project_id=elsewhere.id)
    await saved(store, wanted, other, off, theirs)
    async with store.scope() as p:
        found = await p.endpoints.active_in({store.project_id, elsewhere.id, empty.id})
        listed = await p.endpoints.of_project(store.project_id)
    assert {project: {e.id for e in hooks} for project, hooks in found.items()} == {
        store.project_id: {wanted.id, other.id},
        elsewhere.id: {theirs.id},
        empty.id: set(),
    }
    assert {e.id for e in listed} == {wanted.id, other.id, off.id}


async def test_a_delivery_recorded_twice_for_the_same_endpoint_and_event_is_stored_once(store: Store) -> None:
    hook = endpoint(store)
    await saved(store, hook)
    event_id = uuid4()
    async with store.scope() as p:
        first = await p.deliveries.add_new([delivery(hook, key=uuid4(), sequence=1, event_id=event_id)])
        again = await p.deliveries.add_new([delivery(hook, key=uuid4(), sequence=1, event_id=event_id)])
        await p.uow.commit()
        log = await p.deliveries.of_endpoint(hook.id, 10)
    assert (first, again, len(log)) == (1, 0, 1)


async def test_deliveries_are_leased_in_order_per_key_and_at_most_n_per_endpoint(store: Store) -> None:
    hook = endpoint(store)
    await saved(store, hook)
    task_a, task_b, task_c = uuid4(), uuid4(), uuid4()
    a1, a2 = delivery(hook, key=task_a, sequence=1), delivery(hook, key=task_a, sequence=2)
    b1, c1 = delivery(hook, key=task_b, sequence=3), delivery(hook, key=task_c, sequence=4)
    async with store.scope() as p:
        await p.deliveries.add_new([a1, a2, b1, c1])
        await p.uow.commit()
    now, lease = moment(100), moment(140)
    async with store.scope() as p:
        taken = await p.deliveries.take_due(now, lease, uuid4(), 10, per_endpoint=2)
        await p.uow.commit()
    assert [t.delivery_id for t in taken] == [a1.id, b1.id]  # a2 waits for a1; c1 for a free slot
    async with store.scope() as p:
        assert await p.deliveries.take_due(now, lease, uuid4(), 10, per_endpoint=2) == []
        await p.uow.rollback()
    # a1 succeeds: a2 and c1 may go (two slots: b1 still holds one)
    async with store.scope() as p:
        got = await p.deliveries.get(a1.id, for_update=True)
        assert got is not None and got.lease_token == taken[0].token
        attempt = got.record(AttemptOutcome(200, None, "ok", 5), now, now, RetrySchedule(), 0.5)
        await p.deliveries.add_attempt(attempt)
        await p.deliveries.save(got)
        await p.uow.commit()
    async with store.scope() as p:
        again = await p.deliveries.take_due(now, lease, uuid4(), 10, per_endpoint=2)
        await p.uow.commit()
    assert [t.delivery_id for t in again] == [a2.id]  # b1 and a2 in flight: c1 still waits
    # once a lease runs out, the delivery is offered again under a new token
    later = lease + timedelta(seconds=1)
    async with store.scope() as p:
        retaken = await p.deliveries.take_due(later, later + timedelta(seconds=40), uuid4(), 10, per_endpoint=4)
        await p.uow.commit()
        attempts = await p.deliveries.attempts_of([a1.id])
    assert {t.delivery_id for t in retaken} == {a2.id, b1.id, c1.id}
    assert [(a.number, a.status_code, a.excerpt) for a in attempts[a1.id]] == [(1, 200, "ok")]


async def test_a_failed_attempt_is_offered_again_after_its_delay_and_not_before(store: Store) -> None:
    hook = endpoint(store)
    await saved(store, hook)
    one = delivery(hook, key=uuid4(), sequence=1)
    async with store.scope() as p:
        await p.deliveries.add_new([one])
        await p.uow.commit()
    now = moment(100)
    async with store.scope() as p:
        [taken] = await p.deliveries.take_due(now, now + timedelta(seconds=40), uuid4(), 10, 4)
        got = await p.deliveries.get(taken.delivery_id, for_update=True)
        assert got is not None
        got.record(AttemptOutcome(503, "HTTP 503", "", 3), now, now, RetrySchedule((60,), jitter=0), 0.5)
        await p.deliveries.save(got)
        await p.uow.commit()
    async with store.scope() as p:
        assert await p.deliveries.take_due(now + timedelta(seconds=59), now, uuid4(), 10, 4) == []
        due = await p.deliveries.take_due(now + timedelta(seconds=61), now + timedelta(seconds=100), uuid4(), 10, 4)
        await p.uow.commit()
        back = await p.deliveries.get(one.id)
    assert [t.delivery_id for t in due] == [one.id]
    assert back is not None and back.status is DeliveryStatus.PENDING and back.attempts == 1


async def test_deleting_an_endpoint_deletes_its_deliveries(store: Store) -> None:
    hook = endpoint(store)
    await saved(store, hook)
    one = delivery(hook, key=uuid4(), sequence=1)
    async with store.scope() as p:
        await p.deliveries.add_new([one])
        await p.uow.commit()
    async with store.scope() as p:
        await p.endpoints.remove(hook.id)
        await p.uow.commit()
    async with store.scope() as p:
        assert await p.endpoints.get(hook.id) is None
        assert await p.deliveries.get(one.id) is None
