"""The Embedder over an OpenAI-compatible `POST {base_url}/embeddings` (OpenAI, Ollama, vLLM, llama.cpp's
server, LiteLLM and others speak it).

Texts go in batches of at most `batch_size`; each reply is checked (one vector per input, the configured
dimension, finite numbers) and each vector L2-normalised, since not every server normalises. A refusal,
a timeout or a malformed reply raises EmbeddingFailed naming the status and the server's short reason,
never the key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import httpx

from agentry.application.search.ports import EmbeddingFailed, Vector

REASON_CHARS = 200


class OpenAiCompatibleEmbedder:
    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        dimension: int,
        api_key: str | None = None,
        batch_size: int = 64,
        timeout_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/", headers=headers, timeout=timeout_s, transport=transport
        )
        self._model = model
        self._dimension = dimension
        self._batch_size = batch_size

    @property
    def model(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    async def aclose(self) -> None:
        await self._client.aclose()

    async def embed(self, texts: Sequence[str]) -> list[Vector]:
        vectors: list[Vector] = []
        for start in range(0, len(texts), self._batch_size):
            vectors.extend(await self._batch(list(texts[start : start + self._batch_size])))
        return vectors

    async def _batch(self, texts: list[str]) -> list[Vector]:
        try:
            response = await self._client.post("embeddings", json={"model": self._model, "input": texts})
        except httpx.HTTPError as error:
            raise EmbeddingFailed(f"the embeddings server could not be reached: {type(error).__name__}") from error
        if response.status_code != 200:
            raise EmbeddingFailed(f"the embeddings server answered {response.status_code}: {_reason(response)}")
        try:
            body = response.json()
            data = body["data"]
            rows = sorted(data, key=lambda row: int(row.get("index", 0))) if all("index" in r for r in data) else data
            vectors: list[Vector] = [self._vector(row["embedding"]) for row in rows]
        except (ValueError, KeyError, TypeError) as error:
            raise EmbeddingFailed(f"the embeddings server's reply is not usable: {error}") from error
        if len(vectors) != len(texts):
            raise EmbeddingFailed(f"the embeddings server returned {len(vectors)} vectors for {len(texts)} texts")
        return vectors

    def _vector(self, raw: Any) -> list[float]:
        if not isinstance(raw, list):
            raise TypeError("an embedding is not a list of numbers (is encoding_format base64?)")
        if len(raw) != self._dimension:
            raise ValueError(f"an embedding has {len(raw)} dimensions, {self._dimension} were configured")
        values = [float(value) for value in raw]
        norm = math.sqrt(math.fsum(value * value for value in values))
        if not math.isfinite(norm) or norm == 0.0:
            raise ValueError("an embedding is zero or not finite")
        return [value / norm for value in values]


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else error
        text = str(message) if message else response.text
    except ValueError:
        text = response.text
    return text[:REASON_CHARS] or response.reason_phrase
