"""What an extractor reads out of a document's chunks, before it joins the graph.

An extraction is a claim, not a fact: each entity and relationship names the evidence it rests on (a
chunk and a character span in it). The evidence is checked against the chunk's text before anything
is stored, and a fact whose evidence is not there is dropped. Relationships name their ends by the
names the extraction gave its entities; resolving those names to the graph's entities is the link
step's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of one chunk's text: `text[start:end]` is the quoted mention."""

    chunk_id: UUID
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ExtractedEntity:
    name: str
    type: str
    confidence: float  # what the extractor claims, 0–1
    evidence: tuple[Evidence, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class ExtractedRelationship:
    source: str  # the name of an entity of the same extraction
    target: str
    type: str
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Extraction:
    entities: tuple[ExtractedEntity, ...] = ()
    relationships: tuple[ExtractedRelationship, ...] = ()
