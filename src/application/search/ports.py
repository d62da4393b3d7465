"""The ports semantic search uses: an `Embedder` turns texts into vectors, a `VectorIndex` keeps them
per project and finds the nearest.

Vectors are plain sequences of floats here (the application imports nothing but the standard library);
adapters may hand back lists of floats or anything else that is a `Sequence[float]`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from agentry.domain.knowledge.values import ExtractorKind

Vector = Sequence[float]
# Small metadata kept with a vector and handed back with a hit (the chunk's ordinal, a kind, a span).
MetadataValue = str | int | float | bool
Metadata = Mapping[str, MetadataValue]


class EmbeddingFailed(Exception):
    """The embedder could not embed the batch (unreachable, refused, or replied with something unusable).

    A step that embeds retries it with back-off; the message says what went wrong, never the key."""


class VectorDimensionMismatch(ValueError):
    """A vector whose length is not the index's dimension."""

    def __init__(self, expected: int, got: int) -> None:
        super().__init__(f"the vector has {got} dimensions; the index holds {expected}")
        self.expected = expected
        self.got = got


class Embedder(Protocol):
    """Embeds texts, in batches, into unit-length vectors of `dimension` floats."""

    @property
    def model(self) -> str:
        """The model's name: vectors of different models are not comparable."""
        ...

    @property
    def dimension(self) -> int: ...

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        """One vector per text, in the order of `texts`, each of length `dimension` and L2 norm 1.

        An empty batch gives an empty list. Raises EmbeddingFailed."""
        ...


@dataclass(frozen=True, slots=True)
class VectorEntry:
    """A vector to keep: `id` is the key (a chunk's or an entity's id); `owner_id` is what it derives from
    (its document), so that deleting the owner deletes all its vectors."""

    id: UUID
    project_id: UUID
    owner_id: UUID
    vector: Vector
    metadata: Metadata = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VectorHit:
    """A neighbour: `score` is the cosine similarity to the query (1 the same direction, -1 opposite)."""

    id: UUID
    owner_id: UUID
    score: float
    metadata: Metadata


class VectorIndex(Protocol):
    """Vectors of one dimension, each in one project; a search never crosses projects."""

    @property
    def dimension(self) -> int: ...

    async def upsert(self, entries: Sequence[VectorEntry]) -> None:
        """Keep each entry, replacing whatever was kept under its id (its project, owner, vector,
        metadata). Raises VectorDimensionMismatch (and keeps none of them) for a vector of another length."""
        ...

    async def delete(self, project_id: UUID, ids: Sequence[UUID]) -> int:
        """Forget these ids of the project; how many were there."""
        ...

    async def delete_owner(self, project_id: UUID, owner_id: UUID) -> int:
        """Forget every vector of the project that derives from `owner_id`; how many there were."""
        ...

    async def delete_project(self, project_id: UUID) -> int:
        """Forget every vector of the project; how many there were."""
        ...

    async def count(self, project_id: UUID) -> int: ...

    async def search(self, project_id: UUID, query: Vector, k: int) -> list[VectorHit]:
        """The `k` vectors of the project most similar to `query` (cosine), the most similar first; fewer if
        the project holds fewer. Never a vector of another project. Raises VectorDimensionMismatch."""
        ...


@dataclass(frozen=True, slots=True)
class ChunkKey:
    document_id: UUID
    ordinal: int


@dataclass(frozen=True, slots=True)
class TextHit:
    """A chunk the full-text search matched; `score` is the store's own relevance (higher is better)."""

    key: ChunkKey
    score: float


@dataclass(frozen=True, slots=True)
class FoundChunk:
    key: ChunkKey
    title: str  # its document's
    start: int
    end: int
    text: str


class SearchableChunks(Protocol):
    """The chunks of documents as full-text search sees them."""

    async def text_search(self, project_id: UUID, query: str, k: int) -> list[TextHit]:
        """Up to `k` chunks of the project's documents matching `query`, the best first."""
        ...

    async def found(self, project_id: UUID, keys: Sequence[ChunkKey]) -> list[FoundChunk]:
        """Those of `keys` that are chunks of the project's documents (in any order; the others left out)."""
        ...


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """Where an entity was read: `chunk_id`'s text[start:end] of `document_id`, and by which kind of extractor."""

    document_id: UUID
    chunk_id: UUID
    start: int
    end: int
    extractor: ExtractorKind


@dataclass(frozen=True, slots=True)
class FoundEntity:
    """An entity of the knowledge graph as search sees it: what it shows, and its mentions."""

    id: UUID
    name: str
    type: str
    aliases: tuple[str, ...]
    description: str
    spans: tuple[EntitySpan, ...]


class SearchableEntities(Protocol):
    """The project's knowledge-graph entities as search sees them: graph facts only (no candidate, no
    deleted entity)."""

    async def matching(self, project_id: UUID, words: Sequence[str], k: int) -> list[FoundEntity]:
        """Up to `k` of the project's graph entities whose name, an alias, the type or the description
        holds one of `words` (case-folded), in any order: the caller scores them."""
        ...

    async def by_ids(self, project_id: UUID, ids: Sequence[UUID]) -> list[FoundEntity]:
        """Those of `ids` that are graph entities of the project (in any order; the others left out: a
        candidate, a deleted entity, another project's, an id never committed)."""
        ...
