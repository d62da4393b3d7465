"""The stored confidence: the extractor's claim raised by mentions, chunks and agreeing claims, never
lowered by more of them, always in [0, 1]; and the split into graph facts and candidates."""

from __future__ import annotations

from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.knowledge.confidence import combined_confidence, score, split
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction

claims = st.floats(min_value=0.0, max_value=1.0)
counts = st.integers(min_value=1, max_value=30)


def at(chunk: int, start: int) -> Evidence:
    return Evidence(UUID(int=chunk), start, start + 3)


def test_one_mention_in_one_chunk_claimed_once_keeps_the_claim_and_no_evidence_scores_zero() -> None:
    assert combined_confidence(0.7, 1, 1, 1) == pytest.approx(0.7)
    assert combined_confidence(0.7, 0, 0, 1) == 0.0


def test_evidence_alone_takes_away_at_most_half_of_the_doubt() -> None:
    assert combined_confidence(0.2, 1000, 1000, 1000) == pytest.approx(0.6)
    assert combined_confidence(0.2, 3, 2, 2) == pytest.approx(0.2 + 0.8 * 0.5 * (1 - 0.9**2 * 0.75 * 0.8))


@given(claim=claims, mentions=counts, chunks=counts, agreeing=counts)
def test_the_stored_confidence_stays_in_the_unit_interval(
    claim: float, mentions: int, chunks: int, agreeing: int
) -> None:
    assert 0.0 <= combined_confidence(claim, mentions, chunks, agreeing) <= 1.0


@given(claim=claims, mentions=counts, chunks=counts, agreeing=counts, more=st.integers(0, 5), higher=claims)
def test_more_agreeing_evidence_or_a_higher_claim_never_lowers_it(
    claim: float, mentions: int, chunks: int, agreeing: int, more: int, higher: float
) -> None:
    chunks = min(chunks, mentions)
    base = combined_confidence(claim, mentions, chunks, agreeing)
    assert combined_confidence(claim, mentions + more, chunks, agreeing) >= base
    assert combined_confidence(claim, mentions + more, chunks + more, agreeing) >= base
    assert combined_confidence(claim, mentions, chunks, agreeing + more) >= base
    assert combined_confidence(max(claim, higher), mentions, chunks, agreeing) >= base


def test_claims_of_one_entity_merge_into_one_fact_with_their_evidence_and_aliases_united() -> None:
    first = ExtractedEntity("Acme Inc", "organization", 0.6, (at(1, 0),), ("Acme",))
    again = ExtractedEntity("ACME  inc", "Organization", 0.7, (at(2, 5), at(1, 0)), ("acme", "Acme Corp"))
    other_type = ExtractedEntity("Acme Inc", "product", 0.3, (at(3, 0),))
    scored = score(Extraction((first, again, other_type)))
    merged, product = scored.entities
    assert merged.name == "Acme Inc" and merged.aliases == ("Acme", "Acme Corp")
    assert merged.evidence == (at(1, 0), at(2, 5))
    assert merged.confidence == pytest.approx(combined_confidence(0.7, 2, 2, 2))
    assert merged.confidence > 0.7
    assert product.confidence == pytest.approx(0.3)


entity_claims = st.lists(
    st.tuples(claims, st.lists(st.tuples(st.integers(1, 3), st.integers(0, 5)), min_size=1, max_size=4)),
    min_size=1,
    max_size=4,
)


@given(existing=entity_claims, added=entity_claims)
def test_adding_agreeing_claims_of_a_fact_never_lowers_its_score(
    existing: list[tuple[float, list[tuple[int, int]]]], added: list[tuple[float, list[tuple[int, int]]]]
) -> None:
    def relation(claim: float, spans: list[tuple[int, int]]) -> ExtractedRelationship:
        return ExtractedRelationship("A", "B", "knows", claim, tuple(at(*where) for where in spans))

    before = score(Extraction((), tuple(relation(*claim) for claim in existing)))
    after = score(Extraction((), tuple(relation(*claim) for claim in existing + added)))
    assert after.relationships[0].confidence >= before.relationships[0].confidence
    assert 0.0 <= after.relationships[0].confidence <= 1.0


def test_split_keeps_facts_at_or_above_the_threshold_and_relationships_only_between_graph_entities() -> None:
    ada = ExtractedEntity("Ada", "person", 0.8, (at(1, 0),), ("Countess",))
    london = ExtractedEntity("London", "place", 0.5, (at(1, 4),))
    rumour = ExtractedEntity("Rumour", "thing", 0.49, (at(1, 8),))
    lived = ExtractedRelationship("countess", "London", "lived_in", 0.9, (at(1, 0),))
    weak = ExtractedRelationship("Ada", "London", "related_to", 0.2, (at(1, 0),))
    dangling = ExtractedRelationship("Ada", "Rumour", "started", 0.9, (at(1, 0),))
    result = split(Extraction((ada, london, rumour), (lived, weak, dangling)), 0.5)
    assert result.graph == Extraction((ada, london), (lived,))
    assert result.candidates == Extraction((rumour,), (weak, dangling))
