"""The port where resolution keeps the vectors of entities' names: a VectorIndex of its own, apart from
the chunks' (so a search over chunks never meets an entity, nor the other way round), one vector per
entity, kept under the entity's id with the entity as its owner."""

from __future__ import annotations

from typing import Protocol

from agentry.application.search.ports import VectorIndex


class EntityNameVectors(VectorIndex, Protocol):
    """The same port as the chunks' index, another store: pgvector's table `entity_name_vectors`, or the
    embedded index's file `<database>-entity-vectors`."""
