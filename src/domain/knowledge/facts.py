"""What an extractor reads out of a document's chunks, before it joins the graph.

An extraction is a claim, not a fact: each entity and relationship names the evidence it rests on (a
chunk and a character span in it). The evidence is checked against the chunk's text before anything
is stored, and a fact whose evidence is not there is dropped. Relationships name their ends by the
names the extraction gave its entities; resolving those names to the graph's entities is the link
step's work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
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


def extraction_to_json(extraction: Extraction) -> dict[str, Any]:
    """The extraction as plain JSON (ids as strings), the form it is kept in between extract and link."""
    return {
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "confidence": e.confidence,
                "evidence": [_evidence_to_json(x) for x in e.evidence],
                "aliases": list(e.aliases),
                "description": e.description,
            }
            for e in extraction.entities
        ],
        "relationships": [
            {
                "source": r.source,
                "target": r.target,
                "type": r.type,
                "confidence": r.confidence,
                "evidence": [_evidence_to_json(x) for x in r.evidence],
            }
            for r in extraction.relationships
        ],
    }


def extraction_from_json(raw: Mapping[str, Any]) -> Extraction:
    return Extraction(
        tuple(
            ExtractedEntity(
                e["name"],
                e["type"],
                float(e["confidence"]),
                tuple(_evidence_from_json(x) for x in e["evidence"]),
                tuple(e.get("aliases", ())),
                e.get("description", ""),
            )
            for e in raw.get("entities", ())
        ),
        tuple(
            ExtractedRelationship(
                r["source"],
                r["target"],
                r["type"],
                float(r["confidence"]),
                tuple(_evidence_from_json(x) for x in r["evidence"]),
            )
            for r in raw.get("relationships", ())
        ),
    )


def _evidence_to_json(evidence: Evidence) -> list[Any]:
    return [str(evidence.chunk_id), evidence.start, evidence.end]


def _evidence_from_json(raw: Sequence[Any]) -> Evidence:
    return Evidence(UUID(raw[0]), int(raw[1]), int(raw[2]))
