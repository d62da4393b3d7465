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


class ExtractionFailed(Exception):
    """The extractor could not read the chunks: unreachable, refused, or a reply that is not what was
    asked for. `retryable` says whether another attempt may succeed (the step retries it with back-off
    when it may, and fails the job at once when it may not); the message never holds a key."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable


class FactExtractor(Protocol):
    """Reads entities and relationships, with their evidence spans and confidence, out of chunks of
    one document. It may return claims whose evidence is wrong: the caller checks every span."""

    name: str  # which extractor made a fact ("offline-rules", "anthropic:<model>"), kept with it

    async def extract(self, chunks: Sequence[ChunkText]) -> Extraction:
        """Raises ExtractionFailed when it cannot."""
        ...
