"""Subscriber: entity resolution's name index follows the graph's entities, from their events.

An event names the entities it touched (`entity.merged` names the merged-away ones too); each is read as it
is now, not as the event tells it, so a repeated, late or reordered event leaves the index as true as the
first: an entity that is gone (deleted: suppressed; merged away or left without sources: removed) loses
its vector, and one that shows a name gets that name's vector, embedded only when the index does not hold
one of that name by this model already. So a person's entity, a rename and a split-off entity are
embedded, and the link step's own entities (kept with their vector before commit) cost a read.

Updates that cannot change the name (a reading of a document, its sources, a status, a type) are let pass.
It embeds in the relay's pass, one name per event or a few: the embedder failing fails the delivery, which
the relay retries with back-off (this subscriber comes last, so the others are not held back by it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from agentry.application.knowledge.ports.graph import EntityRepository
from agentry.application.knowledge.similar_names import SimilarNames
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.knowledge.entity import AGGREGATE as ENTITY

WANTED = frozenset({"entity.created", "entity.updated", "entity.merged", "entity.deleted"})
NAMING = frozenset({"name", "aliases"})  # the changes of an `entity.updated` that may concern the index


@dataclass(frozen=True, slots=True)
class KeepNameVectors:
    entities: EntityRepository
    similar: SimilarNames

    @property
    def name(self) -> str:
        return "knowledge.name_vectors"

    def wants(self, event_type: str) -> bool:
        return event_type in WANTED

    async def handle(self, stored: StoredEvent) -> None:
        event = stored.event
        if event.aggregate_type != ENTITY:
            return
        if event.type == "entity.updated" and not NAMING.intersection(_listed(event.data.get("changed"))):
            return
        project_id = UUID(str(event.data["project_id"]))
        touched = [event.aggregate_id, *(UUID(other) for other in _listed(event.data.get("merged")))]
        names: dict[UUID, str] = {}
        gone: list[UUID] = []
        for entity_id in dict.fromkeys(touched):
            entity = await self.entities.get(entity_id)
            if entity is None or entity.suppressed or entity.project_id != project_id:
                gone.append(entity_id)
            else:
                names[entity_id] = entity.name
        await self.similar.forget(project_id, gone)
        await self.similar.refresh(project_id, names)


def _listed(value: Any) -> list[str]:
    """A list of strings in an event's data (absent: none)."""
    return [str(item) for item in value] if isinstance(value, list) else []
