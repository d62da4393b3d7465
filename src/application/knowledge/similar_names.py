"""Resolution by embedding: what the link step asks when neither a name nor an alias resolves a mention.

The name alone is embedded (not its type, nor its description): measured with the local model
(bench/entity_resolution.py), putting the type in the text lifts the similarity of different things of
one type more than that of two names of one thing, and a description is absent from most mentions and
differs between documents; the type is compared exactly anyway (resolution.match_mention). A project's
entity names are kept in their own index (EntityNameVectors), one vector per entity under its id, of the
name it shows, with that name and the model in its metadata. The link step writes it when it creates the
entity (it has the vector already): a name resolved by name or alias is never embedded. Every other change
reaches the index from the entities' events (KeepNameVectors): a person's entity, a rename and a split-off
entity are embedded, a deleted or merged-away entity's vector goes. An index hit whose vector another model
made, or whose entity is gone, is ignored: a link step that failed after keeping a vector leaves one for an
entity that never committed, which nothing can find."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.search.ports import Embedder, Vector, VectorEntry
from agentry.domain.knowledge.resolution import DEFAULT_SIMILARITY_THRESHOLD


@dataclass(frozen=True, slots=True)
class ResolutionSettings:
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD  # AGENTRY_ENTITY_SIMILARITY_THRESHOLD
    candidates: int = 10  # the nearest names asked of the index for each name left unresolved


@dataclass(frozen=True, slots=True)
class SimilarNames:
    embedder: Embedder
    vectors: EntityNameVectors
    settings: ResolutionSettings

    @property
    def threshold(self) -> float:
        return self.settings.similarity_threshold

    async def embed(self, names: Sequence[str]) -> list[Vector]:
        """One vector per name, in one batch (none asked: no call)."""
        return await self.embedder.embed(list(names)) if names else []

    async def near(self, project_id: UUID, vector: Vector) -> dict[UUID, float]:
        """The project's entities whose name is at least `threshold` similar, with the similarity."""
        hits = await self.vectors.search(project_id, vector, self.settings.candidates)
        model = self.embedder.model
        return {hit.id: hit.score for hit in hits if hit.score >= self.threshold and hit.metadata.get("model") == model}

    async def keep(self, project_id: UUID, entity_id: UUID, name: str, vector: Vector) -> None:
        """Keep `vector` as the embedding of the entity's name `name`."""
        await self.vectors.upsert([self._entry(project_id, entity_id, name, vector)])

    async def refresh(self, project_id: UUID, names: Mapping[UUID, str]) -> int:
        """Make each entity's vector that of the name given (in one batch); a vector this model made of
        that name already is left as it is. How many were embedded."""
        if not names:
            return 0
        kept = await self.vectors.kept(project_id, list(names))
        model = self.embedder.model
        stale = {
            entity_id: name
            for entity_id, name in names.items()
            if entity_id not in kept or kept[entity_id].get("model") != model or kept[entity_id].get("name") != name
        }
        if stale:  # a repeated event: nothing to embed or write
            vectors = await self.embed(list(stale.values()))
            await self.vectors.upsert(
                [
                    self._entry(project_id, entity_id, name, vector)
                    for (entity_id, name), vector in zip(stale.items(), vectors, strict=True)
                ]
            )
        return len(stale)

    async def forget(self, project_id: UUID, entity_ids: Sequence[UUID]) -> int:
        """The entities' vectors go (those there are; none named: no call)."""
        return await self.vectors.delete(project_id, entity_ids) if entity_ids else 0

    def _entry(self, project_id: UUID, entity_id: UUID, name: str, vector: Vector) -> VectorEntry:
        """The index's entry for an entity: under its id, with the name embedded and the model that did it."""
        return VectorEntry(entity_id, project_id, entity_id, vector, {"model": self.embedder.model, "name": name})
