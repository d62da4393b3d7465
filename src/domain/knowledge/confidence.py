"""The confidence a fact is stored with: the extractor's claim, raised by the evidence behind it.

One extraction may claim one fact several times (once per chunk, say). `score` first merges those
claims into one fact (entities by folded name and type, relationships by folded ends and type; the
evidence, aliases united; the claim is the highest of them), then gives it

    support = 1 − (1 − 0.10)^(mentions − 1) · (1 − 0.25)^(chunks − 1) · (1 − 0.20)^(claims − 1)
    stored  = claim + (1 − claim) · 0.5 · support

where `mentions` is the number of distinct evidence spans, `chunks` the number of distinct chunks they
lie in, and `claims` the number of agreeing claims merged. In words: one mention in one chunk, claimed
once, keeps the extractor's claim; every further mention, chunk and agreeing claim takes away a share of
the remaining doubt (10 %, 25 % and 20 % of what is left of it), and evidence alone never takes away
more than half of it, so a fact claimed at 0.2 stays under 0.6 however often it is repeated. A fact
with no evidence scores 0. The result lies in [0, 1] and never falls when the claim rises or more
agreeing evidence arrives.

`split` then sorts facts into graph facts (at or above the threshold) and candidates; a relationship
joins the graph only when both its ends did.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction
from agentry.domain.knowledge.resolution import fold

MENTION_WEIGHT = 0.10
CHUNK_WEIGHT = 0.25
AGREEMENT_WEIGHT = 0.20
EVIDENCE_SHARE = 0.5

_Fact = TypeVar("_Fact", ExtractedEntity, ExtractedRelationship)


def combined_confidence(claim: float, mentions: int, chunks: int, claims: int = 1) -> float:
    """The stored confidence of a fact claimed at `claim` (clamped to [0, 1]) by `claims` agreeing
    claims, with `mentions` distinct spans in `chunks` distinct chunks."""
    if mentions < 1 or chunks < 1 or claims < 1:
        return 0.0
    claim = min(1.0, max(0.0, claim))
    doubt_left = (
        (1 - MENTION_WEIGHT) ** (mentions - 1)
        * (1 - CHUNK_WEIGHT) ** (min(chunks, mentions) - 1)
        * (1 - AGREEMENT_WEIGHT) ** (claims - 1)
    )
    support = 1.0 - doubt_left
    return min(1.0, claim + (1.0 - claim) * EVIDENCE_SHARE * support)


def score(extraction: Extraction) -> Extraction:
    """Each fact once, its claims merged and its confidence the combined one (run it on checked
    evidence: it counts the spans it is given)."""
    entities = [
        _merged(claims, _merged_entity)
        for claims in _grouped(extraction.entities, lambda entity: (fold(entity.name), fold(entity.type)))
    ]
    relationships = [
        _merged(claims, _merged_relationship)
        for claims in _grouped(
            extraction.relationships,
            lambda relation: (fold(relation.source), fold(relation.target), fold(relation.type)),
        )
    ]
    return Extraction(tuple(entities), tuple(relationships))


@dataclass(frozen=True, slots=True)
class Split:
    graph: Extraction
    candidates: Extraction


def split(extraction: Extraction, threshold: float) -> Split:
    """Graph facts (confidence at or above the threshold; a relationship also needs both ends in the
    graph) and candidates (the rest)."""
    graph_entities = tuple(entity for entity in extraction.entities if entity.confidence >= threshold)
    held = {fold(name) for entity in graph_entities for name in (entity.name, *entity.aliases)}
    graph_relationships = tuple(
        relation
        for relation in extraction.relationships
        if relation.confidence >= threshold and fold(relation.source) in held and fold(relation.target) in held
    )
    return Split(
        graph=Extraction(graph_entities, graph_relationships),
        candidates=Extraction(
            tuple(entity for entity in extraction.entities if entity not in graph_entities),
            tuple(relation for relation in extraction.relationships if relation not in graph_relationships),
        ),
    )


def _grouped(facts: Sequence[_Fact], key: Callable[[_Fact], Hashable]) -> list[list[_Fact]]:
    groups: dict[Hashable, list[_Fact]] = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    return list(groups.values())


def _merged(claims: list[_Fact], merge: Callable[[list[_Fact], tuple[Evidence, ...]], _Fact]) -> _Fact:
    evidence = tuple(dict.fromkeys(span for claim in claims for span in claim.evidence))
    claimed = max(claim.confidence for claim in claims)
    chunks = len({span.chunk_id for span in evidence})
    confidence = combined_confidence(claimed, len(evidence), chunks, len(claims))
    return replace(merge(claims, evidence), confidence=confidence)


def _merged_entity(claims: list[ExtractedEntity], evidence: tuple[Evidence, ...]) -> ExtractedEntity:
    first = claims[0]
    aliases: dict[str, str] = {}
    for claim in claims:
        for alias in (claim.name, *claim.aliases):
            if fold(alias) != fold(first.name):
                aliases.setdefault(fold(alias), alias)
    description = max((claim.description for claim in claims), key=len)
    return replace(first, evidence=evidence, aliases=tuple(aliases.values()), description=description)


def _merged_relationship(claims: list[ExtractedRelationship], evidence: tuple[Evidence, ...]) -> ExtractedRelationship:
    return replace(claims[0], evidence=evidence)
