"""Evidence is checked against the chunks' text: what a span quotes must be in its chunk and, for an
entity, name it; facts left without evidence are dropped."""

from __future__ import annotations

from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.knowledge.evidence import check_evidence, quote_names
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction
from agentry.domain.knowledge.resolution import fold

CHUNK = UUID(int=1)
OTHER = UUID(int=2)
TEXT = "Ada Lovelace worked with Charles Babbage in London. Lovelace wrote the first program."
TEXTS = {CHUNK: TEXT}


def span(text: str, quote: str, chunk: UUID = CHUNK, nth: int = 0) -> Evidence:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Evidence(chunk, start, start + len(quote))


def entity(name: str, *evidence: Evidence, aliases: tuple[str, ...] = ()) -> ExtractedEntity:
    return ExtractedEntity(name, "person", 0.8, evidence, aliases)


def test_a_span_quoting_the_name_or_an_alias_is_kept_whatever_the_case_and_spacing() -> None:
    texts = {CHUNK: "Met ADA   lovelace, then Countess Lovelace."}
    ada = entity(
        "Ada Lovelace",
        span(texts[CHUNK], "ADA   lovelace"),
        span(texts[CHUNK], "Countess Lovelace"),
        aliases=("countess  LOVELACE",),
    )
    assert check_evidence(Extraction((ada,)), texts) == Extraction((ada,))


def test_spans_outside_the_chunk_in_an_unknown_chunk_blank_or_not_naming_the_entity_are_dropped() -> None:
    good = span(TEXT, "Ada Lovelace")
    bad = [
        Evidence(CHUNK, len(TEXT) - 3, len(TEXT) + 5),
        Evidence(CHUNK, 5, 5),
        Evidence(CHUNK, -1, 4),
        Evidence(OTHER, 0, 12),
        span(TEXT, "Charles Babbage"),
        span(TEXT, " ", nth=0),
    ]
    checked = check_evidence(Extraction((entity("Ada Lovelace", good, *bad),)), TEXTS)
    assert checked.entities[0].evidence == (good,)


def test_a_quote_names_an_entity_only_as_whole_words() -> None:
    assert quote_names("Dr. Ada Lovelace said", "ada lovelace")
    assert not quote_names("Adam Smith", "Ada")
    assert not quote_names("anything", "  ")


def test_an_entity_left_without_evidence_is_dropped_and_so_are_its_relationships() -> None:
    ada = entity("Ada Lovelace", span(TEXT, "Ada Lovelace"))
    ghost = entity("Grace Hopper", span(TEXT, "Charles Babbage"))
    babbage = entity("Charles Babbage", span(TEXT, "Charles Babbage"))
    sentence = span(TEXT, "Ada Lovelace worked with Charles Babbage in London.")
    worked = ExtractedRelationship("ada lovelace", "Charles  Babbage", "worked_with", 0.7, (sentence,))
    haunted = ExtractedRelationship("Ada Lovelace", "Grace Hopper", "knew", 0.7, (sentence,))
    checked = check_evidence(Extraction((ada, ghost, babbage), (worked, haunted)), TEXTS)
    assert checked == Extraction((ada, babbage), (worked,))


def test_a_relationship_keeps_only_evidence_in_its_chunk_and_a_repeated_span_counts_once() -> None:
    ada = entity("Ada Lovelace", span(TEXT, "Ada Lovelace"), span(TEXT, "Ada Lovelace"))
    london = ExtractedEntity("London", "place", 0.9, (span(TEXT, "London"),))
    sentence = span(TEXT, "Ada Lovelace worked with Charles Babbage in London.")
    lived = ExtractedRelationship("Ada Lovelace", "London", "located_in", 0.5, (sentence, Evidence(OTHER, 0, 3)))
    nowhere = ExtractedRelationship("Ada Lovelace", "London", "born_in", 0.5, (Evidence(CHUNK, 80, 200),))
    checked = check_evidence(Extraction((ada, london), (lived, nowhere)), TEXTS)
    assert checked.entities[0].evidence == (span(TEXT, "Ada Lovelace"),)
    assert checked.relationships == (ExtractedRelationship("Ada Lovelace", "London", "located_in", 0.5, (sentence,)),)


words = st.text(alphabet="abcdefgh XYZ\n", min_size=0, max_size=40)
names = st.text(alphabet="abcdefghXYZ", min_size=1, max_size=8)
spans = st.tuples(st.sampled_from([CHUNK, OTHER]), st.integers(-5, 60), st.integers(-5, 60))


@given(before=words, name=names, after=words, noise=st.lists(spans, max_size=6))
def test_kept_evidence_always_lies_in_its_chunk_and_names_the_entity_and_the_true_mention_is_kept(
    before: str, name: str, after: str, noise: list[tuple[UUID, int, int]]
) -> None:
    text = f"{before} {name} {after}"
    planted = Evidence(CHUNK, len(before) + 1, len(before) + 1 + len(name))
    evidence = (planted, *(Evidence(chunk, start, end) for chunk, start, end in noise))
    extraction = Extraction((ExtractedEntity(name, "thing", 0.5, evidence),))
    checked = check_evidence(extraction, {CHUNK: text})
    [kept] = checked.entities
    assert planted in kept.evidence
    for mention in kept.evidence:
        assert mention in evidence and mention.chunk_id == CHUNK
        assert 0 <= mention.start < mention.end <= len(text)
        assert fold(name) in fold(text[mention.start : mention.end])
    assert check_evidence(checked, {CHUNK: text}) == checked


@given(
    texts=st.dictionaries(st.sampled_from([CHUNK, OTHER, uuid4()]), words, max_size=3),
    entities=st.lists(st.tuples(names, st.lists(spans, max_size=4)), max_size=4),
    relations=st.lists(st.tuples(names, names, st.lists(spans, max_size=3)), max_size=4),
)
def test_every_surviving_fact_has_evidence_and_every_surviving_relationship_joins_surviving_entities(
    texts: dict[UUID, str],
    entities: list[tuple[str, list[tuple[UUID, int, int]]]],
    relations: list[tuple[str, str, list[tuple[UUID, int, int]]]],
) -> None:
    extraction = Extraction(
        tuple(ExtractedEntity(n, "t", 0.5, tuple(Evidence(*s) for s in ev)) for n, ev in entities),
        tuple(ExtractedRelationship(a, b, "r", 0.5, tuple(Evidence(*s) for s in ev)) for a, b, ev in relations),
    )
    checked = check_evidence(extraction, texts)
    survivors = {fold(kept.name) for kept in checked.entities}
    assert all(fact.evidence for fact in (*checked.entities, *checked.relationships))
    for relation in checked.relationships:
        assert {fold(relation.source), fold(relation.target)} <= survivors
        for mention in relation.evidence:
            assert texts[mention.chunk_id][mention.start : mention.end].strip()
    assert check_evidence(checked, texts) == checked
