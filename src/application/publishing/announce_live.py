"""Subscriber: the people watching a project live (WebSocket) hear of its publications' changes
(every `publication.*` event: created, updated, each move, deleted), from the publications' events.

A courtesy like every live announcement: the database stays the truth (GET …/publications)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import LiveEvents, PublicationChanged


@dataclass(frozen=True, slots=True)
class AnnouncePublicationEvents:
    live: LiveEvents

    @property
    def name(self) -> str:
        return "live.publications"

    def wants(self, event_type: str) -> bool:
        return event_type.startswith("publication.")

    async def handle(self, stored: StoredEvent) -> None:
        """Never fails: LiveEvents logs what it cannot send."""
        event = stored.event
        data = event.data
        await self.live.publish(
            PublicationChanged(
                event.type,
                event.aggregate_id,
                UUID(str(data["project_id"])),
                str(data.get("title", "")),
                str(data.get("status", "")),
                UUID(str(data["by"])),
                event.occurred_at,
            )
        )
