"""The query's embedding, made once per request: the chunk search and the entity search of one
`GET /projects/{id}/search` both embed the query, and the second gets the first's vector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agentry.application.search.ports import Embedder, EmbeddingFailed, Vector


@dataclass(slots=True)
class OnceEmbedder:
    """An Embedder that answers a batch it embedded last without embedding it again (the last batch only,
    so it stays small: one lives as long as one request); a batch that failed fails again at once, so a
    request does not wait twice for an embeddings server that is away."""

    embedder: Embedder
    _last: tuple[tuple[str, ...], list[Vector] | EmbeddingFailed] | None = field(default=None, init=False)

    @property
    def model(self) -> str:
        return self.embedder.model

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        key = tuple(texts)
        if self._last is not None and self._last[0] == key:
            known = self._last[1]
            if isinstance(known, EmbeddingFailed):
                raise known
            return list(known)
        try:
            vectors = await self.embedder.embed(texts)
        except EmbeddingFailed as error:
            self._last = (key, error)
            raise
        self._last = (key, vectors)
        return list(vectors)
