"""Webhook use cases with in-memory fakes: the subscriber records one delivery per subscribed endpoint
and event type, however often it hears the event; an attempt only counts under the latest lease; a
delivery that ends failed counts against its endpoint, which is disabled after N in a row; rotation and
management are for the project's owners and maintainers."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from agentry.application.errors import Forbidden, NotFound
from agentry.application.outbox.ports import StoredEvent
from agentry.application.webhooks.deliver import DeliverWebhook
from agentry.application.webhooks.endpoints import CreateEndpoint, EndpointPorts, NewEndpoint, RotateSecret
from agentry.application.webhooks.ports import Taken, WebhookSettings
from agentry.application.webhooks.record_deliveries import RecordWebhookDeliveries
from agentry.domain.events import DomainEvent
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.webhooks.delivery import (
    Attempt,
    AttemptOutcome,
    DeliveryStatus,
    RetrySchedule,
    WebhookDelivery,
)
from agentry.domain.webhooks.endpoint import DisablePolicy, WebhookEndpoint
from agentry.domain.webhooks.signing import secret_from
from tests.fakes.app import SYSTEM
from tests.fakes.policy import TablePolicy
from tests.fakes.system import EPOCH, FakeClock, SequentialIds

PROJECT = uuid4()


class Endpoints:
    def __init__(self) -> None:
        self.rows: dict[UUID, WebhookEndpoint] = {}
        self.reads: list[set[UUID]] = []

    async def add(self, endpoint: WebhookEndpoint) -> None:
        self.rows[endpoint.id] = endpoint

    async def get(self, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None:
        return self.rows.get(endpoint_id)

    async def of_project(self, project_id: UUID) -> list[WebhookEndpoint]:
        return [e for e in self.rows.values() if e.project_id == project_id]

    async def active_in(self, project_ids: Collection[UUID]) -> dict[UUID, list[WebhookEndpoint]]:
        self.reads.append(set(project_ids))
        return {p: [e for e in await self.of_project(p) if e.active] for p in project_ids}

    async def save(self, endpoint: WebhookEndpoint) -> None:
        self.rows[endpoint.id] = endpoint

    async def remove(self, endpoint_id: UUID) -> None:
        self.rows.pop(endpoint_id, None)


class Deliveries:
    def __init__(self) -> None:
        self.rows: dict[UUID, WebhookDelivery] = {}
        self.attempts: list[Attempt] = []

    async def add_new(self, deliveries: Sequence[WebhookDelivery]) -> int:
        keys = {(d.endpoint_id, d.event_id, d.event_type) for d in self.rows.values()}
        new = [d for d in deliveries if (d.endpoint_id, d.event_id, d.event_type) not in keys]
        self.rows |= {d.id: d for d in new}
        return len(new)

    async def get(self, delivery_id: UUID, *, for_update: bool = False) -> WebhookDelivery | None:
        return self.rows.get(delivery_id)

    async def save(self, delivery: WebhookDelivery) -> None:
        self.rows[delivery.id] = delivery

    async def add_attempt(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)

    def lease(self, delivery: WebhookDelivery) -> Taken:
        delivery.lease_token = uuid4()
        return Taken(delivery.id, delivery.lease_token)


@dataclass
class Sender:
    answers: list[AttemptOutcome] = field(default_factory=list)
    sent: list[tuple[str, Mapping[str, str], bytes]] = field(default_factory=list)

    async def send(self, url: str, headers: Mapping[str, str], body: bytes) -> AttemptOutcome:
        self.sent.append((url, headers, body))
        return self.answers.pop(0) if self.answers else AttemptOutcome(200, None, "ok", 1)


class Uow:
    commits = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        pass

    def unavailable(self, error: BaseException) -> bool:
        return False


class Payloads:
    async def data_of(self, event: DomainEvent) -> Any:
        return dict(event.data)


def hook(*types: str, active: bool = True) -> WebhookEndpoint:
    return WebhookEndpoint(
        uuid4(), PROJECT, "https://example.com/in", frozenset(types), "", active, secret_from(bytes(32)), EPOCH, EPOCH
    )


def stored(kind: str, code: str | None = None, position: int = 1, project: UUID = PROJECT) -> StoredEvent:
    error = {"code": code, "message": "m"} if code else None
    data = {"project_id": str(project), "task_id": str(uuid4()), "error": error}
    return StoredEvent(uuid4(), position, DomainEvent(kind, "task", uuid4(), EPOCH, data))


def recorder(endpoints: Endpoints, deliveries: Deliveries) -> RecordWebhookDeliveries:
    return RecordWebhookDeliveries(endpoints, deliveries, Payloads(), FakeClock(), SequentialIds())


async def test_an_event_heard_twice_makes_one_delivery_per_subscribed_endpoint() -> None:
    endpoints, deliveries = Endpoints(), Deliveries()
    failed, succeeded, off = hook("task.failed"), hook("task.succeeded"), hook("task.failed", active=False)
    for one in (failed, succeeded, off):
        await endpoints.add(one)
    event = stored("task.failed")
    record = recorder(endpoints, deliveries)
    await record.handle(event)
    await record.handle(event)  # the relay died before marking it: it is handed out again
    assert [(d.endpoint_id, d.event_type) for d in deliveries.rows.values()] == [(failed.id, "task.failed")]


async def test_a_budget_failure_goes_to_the_endpoints_of_either_type() -> None:
    endpoints, deliveries = Endpoints(), Deliveries()
    both, budget_only = hook("task.failed", "task.budget_exceeded"), hook("task.budget_exceeded")
    await endpoints.add(both)
    await endpoints.add(budget_only)
    await recorder(endpoints, deliveries).handle(stored("task.failed", "budget_exceeded"))
    got = sorted((d.endpoint_id == both.id, d.event_type) for d in deliveries.rows.values())
    assert got == [(False, "task.budget_exceeded"), (True, "task.budget_exceeded"), (True, "task.failed")]


async def test_a_pass_reads_the_endpoints_of_all_its_projects_at_once() -> None:
    endpoints, deliveries = Endpoints(), Deliveries()
    here, there = hook("task.failed"), replace(hook("task.failed"), project_id=uuid4())
    await endpoints.add(here)
    await endpoints.add(there)
    theirs = stored("task.failed", position=4, project=there.project_id)
    batch = [stored("task.failed", position=1), stored("task.failed", position=2), stored("task.succeeded"), theirs]
    record = recorder(endpoints, deliveries)
    await record.prepare(batch)
    for event in batch:
        await record.handle(event)
    assert endpoints.reads == [{PROJECT, there.project_id}]
    got = sorted((d.endpoint_id == here.id, d.event_type) for d in deliveries.rows.values())
    assert got == [(False, "task.failed"), (True, "task.failed"), (True, "task.failed")]


@pytest.mark.parametrize("kind", ["document.ingested", "document.failed", "document.deleted"])
async def test_a_documents_event_makes_one_delivery_per_endpoint_subscribed_to_it(kind: str) -> None:
    endpoints, deliveries = Endpoints(), Deliveries()
    ingested, failed, deleted, tasks = (
        hook("document.ingested"),
        hook("document.failed"),
        hook("document.deleted"),
        hook("task.failed"),
    )
    both = hook("document.ingested", "document.failed", "document.deleted")
    for one in (ingested, failed, deleted, tasks, both):
        await endpoints.add(one)
    document_id = uuid4()
    data = {"document_id": str(document_id), "project_id": str(PROJECT), "status": "ready", "chunk_count": 2}
    event = StoredEvent(uuid4(), 1, DomainEvent(kind, "document", document_id, EPOCH, data))
    record = recorder(endpoints, deliveries)
    await record.handle(event)
    await record.handle(event)  # handed out again: still one each
    subscribed = {"document.ingested": ingested, "document.failed": failed, "document.deleted": deleted}[kind]
    got = sorted((str(d.endpoint_id), d.event_type) for d in deliveries.rows.values())
    assert got == sorted([(str(subscribed.id), kind), (str(both.id), kind)])
    assert all(d.ordering_key == document_id and json.loads(d.body)["type"] == kind for d in deliveries.rows.values())


def deliver(endpoints: Endpoints, deliveries: Deliveries, sender: Sender, **settings: Any) -> DeliverWebhook:
    config = WebhookSettings(schedule=RetrySchedule((1,), jitter=0), **settings)
    return DeliverWebhook(deliveries, endpoints, sender, TablePolicy(), Uow(), FakeClock(), lambda: 0.5, config)


async def pending(endpoints: Endpoints, deliveries: Deliveries, endpoint: WebhookEndpoint) -> WebhookDelivery:
    await endpoints.add(endpoint)
    one = WebhookDelivery.new(uuid4(), endpoint.id, uuid4(), "task.failed", uuid4(), 1, '{"x":1}', EPOCH)
    await deliveries.add_new([one])
    return one


async def test_an_outdated_message_sends_nothing_and_the_latest_sends_signed() -> None:
    endpoints, deliveries, sender = Endpoints(), Deliveries(), Sender()
    one = await pending(endpoints, deliveries, hook("task.failed"))
    old = deliveries.lease(one)
    latest = deliveries.lease(one)
    use_case = deliver(endpoints, deliveries, sender)
    assert await use_case(SYSTEM, one.id, old.token) is None and sender.sent == []
    assert await use_case(SYSTEM, one.id, latest.token) is DeliveryStatus.SUCCEEDED
    [(_, headers, body)] = sender.sent
    assert headers["webhook-id"] == one.message_id and headers["webhook-signature"].startswith("v1,")
    assert body == b'{"x":1}'
    assert await use_case(SYSTEM, one.id, latest.token) is None  # a repeat of the same message: nothing


async def test_deliveries_that_end_failed_disable_their_endpoint_after_n_in_a_row() -> None:
    endpoints, deliveries = Endpoints(), Deliveries()
    endpoint = hook("task.failed")
    gone = AttemptOutcome(410, "HTTP 410", "", 1)
    sender = Sender([gone, gone])
    use_case = deliver(endpoints, deliveries, sender, disable=DisablePolicy(disable_after_failures=2))
    for _ in range(2):
        one = await pending(endpoints, deliveries, endpoint)
        assert await use_case(SYSTEM, one.id, deliveries.lease(one).token) is DeliveryStatus.FAILED
    assert not endpoint.active and endpoint.disabled_reason
    third = await pending(endpoints, deliveries, endpoint)
    assert await use_case(SYSTEM, third.id, deliveries.lease(third).token) is DeliveryStatus.FAILED
    assert len(sender.sent) == 2, "nothing is sent to a disabled endpoint"


def ports(endpoints: Endpoints) -> EndpointPorts:
    class Projects:
        async def get(self, project_id: UUID, *, for_update: bool = False) -> object:
            return object() if project_id == PROJECT else None

    class Secrets:
        def new_secret(self) -> str:
            return secret_from(uuid4().bytes * 2)

    return EndpointPorts(
        endpoints, Projects(), TablePolicy(), Uow(), FakeClock(), SequentialIds(), Secrets(), WebhookSettings()
    )  # type: ignore[arg-type]


def person(role: ProjectRole | None) -> Principal:
    return Principal(uuid4(), "someone", memberships={PROJECT: role} if role else {})


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(ProjectRole.OWNER, True), (ProjectRole.MAINTAINER, True), (ProjectRole.MEMBER, False), (None, False)],
)
async def test_only_owners_and_maintainers_register_endpoints(role: ProjectRole | None, allowed: bool) -> None:
    create = CreateEndpoint(ports(Endpoints()))
    new = NewEndpoint("https://example.com/in", frozenset({"task.failed"}))
    if allowed:
        assert (await create(person(role), PROJECT, new)).secret.startswith("whsec_")
    else:
        with pytest.raises(Forbidden if role else NotFound):
            await create(person(role), PROJECT, new)


async def test_rotation_keeps_the_old_secret_signing_for_a_day() -> None:
    endpoints = Endpoints()
    owner = person(ProjectRole.OWNER)
    made = await CreateEndpoint(ports(endpoints))(
        owner, PROJECT, NewEndpoint("https://e.com/", frozenset({"task.failed"}))
    )
    old = made.secret
    rotated = await RotateSecret(ports(endpoints))(owner, PROJECT, made.id)
    assert rotated.secret != old and rotated.signing_secrets(rotated.updated_at) == [rotated.secret, old]
    later: datetime = rotated.updated_at + timedelta(days=2)
    assert rotated.signing_secrets(later) == [rotated.secret]
