"""What a deleted document leaves of the graph: its mentions go from every fact, and a fact left
without sources goes with them, unless a person touched it (an override, or a deletion they made: a
suppressed fact stays suppressed). An entity goes only when no relationship still needs it as an end.
The caller (DeleteDocument) commits, with the document's removal."""

from __future__ import annotations

from dataclasses import dataclass, fields
from uuid import UUID

from agentry.application.knowledge.ports.graph import EntityRepository, RelationshipRepository
from agentry.application.ports.clock import Clock
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship


@dataclass(frozen=True, slots=True)
class ForgetDocument:
    entities: EntityRepository
    relationships: RelationshipRepository
    clock: Clock

    async def __call__(self, project_id: UUID, document_id: UUID) -> int:
        """Stage the changes; the number of facts removed."""
        await self.entities.hold_graph(project_id)  # before reading: a link step may be changing these facts
        now = self.clock.now()
        removed = 0
        for relationship in await self.relationships.mentioned_in(project_id, document_id):
            relationship.forget_document(document_id, now)
            if _unsourced(relationship):
                relationship.delete(now)
                await self.relationships.remove(relationship)
                removed += 1
        for entity in await self.entities.mentioned_in(project_id, document_id):
            entity.forget_document(document_id, now)
            if _unsourced(entity) and not await self.relationships.touching(project_id, [entity.id]):
                entity.delete(now)
                await self.entities.remove(entity)
                removed += 1
        return removed


def _unsourced(fact: Entity | Relationship) -> bool:
    """No mention left, and nothing a person did to it."""
    overridden = any(getattr(fact.overrides, f.name) is not None for f in fields(fact.overrides))
    return not fact.sources and not fact.suppressed and not overridden
