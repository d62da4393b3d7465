"""Subscriber: the people watching a project live (WebSocket) hear of its documents' ingestion
outcomes (`document.ingested`, `document.failed`) and deletions, from the documents' events.

A courtesy like every live announcement: the database stays the truth (GET /api/v1/documents)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import DocumentChanged, LiveEvents

ANNOUNCED = frozenset({"document.ingested", "document.failed", "document.deleted"})


@dataclass(frozen=True, slots=True)
class AnnounceDocumentEvents:
    live: LiveEvents

    @property
    def name(self) -> str:
        return "live.documents"

    def wants(self, event_type: str) -> bool:
        return event_type in ANNOUNCED

    async def handle(self, stored: StoredEvent) -> None:
        """Never fails: LiveEvents logs what it cannot send."""
        event = stored.event
        data = event.data
        chunk_count, error = data.get("chunk_count"), data.get("error")
        await self.live.publish(
            DocumentChanged(
                event.type,
                event.aggregate_id,
                UUID(str(data["project_id"])),
                str(data.get("title", "")),
                str(data.get("status", "")),
                chunk_count if isinstance(chunk_count, int) else None,
                error if isinstance(error, str) else None,
                event.occurred_at,
            )
        )
