"""Hybrid search over a project's chunks: the query's vector against the VectorIndex, and full-text
search over the chunks' text, merged by reciprocal rank fusion (each list gives a chunk 1 / (60 + rank),
ranks from 1; a chunk in both lists adds both). Every hit is read back from the project's chunks, so a
vector left behind by a deleted document, or of another project, is never shown. When the query cannot
be embedded (the embeddings server is away), the search answers from the full text alone, logged, every
hit's `vector_score` None, rather than failing the request.

A project's viewers and everyone above them may search it; for anyone else it does not exist (404)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require_existing_project
from agentry.application.errors import NotFound
from agentry.application.ports.access_policy import AccessPolicy, Action, Resource
from agentry.application.projects.ports import ProjectRepository
from agentry.application.search.ports import (
    ChunkKey,
    Embedder,
    EmbeddingFailed,
    SearchableChunks,
    Vector,
    VectorHit,
    VectorIndex,
)
from agentry.domain.documents.chunks import chunk_id
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal

QUERY_MAX = 500  # characters
LIMIT_MAX = 50
RRF_K = 60
SNIPPET = 240  # characters around the first query term found in the chunk
_WORD = re.compile(r"\w+")
log = logging.getLogger("agentry.search")


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: UUID
    title: str
    chunk_id: UUID
    ordinal: int
    start: int
    end: int
    snippet: str
    vector_score: float | None  # cosine similarity; None when only the text search found it
    text_score: float | None  # the full-text store's relevance; None when only the vectors found it
    fused_score: float


def checked_query(q: str, limit: int) -> str:
    q = q.strip()
    if not q:
        raise InvalidValue("q", "must not be empty")
    if len(q) > QUERY_MAX:
        raise InvalidValue("q", f"at most {QUERY_MAX} characters")
    if "\x00" in q:
        raise InvalidValue("q", "must not contain NUL characters")
    if not 1 <= limit <= LIMIT_MAX:
        raise InvalidValue("limit", f"from 1 to {LIMIT_MAX}")
    return q


async def query_vector(embedder: Embedder, q: str, search: str) -> Vector | None:
    """The query's embedding; None (logged) when the embedder fails: the `search` then ranks by text alone."""
    try:
        [vector] = await embedder.embed([q])
    except EmbeddingFailed as error:
        log.warning("%s search by text only: the query could not be embedded (%s)", search, error)
        return None
    return vector


def query_words(q: str) -> list[str]:
    """The query's words, case-folded, each once."""
    return list(dict.fromkeys(_WORD.findall(q.casefold())))


def snippet(text: str, query: str) -> str:
    """About SNIPPET characters of `text`, around the first of the query's words it contains."""
    if len(text) <= SNIPPET:
        return text
    lowered = text.lower()
    found = [at for word in _WORD.findall(query.lower()) if (at := lowered.find(word)) >= 0]
    at = min(found) if found else 0
    start = max(0, min(at - SNIPPET // 4, len(text) - SNIPPET))
    end = start + SNIPPET
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


@dataclass(frozen=True, slots=True)
class SearchChunks:
    embedder: Embedder
    vectors: VectorIndex
    chunks: SearchableChunks
    policy: AccessPolicy
    projects: ProjectRepository

    async def __call__(self, actor: Principal, project_id: UUID, q: str, limit: int = 10) -> list[SearchHit]:
        q = checked_query(q, limit)
        if not self.policy.allows(actor, Action.READ_DOCUMENT, Resource.of_project(project_id)):
            raise NotFound("project", project_id)
        await require_existing_project(self.projects, project_id)
        candidates = max(20, limit * 3)
        by_vector = await self._near(project_id, q, candidates)
        by_text = await self.chunks.text_search(project_id, q, candidates)

        vector_scores: dict[UUID, float] = {}
        text_scores: dict[UUID, float] = {}
        fused: dict[UUID, float] = {}
        keys: dict[UUID, ChunkKey] = {}
        for rank, hit in enumerate(by_vector, start=1):
            ordinal = hit.metadata.get("ordinal")
            if not isinstance(ordinal, int) or chunk_id(hit.owner_id, ordinal) != hit.id:
                continue  # not a chunk's vector (a later round's entity, say)
            keys[hit.id] = ChunkKey(hit.owner_id, ordinal)
            vector_scores[hit.id] = hit.score
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (RRF_K + rank)
        for rank, text_hit in enumerate(by_text, start=1):
            key = chunk_id(text_hit.key.document_id, text_hit.key.ordinal)
            keys[key] = text_hit.key
            text_scores[key] = text_hit.score
            fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank)

        ranked = sorted(fused, key=lambda k: (-fused[k], str(k)))
        found = {
            chunk_id(c.key.document_id, c.key.ordinal): c
            for c in await self.chunks.found(project_id, [keys[k] for k in ranked])
        }
        hits: list[SearchHit] = []
        for key in ranked:
            chunk = found.get(key)
            if chunk is None:
                continue
            hits.append(
                SearchHit(
                    chunk.key.document_id,
                    chunk.title,
                    key,
                    chunk.key.ordinal,
                    chunk.start,
                    chunk.end,
                    snippet(chunk.text, q),
                    vector_scores.get(key),
                    text_scores.get(key),
                    fused[key],
                )
            )
            if len(hits) == limit:
                break
        return hits

    async def _near(self, project_id: UUID, q: str, k: int) -> list[VectorHit]:
        vector = await query_vector(self.embedder, q, "chunk")
        return [] if vector is None else await self.vectors.search(project_id, vector, k)
