"""Entities and relationships: overrides over extracted values, merge, split, deletion, events."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import ExtractorKind, FactStatus, Mention, search_terms, status_for

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
PROJECT = uuid4()
DOC = uuid4()


def mention(start: int = 0, document: UUID = DOC, by: ExtractorKind = ExtractorKind.OFFLINE) -> Mention:
    return Mention(document, uuid4(), start, start + 5, by)


def extracted(name: str = "Acme Corp", aliases: tuple[str, ...] = ("Acme",), *sources: Mention) -> Entity:
    return Entity.extracted(
        uuid4(), PROJECT, name, "organisation", 0.8, FactStatus.GRAPH, sources or (mention(),), NOW, aliases=aliases
    )


def test_an_override_shows_over_the_extracted_value_and_a_reextraction_never_touches_it() -> None:
    entity = extracted()
    entity.edit(EntityEdit(name="ACME Corporation", description="a maker of anvils"), NOW)
    entity.reextracted(DOC, [mention(10)], ["Acme Inc"], 0.3, FactStatus.CANDIDATE, NOW)
    assert entity.name == "ACME Corporation"
    assert entity.extracted_name == "Acme Corp"
    assert entity.description == "a maker of anvils"
    assert entity.aliases == ("Acme", "Acme Inc")
    assert entity.status is FactStatus.CANDIDATE
    assert "\nacme corporation\n" in entity.terms and "\nacme inc\n" in entity.terms
    assert [e.type for e in entity.pull_events()] == ["entity.created", "entity.updated", "entity.updated"]


def test_a_person_confirming_a_candidate_keeps_it_in_the_graph_whatever_extraction_says_later() -> None:
    entity = Entity.extracted(uuid4(), PROJECT, "Bob", "person", 0.2, status_for(0.2, 0.5), [mention()], NOW)
    assert entity.status is FactStatus.CANDIDATE
    entity.edit(EntityEdit(status=FactStatus.GRAPH), NOW)
    entity.reextracted(DOC, [mention()], [], 0.1, FactStatus.CANDIDATE, NOW)
    assert entity.status is FactStatus.GRAPH


def test_a_reextraction_replaces_only_that_documents_mentions() -> None:
    other_doc = mention(0, uuid4())
    entity = extracted("Acme Corp", (), mention(0), mention(20), other_doc)
    fresh = mention(40)
    entity.reextracted(DOC, [fresh], [], 0.9, FactStatus.GRAPH, NOW)
    assert set(entity.sources) == {other_doc, fresh}


def test_a_reextraction_keeps_the_mentions_people_gave_in_that_document_and_each_mention_says_who_read_it() -> None:
    given = mention(0, by=ExtractorKind.HUMAN)
    entity = extracted("Acme Corp", (), given, mention(20))
    fresh = mention(40, by=ExtractorKind.ANTHROPIC)
    entity.reextracted(DOC, [fresh], [], 0.9, FactStatus.GRAPH, NOW)
    assert {(m.start, m.extractor) for m in entity.sources} == {(0, ExtractorKind.HUMAN), (40, ExtractorKind.ANTHROPIC)}
    relationship = Relationship.create(uuid4(), PROJECT, uuid4(), uuid4(), "owns", NOW, sources=[given, mention(20)])
    relationship.reextracted(DOC, [fresh], 0.9, FactStatus.GRAPH, NOW)
    assert {(m.start, m.extractor) for m in relationship.sources} == {
        (0, ExtractorKind.HUMAN),
        (40, ExtractorKind.ANTHROPIC),
    }


def test_the_kind_of_an_extractor_is_read_from_its_name_and_an_unknown_one_is_refused() -> None:
    assert ExtractorKind.of("offline-rules") is ExtractorKind.OFFLINE
    assert ExtractorKind.of("anthropic:claude-haiku-4-5") is ExtractorKind.ANTHROPIC
    with pytest.raises(InvalidValue):
        ExtractorKind.of("mystery")


def test_a_split_moves_the_mentions_as_they_were_read_not_as_they_were_named() -> None:
    read = mention(0, by=ExtractorKind.ANTHROPIC)
    entity = extracted("Acme Corp", ("Acme Labs",), read, mention(20))
    named = Mention(read.document_id, read.chunk_id, read.start, read.end)  # as the API names it: no kind
    split_off = entity.split(uuid4(), EntityEdit(name="Acme Labs", type="organisation"), ["Acme Labs"], [named], NOW)
    assert [m.extractor for m in split_off.sources] == [ExtractorKind.ANTHROPIC]


def test_merging_takes_the_others_names_and_mentions() -> None:
    kept = extracted("Acme Corp", ("Acme",))
    other = extracted("ACME Incorporated", ("Acme", "ACME Inc"))
    kept.merge([other], NOW)
    assert kept.aliases == ("Acme", "ACME Incorporated", "ACME Inc")
    assert set(other.sources) <= set(kept.sources)
    event = kept.pull_events()[-1]
    assert event.type == "entity.merged" and event.data["merged"] == [str(other.id)]


def test_an_entity_cannot_be_merged_into_itself() -> None:
    entity = extracted()
    with pytest.raises(InvalidValue):
        entity.merge([entity], NOW)


def test_splitting_moves_the_named_aliases_and_mentions_to_a_new_entity() -> None:
    first, second = mention(0), mention(30)
    entity = extracted("Jordan", ("Jordan the country", "Michael Jordan"), first, second)
    new = entity.split(uuid4(), EntityEdit(name="Michael Jordan", type="person"), ["michael jordan"], [second], NOW)
    assert entity.aliases == ("Jordan the country",) and entity.sources == (first,)
    assert new.name == "Michael Jordan" and new.type == "person"
    assert new.aliases == () and new.sources == (second,)  # its own name is not an alias of it
    assert new.pull_events()[0].type == "entity.created"


def test_splitting_refuses_what_is_not_the_entitys() -> None:
    entity = extracted()
    with pytest.raises(InvalidValue):
        entity.split(uuid4(), EntityEdit(name="X", type="t"), ["nope"], [], NOW)
    with pytest.raises(InvalidValue):
        entity.split(uuid4(), EntityEdit(name="X", type="t"), [], [mention(99)], NOW)


def test_a_persons_entity_needs_a_name_and_a_type_and_is_in_the_graph() -> None:
    with pytest.raises(InvalidValue):
        Entity.create(uuid4(), PROJECT, EntityEdit(name="  "), NOW)
    entity = Entity.create(uuid4(), PROJECT, EntityEdit(name="Ada", type="person", properties={"born": 1815}), NOW)
    assert entity.status is FactStatus.GRAPH and entity.confidence == 1.0
    assert entity.properties == {"born": 1815}


@pytest.mark.parametrize("properties", [{"x": float("nan")}, {"x": object()}, {"x": "y" * 70_000}])
def test_properties_must_be_a_small_json_object(properties: dict[str, object]) -> None:
    with pytest.raises(InvalidValue):
        Entity.create(uuid4(), PROJECT, EntityEdit(name="A", type="t", properties=properties), NOW)


def test_deleting_suppresses_and_records_it() -> None:
    entity = extracted()
    entity.delete(NOW)
    assert entity.suppressed
    assert entity.pull_events()[-1].type == "entity.deleted"


def test_a_relationship_shows_the_persons_type_and_refuses_a_loop() -> None:
    a, b = uuid4(), uuid4()
    with pytest.raises(InvalidValue):
        Relationship.create(uuid4(), PROJECT, a, a, "knows", NOW)
    rel = Relationship.create(uuid4(), PROJECT, a, b, "works_at", NOW, by_person=False, confidence=0.4)
    rel.edit("employed_by", None, NOW)
    assert rel.type == "employed_by" and rel.extracted_type == "works_at"
    rel.repoint([b], a, NOW)
    assert rel.is_loop
    rel.delete(NOW)
    rel.delete(NOW)
    types = [e.type for e in rel.pull_events()]
    assert types == ["relationship.created", "relationship.updated", "relationship.updated", "relationship.deleted"]


@pytest.mark.parametrize("confidence", [-0.1, 1.5, True])
def test_confidence_is_between_zero_and_one(confidence: float) -> None:
    with pytest.raises(InvalidValue):
        Entity.extracted(uuid4(), PROJECT, "A", "t", confidence, FactStatus.GRAPH, [], NOW)


def test_search_terms_fold_case_and_space() -> None:
    assert search_terms("  The   Acme ", ["ACME", "the acme"]) == "\nthe acme\nacme\n"
