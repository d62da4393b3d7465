"""Bodies of the webhooks endpoints: an endpoint (its secret only when just made), a delivery and its attempts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.webhooks.delivery_log import LoggedDelivery
from agentry.domain.webhooks.delivery import Attempt, WebhookDelivery
from agentry.domain.webhooks.endpoint import DESCRIPTION_MAX, URL_MAX, WebhookEndpoint
from agentry.domain.webhooks.events import SUBSCRIBABLE

if TYPE_CHECKING:
    EventType = str
else:  # the domain's list, validated on decoding and documented as an enum
    EventType = Literal[SUBSCRIBABLE]
Url = Annotated[str, Meta(min_length=1, max_length=URL_MAX, description="https:// (http:// if the operator allows)")]
EventTypes = Annotated[list[EventType], Meta(min_length=1, max_length=32)]
Description = Annotated[str, Meta(max_length=DESCRIPTION_MAX)]


class WebhookCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    url: Url
    event_types: EventTypes
    description: Description = ""
    active: bool = True


class WebhookUpdate(Struct, kw_only=True, forbid_unknown_fields=True):
    url: Url | UnsetType = UNSET
    event_types: EventTypes | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class WebhookBody(Struct, kw_only=True, omit_defaults=True):
    id: UUID
    project_id: UUID
    url: str
    event_types: list[str]
    description: str
    active: bool
    disabled_reason: str | None
    consecutive_failures: int
    previous_secret_valid_until: datetime | None
    created_at: datetime
    updated_at: datetime
    secret: str | None = None  # only in the answer that made it (creation, rotation): keep it, it is not shown again

    @classmethod
    def from_domain(cls, endpoint: WebhookEndpoint, *, with_secret: bool = False) -> WebhookBody:
        return cls(
            id=endpoint.id,
            project_id=endpoint.project_id,
            url=endpoint.url,
            event_types=sorted(endpoint.event_types),
            description=endpoint.description,
            active=endpoint.active,
            disabled_reason=endpoint.disabled_reason,
            consecutive_failures=endpoint.consecutive_failures,
            previous_secret_valid_until=endpoint.previous_secret_until if endpoint.previous_secret else None,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
            secret=endpoint.secret if with_secret else None,
        )


class AttemptBody(Struct, kw_only=True):
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    response_body: str  # the first 1 KiB

    @classmethod
    def from_domain(cls, attempt: Attempt) -> AttemptBody:
        return cls(
            number=attempt.number,
            started_at=attempt.started_at,
            duration_ms=attempt.duration_ms,
            status_code=attempt.status_code,
            error=attempt.error,
            response_body=attempt.excerpt,
        )


class DeliveryBody(Struct, kw_only=True):
    id: UUID
    webhook_id: str  # the webhook-id header of every attempt
    event_id: UUID
    event_type: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    attempt_log: list[AttemptBody]

    @classmethod
    def from_domain(cls, delivery: WebhookDelivery, attempts: list[Attempt] | None = None) -> DeliveryBody:
        return cls(
            id=delivery.id,
            webhook_id=delivery.message_id,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            status=delivery.status.value,
            attempts=delivery.attempts,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at,
            last_attempt_at=delivery.last_attempt_at,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            attempt_log=[AttemptBody.from_domain(a) for a in attempts or []],
        )

    @classmethod
    def from_log(cls, logged: LoggedDelivery) -> DeliveryBody:
        return cls.from_domain(logged.delivery, logged.attempts)
