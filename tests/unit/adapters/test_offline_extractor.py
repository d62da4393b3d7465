"""The offline extractor: rules and a gazetteer, deterministic, exact spans, co-occurrence only."""

from __future__ import annotations

from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.adapters.extraction.offline import (
    CO_OCCURRENCE_CONFIDENCE,
    RELATED_TO,
    OfflineRuleExtractor,
    extract_facts,
)
from agentry.application.knowledge.ports.extraction import ChunkText
from agentry.domain.knowledge.confidence import score, split
from agentry.domain.knowledge.evidence import check_evidence

FIRST = ChunkText(
    UUID(int=1),
    "Dr. Ada Lovelace met engineers from Acme Ltd. in London. The World Health Organization (WHO) "
    "uses Python.\n\nMonday was quiet.",
)
SECOND = ChunkText(UUID(int=2), "Lovelace later wrote to WHO staff. Acme replied from Berlin.")


async def test_it_names_itself_as_rules_and_gives_the_same_facts_for_the_same_text() -> None:
    extractor = OfflineRuleExtractor()
    assert extractor.name == "offline-rules"
    assert await extractor.extract([FIRST, SECOND]) == await extractor.extract([FIRST, SECOND])


async def test_names_get_types_from_titles_suffixes_and_the_gazetteer_with_exact_spans() -> None:
    extraction = await OfflineRuleExtractor().extract([FIRST, SECOND])
    texts = {FIRST.id: FIRST.text, SECOND.id: SECOND.text}
    found = {entity.name: entity for entity in extraction.entities}
    assert {name: entity.type for name, entity in found.items()} == {
        "Ada Lovelace": "person",
        "Acme Ltd": "organization",
        "London": "place",
        "World Health Organization": "organization",
        "Python": "technology",
        "Berlin": "place",
    }
    assert found["Ada Lovelace"].aliases == ("Lovelace",)
    assert found["World Health Organization"].aliases == ("WHO",)
    assert [texts[span.chunk_id][span.start : span.end] for span in found["Acme Ltd"].evidence] == ["Acme Ltd", "Acme"]
    assert check_evidence(extraction, texts) == extraction  # every span it gives names its entity


async def test_relationships_are_only_co_occurrences_in_one_sentence_at_low_confidence() -> None:
    extraction = await OfflineRuleExtractor().extract([FIRST, SECOND])
    pairs = {(relation.source, relation.target) for relation in extraction.relationships}
    assert pairs == {
        ("Ada Lovelace", "Acme Ltd"),
        ("Ada Lovelace", "London"),
        ("Acme Ltd", "London"),
        ("World Health Organization", "Python"),
        ("Ada Lovelace", "World Health Organization"),
        ("Acme Ltd", "Berlin"),
    }
    assert {(relation.type, relation.confidence) for relation in extraction.relationships} == {
        (RELATED_TO, CO_OCCURRENCE_CONFIDENCE)
    }
    [london] = [relation for relation in extraction.relationships if relation.target == "London"][:1]
    [sentence] = london.evidence
    assert FIRST.text[sentence.start : sentence.end] == "Dr. Ada Lovelace met engineers from Acme Ltd. in London."


async def test_a_text_without_names_gives_nothing() -> None:
    quiet = ChunkText(UUID(int=3), "nothing here. Monday it rained, and then it stopped.")
    extraction = await OfflineRuleExtractor().extract([quiet])
    assert extraction.entities == () and extraction.relationships == ()


async def test_checked_and_scored_its_names_reach_the_graph_and_its_co_occurrences_stay_candidates() -> None:
    extraction = await OfflineRuleExtractor().extract([FIRST, SECOND])
    scored = score(check_evidence(extraction, {FIRST.id: FIRST.text, SECOND.id: SECOND.text}))
    result = split(scored, threshold=0.5)
    assert {entity.name for entity in result.graph.entities} == {
        "Ada Lovelace", "Acme Ltd", "London", "World Health Organization", "Python", "Berlin",
    }  # fmt: skip
    assert result.graph.relationships == ()
    assert len(result.candidates.relationships) == len(extraction.relationships)
    lovelace = next(entity for entity in scored.entities if entity.name == "Ada Lovelace")
    assert lovelace.confidence > 0.75  # named in two chunks: more than the title rule's claim


words = st.sampled_from(
    ["Ada", "Lovelace", "Acme", "Ltd", "Inc.", "Dr.", "the", "The", "in", "of", "University", "London",
     "Python", "WHO", "(WHO)", "said", "and", "Founder", "da", "Vinci", "C++", "node.js", "macOS", ".", ",",
     "!", "\n\n", "Monday", "x", "É", "O'Neil"]
)  # fmt: skip
texts = st.lists(words, max_size=40).map(" ".join)


@given(first=texts, second=texts)
@settings(max_examples=200, deadline=None)
def test_on_any_text_every_span_it_gives_names_its_entity_and_every_relationship_joins_two_of_them(
    first: str, second: str
) -> None:
    chunks = [ChunkText(UUID(int=1), first), ChunkText(UUID(int=2), second)]
    extraction = extract_facts(chunks)
    assert check_evidence(extraction, {chunk.id: chunk.text for chunk in chunks}) == extraction
    assert all(relation.source != relation.target for relation in extraction.relationships)
