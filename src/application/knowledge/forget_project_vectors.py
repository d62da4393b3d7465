"""Subscriber: a deleted project's vectors go with it, from its `project.deleted` event.

The database drops the project's rows (documents, chunks, entities) in the deleting transaction; the
vectors live in other stores (pgvector tables that may be on another server, or the embedded index's
files), so they are removed here: the search chunks' (VectorIndex) and the entity names' (EntityNameVectors).
Through the outbox, a crash between the commit and the removal is not a leak: the event is offered again
(with back-off, the store failing) until both are gone; a repeated event removes nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.outbox.ports import StoredEvent
from agentry.application.search.ports import VectorIndex
from agentry.domain.projects.events import AGGREGATE as PROJECT

PROJECT_DELETED = "project.deleted"


@dataclass(frozen=True, slots=True)
class ForgetProjectVectors:
    chunks: VectorIndex
    names: EntityNameVectors

    @property
    def name(self) -> str:
        return "knowledge.project_vectors"

    def wants(self, event_type: str) -> bool:
        return event_type == PROJECT_DELETED

    async def handle(self, stored: StoredEvent) -> None:
        event = stored.event
        if event.aggregate_type != PROJECT:
            return
        await self.chunks.delete_project(event.aggregate_id)  # a project's events are under its id
        await self.names.delete_project(event.aggregate_id)
