"""Resolution by embedding: what the link step asks when neither a name nor an alias resolves a mention.

The name alone is embedded (not its type, nor its description): measured with the local model
(bench/entity_resolution.py), putting the type in the text lifts the similarity of different things of
one type more than that of two names of one thing, and a description is absent from most mentions and
differs between documents; the type is compared exactly anyway (resolution.match_mention). A project's
entity names are kept in their own index (EntityNameVectors), one vector per entity under its id, written
when the link step creates the entity: a name resolved by name or alias is never embedded. An index hit
whose vector another model made, or whose entity is gone, is ignored: a link step that failed after
keeping a vector leaves one for an entity that never committed, which nothing can find."""

from __future__ import annotations

from collections.abc import Sequence
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

    async def keep(self, project_id: UUID, entity_id: UUID, vector: Vector) -> None:
        entry = VectorEntry(entity_id, project_id, entity_id, vector, {"model": self.embedder.model})
        await self.vectors.upsert([entry])
