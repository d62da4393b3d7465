"""The `data` of a webhook delivery for the knowledge graph's events: the entity or relationship as the API
shows it when the delivery is recorded, an instant after the change; for one deleted or merged away
meanwhile (and for `*.deleted`), the event's own data."""

from __future__ import annotations

from typing import Any

import msgspec

from agentry.application.knowledge.ports.graph import EntityRepository, RelationshipRepository
from agentry.domain.events import DomainEvent
from agentry.domain.knowledge.entity import AGGREGATE as ENTITY
from agentry.domain.knowledge.relationship import AGGREGATE as RELATIONSHIP
from agentry.entrypoints.http.knowledge.schemas import EntityBody, RelationshipBody


class KnowledgePayloads:
    aggregates = frozenset({ENTITY, RELATIONSHIP})

    def __init__(self, entities: EntityRepository, relationships: RelationshipRepository) -> None:
        self._entities = entities
        self._relationships = relationships

    async def data_of(self, event: DomainEvent) -> Any:
        if not event.type.endswith(".deleted"):
            if event.aggregate_type == ENTITY:
                entity = await self._entities.get(event.aggregate_id)
                if entity is not None and not entity.suppressed:
                    return msgspec.to_builtins(EntityBody.from_domain(entity))
            elif event.aggregate_type == RELATIONSHIP:
                relationship = await self._relationships.get(event.aggregate_id)
                if relationship is not None and not relationship.suppressed:
                    return msgspec.to_builtins(RelationshipBody.from_domain(relationship))
        return dict(event.data)
