"""Semantic search's ports in memory: a deterministic embedder (hashed bag of words: texts sharing words
point alike; no model), a vector index in a dict (tests/contract/test_vector_index.py holds the real ones
to the port), and full-text search over the in-memory documents' chunks (words as substrings, as the
SQLite adapter does)."""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Mapping, Sequence
from uuid import UUID

from agentry.application.search.ports import (
    ChunkKey,
    EmbeddingFailed,
    FoundChunk,
    Metadata,
    TextHit,
    Vector,
    VectorEntry,
    VectorHit,
)
from tests.fakes.memory_documents import Session

_WORD = re.compile(r"\w+")


class ScriptedEmbedder:
    """Each text's vector from the script (a text it does not hold is an error: a test embeds only what it
    scripted); `down` makes every call fail as an unreachable server would."""

    def __init__(self, vectors: Mapping[str, Vector], model: str = "scripted") -> None:
        self._vectors = vectors
        self._model = model
        self.asked: list[list[str]] = []
        self.down = False

    @property
    def model(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return len(next(iter(self._vectors.values())))

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        self.asked.append(list(texts))
        if self.down:
            raise EmbeddingFailed("the embeddings server is unreachable")
        return [self._vectors[text] for text in texts]


class HashingEmbedder:
    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension
        self.calls: list[int] = []  # the size of each batch asked for
        self.failures: list[EmbeddingFailed] = []  # raised (first first) before embedding

    @property
    def model(self) -> str:
        return "hashing-bag-of-words"

    @property
    def dimension(self) -> int:
        return self._dimension

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        if self.failures:
            raise self.failures.pop(0)
        self.calls.append(len(texts))
        return [self.vector(text) for text in texts]

    def vector(self, text: str) -> list[float]:
        v = [0.0] * self._dimension
        for word in _WORD.findall(text.lower()):
            v[zlib.crc32(word.encode()) % self._dimension] += 1.0
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        if not any(v):
            v[0] = 1.0
        return [x / norm for x in v]


class MemoryVectorIndex:
    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension
        self.entries: dict[UUID, VectorEntry] = {}
        self.upserts = 0  # entries written, counting rewrites
        self.forgotten: set[UUID] = set()  # deleted projects: their entries are dropped, as the adapters do

    @property
    def dimension(self) -> int:
        return self._dimension

    async def upsert(self, entries: Sequence[VectorEntry]) -> None:
        for entry in entries:
            if entry.project_id not in self.forgotten:
                self.entries[entry.id] = entry
                self.upserts += 1

    async def delete(self, project_id: UUID, ids: Sequence[UUID]) -> int:
        gone = [i for i in ids if i in self.entries and self.entries[i].project_id == project_id]
        for i in gone:
            del self.entries[i]
        return len(gone)

    async def delete_owner(self, project_id: UUID, owner_id: UUID) -> int:
        ids = [i for i, e in self.entries.items() if e.project_id == project_id and e.owner_id == owner_id]
        return await self.delete(project_id, ids)

    async def delete_project(self, project_id: UUID) -> int:
        self.forgotten.add(project_id)
        return await self.delete(project_id, [i for i, e in self.entries.items() if e.project_id == project_id])

    async def kept(self, project_id: UUID, ids: Sequence[UUID]) -> dict[UUID, Metadata]:
        return {
            i: self.entries[i].metadata for i in ids if i in self.entries and self.entries[i].project_id == project_id
        }

    async def count(self, project_id: UUID) -> int:
        return sum(1 for e in self.entries.values() if e.project_id == project_id)

    async def search(self, project_id: UUID, query: Vector, k: int) -> list[VectorHit]:
        hits = [
            VectorHit(e.id, e.owner_id, sum(a * b for a, b in zip(e.vector, query, strict=True)), e.metadata)
            for e in self.entries.values()
            if e.project_id == project_id
        ]
        return sorted(hits, key=lambda h: -h.score)[:k]


class MemorySearchableChunks:
    def __init__(self, session: Session) -> None:
        self._s = session

    async def text_search(self, project_id: UUID, query: str, k: int) -> list[TextHit]:
        terms = list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))
        hits: list[TextHit] = []
        for document_id, chunks in self._s.work.chunks.items():
            document = self._s.work.documents.get(document_id)
            if document is None or document.project_id != project_id:
                continue
            for chunk in chunks:
                score = sum(1.0 for t in terms if t in chunk.text.lower())
                if score:
                    hits.append(TextHit(ChunkKey(document_id, chunk.ordinal), score))
        hits.sort(key=lambda h: (-h.score, str(h.key.document_id), h.key.ordinal))
        return hits[:k]

    async def found(self, project_id: UUID, keys: Sequence[ChunkKey]) -> list[FoundChunk]:
        out: list[FoundChunk] = []
        for key in keys:
            document = self._s.work.documents.get(key.document_id)
            if document is None or document.project_id != project_id:
                continue
            for chunk in self._s.work.chunks.get(key.document_id, []):
                if chunk.ordinal == key.ordinal:
                    out.append(FoundChunk(key, document.title, chunk.start, chunk.end, chunk.text))
        return out
