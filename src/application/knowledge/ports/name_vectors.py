"""The port where resolution keeps the vectors of entities' names: a VectorIndex of its own, apart from
the chunks' (so a search over chunks never meets an entity, nor the other way round), one vector per
entity, kept under the entity's id with the entity as its owner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from agentry.application.search.ports import Metadata, VectorIndex


class EntityNameVectors(VectorIndex, Protocol):
    """The same port as the chunks' index, another store: pgvector's table `entity_name_vectors`, or the
    embedded index's file `<database>-entity-vectors`."""

    async def kept(self, project_id: UUID, ids: Sequence[UUID]) -> dict[UUID, Metadata]:
        """The metadata kept with each of `ids` the project holds (the others left out), to tell whether a
        vector is still the one wanted without reading or rewriting it."""
        ...
