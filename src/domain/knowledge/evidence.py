"""Checking an extraction against the text it claims to come from.

An entity's evidence holds when its span lies inside its chunk's text, quotes something other than
whitespace, and that quote names the entity: the quote, folded (case and whitespace, resolution.fold),
contains the entity's name or one of its aliases, folded, as whole words ("Dr. Ada Lovelace" names
"Ada Lovelace"; "Adam" does not name "Ada"). A relationship's evidence holds when its span lies inside
its chunk's text and quotes something other than whitespace, and the relationship itself stands only
if both its ends name (by name or alias, folded) entities that kept some evidence. Evidence that does
not hold is dropped, a repeated span counts once, and a fact left without evidence is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from uuid import UUID

from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, Extraction
from agentry.domain.knowledge.resolution import fold


def check_evidence(extraction: Extraction, texts: Mapping[UUID, str]) -> Extraction:
    """The extraction with only the evidence `texts` (chunk id → text) bears out, and only the facts
    that keep some."""
    entities = []
    for entity in extraction.entities:
        kept = _unique(evidence for evidence in entity.evidence if _names(entity, _quote(evidence, texts)))
        if kept:
            entities.append(replace(entity, evidence=kept))
    known = {fold(name) for entity in entities for name in (entity.name, *entity.aliases)}
    relationships = []
    for relationship in extraction.relationships:
        if fold(relationship.source) not in known or fold(relationship.target) not in known:
            continue
        kept = _unique(evidence for evidence in relationship.evidence if _quote(evidence, texts))
        if kept:
            relationships.append(replace(relationship, evidence=kept))
    return Extraction(tuple(entities), tuple(relationships))


def quote_names(quote: str, name: str) -> bool:
    """Whether the quote contains the name as whole words, both folded."""
    wanted = fold(name)
    if not wanted:
        return False
    return re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", fold(quote)) is not None


def _names(entity: ExtractedEntity, quote: str) -> bool:
    return bool(quote) and any(quote_names(quote, name) for name in (entity.name, *entity.aliases))


def _quote(evidence: Evidence, texts: Mapping[UUID, str]) -> str:
    """The quoted text when the span lies in its chunk and is not blank, else ''."""
    text = texts.get(evidence.chunk_id)
    if text is None or not 0 <= evidence.start < evidence.end <= len(text):
        return ""
    quoted = text[evidence.start : evidence.end]
    return quoted if quoted.strip() else ""


def _unique(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(dict.fromkeys(evidence))
