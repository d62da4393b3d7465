"""The ports only the webhooks slice uses."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from agentry.domain.events import DomainEvent
from agentry.domain.webhooks.delivery import Attempt, AttemptOutcome, RetrySchedule, WebhookDelivery
from agentry.domain.webhooks.endpoint import DisablePolicy, WebhookEndpoint


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    schedule: RetrySchedule = field(default_factory=RetrySchedule)
    disable: DisablePolicy = field(default_factory=DisablePolicy)
    timeout_s: float = 10.0
    allow_http: bool = False
    allow_private: bool = False  # URLs whose host is a non-public address literal, or localhost
    max_in_flight_per_endpoint: int = 4
    dispatch_batch: int = 200
    lease_margin_s: float = 30.0  # a delivery taken by a worker that died is offered again after this


class WebhookEndpointRepository(Protocol):
    async def add(self, endpoint: WebhookEndpoint) -> None: ...

    async def get(self, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None: ...

    async def of_project(self, project_id: UUID) -> list[WebhookEndpoint]:
        """Oldest first."""
        ...

    async def active_in(self, project_ids: Collection[UUID]) -> dict[UUID, list[WebhookEndpoint]]:
        """The active endpoints of each of the projects, in one read: every project asked for is a key
        (with no endpoint, an empty list)."""
        ...

    async def save(self, endpoint: WebhookEndpoint) -> None: ...

    async def remove(self, endpoint_id: UUID) -> None:
        """With its deliveries."""
        ...


@dataclass(frozen=True, slots=True)
class Taken:
    """A delivery handed to a worker: the token proves the message is the latest one sent for it."""

    delivery_id: UUID
    token: UUID


class WebhookDeliveryRepository(Protocol):
    async def add_new(self, deliveries: Sequence[WebhookDelivery]) -> int:
        """Store those not stored yet (one per endpoint, event and type: a repeat is ignored); how many were new."""
        ...

    async def get(self, delivery_id: UUID, *, for_update: bool = False) -> WebhookDelivery | None: ...

    async def save(self, delivery: WebhookDelivery) -> None: ...

    async def add_attempt(self, attempt: Attempt) -> None: ...

    async def take_due(
        self, now: datetime, leased_until: datetime, token: UUID, limit: int, per_endpoint: int
    ) -> list[Taken]:
        """Lease up to `limit` pending deliveries due by `now` and not leased (or whose lease ran out),
        oldest first, under `token`: at most `per_endpoint` leased at once per endpoint, and
        none while an earlier delivery of the same endpoint and ordering key is still pending. None if
        another dispatcher is at it now."""
        ...

    async def of_endpoint(self, endpoint_id: UUID, limit: int) -> list[WebhookDelivery]:
        """The latest `limit`, newest first."""
        ...

    async def attempts_of(self, delivery_ids: Sequence[UUID]) -> dict[UUID, list[Attempt]]: ...


class WebhookSender(Protocol):
    async def send(self, url: str, headers: Mapping[str, str], body: bytes) -> AttemptOutcome:
        """POST `body`; never raises for what the receiver (or the network, or the address check) did."""
        ...


class DeliveryQueue(Protocol):
    async def send(self, taken: Sequence[Taken]) -> None:
        """Hand the deliveries to the workers; raises if the broker cannot be reached (the leases run out
        and they are offered again)."""
        ...


class EventPayloads(Protocol):
    async def data_of(self, event: DomainEvent) -> Any:
        """The `data` of the webhook body: the task (for a task's events) or the document (for a
        document's, while it exists) as the API shows it, else the event's own data."""
        ...


class SecretSource(Protocol):
    def new_secret(self) -> str:
        """A fresh `whsec_...` secret."""
        ...


class Spread(Protocol):
    def __call__(self) -> float:
        """A random number in [0, 1), for the jitter of retries."""
        ...
