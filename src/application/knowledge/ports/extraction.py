"""The port through which facts are read out of a document's chunks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from agentry.domain.knowledge.facts import Extraction


@dataclass(frozen=True, slots=True)
class ChunkText:
    id: UUID
    text: str


class FactExtractor(Protocol):
    """Reads entities and relationships, with their evidence spans and confidence, out of chunks of
    one document. It may return claims whose evidence is wrong: the caller checks every span."""

    name: str  # which extractor made a fact ("offline-rules", "anthropic:<model>"), kept with it

    async def extract(self, chunks: Sequence[ChunkText]) -> Extraction: ...
