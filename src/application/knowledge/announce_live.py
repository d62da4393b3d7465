"""Subscriber: the people watching a project live (WebSocket) hear of its knowledge graph's changes
(`entity.*`, `relationship.*`) from the graph's events.

A courtesy like every live announcement: the database stays the truth (GET …/entities, …/relationships)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.outbox.ports import StoredEvent
from agentry.application.ports.live_events import KnowledgeChanged, LiveEvents
from agentry.domain.knowledge.entity import AGGREGATE as ENTITY
from agentry.domain.knowledge.relationship import AGGREGATE as RELATIONSHIP

ANNOUNCED = frozenset(
    {
        "entity.created",
        "entity.updated",
        "entity.merged",
        "entity.deleted",
        "relationship.created",
        "relationship.updated",
        "relationship.deleted",
    }
)


@dataclass(frozen=True, slots=True)
class AnnounceKnowledgeEvents:
    live: LiveEvents

    @property
    def name(self) -> str:
        return "live.knowledge"

    def wants(self, event_type: str) -> bool:
        return event_type in ANNOUNCED

    async def handle(self, stored: StoredEvent) -> None:
        """Never fails: LiveEvents logs what it cannot send."""
        event = stored.event
        if event.aggregate_type not in (ENTITY, RELATIONSHIP):
            return
        project_id = UUID(str(event.data["project_id"]))
        await self.live.publish(
            KnowledgeChanged(
                event.type, event.aggregate_type, event.aggregate_id, project_id, event.data, event.occurred_at
            )
        )
