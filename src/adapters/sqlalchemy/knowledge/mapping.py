"""The knowledge graph's imperative mapping: entities and relationships (both record events)."""

from __future__ import annotations

from sqlalchemy.orm import registry

from agentry.adapters.sqlalchemy.knowledge.tables import kg_entities, kg_relationships
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship


def map_knowledge(mappers: registry) -> None:
    mappers.map_imperatively(Entity, kg_entities)
    mappers.map_imperatively(Relationship, kg_relationships)
