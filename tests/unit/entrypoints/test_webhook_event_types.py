"""The event types the webhooks API accepts are exactly those the domain delivers."""

from __future__ import annotations

from typing import get_args

from agentry.domain.webhooks.events import EVENT_TYPES
from agentry.entrypoints.http.webhooks.schemas import EventType


def test_the_api_offers_every_webhook_event_type_and_no_other() -> None:
    assert set(get_args(EventType)) == EVENT_TYPES
