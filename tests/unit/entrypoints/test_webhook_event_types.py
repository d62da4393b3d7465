"""The event types the webhooks API accepts, and documents as an enum, are exactly those the domain delivers."""

from __future__ import annotations

from typing import get_args

from agentry.domain.webhooks.events import EVENT_TYPES
from agentry.entrypoints.http.webhooks.schemas import EventType
from agentry.entrypoints.openapi_document import code_document


def test_the_api_offers_every_webhook_event_type_and_no_other() -> None:
    assert set(get_args(EventType)) == EVENT_TYPES


def test_the_document_lists_them_as_an_enum() -> None:
    schemas = code_document()["components"]["schemas"]
    for body in ("WebhookCreate", "WebhookUpdate"):
        items = schemas[body]["properties"]["event_types"]["items"]
        assert sorted(items["enum"]) == sorted(EVENT_TYPES), body
