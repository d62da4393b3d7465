"""Recording a verified extraction into the graph: entities resolved by name or alias across documents,
people's corrections and deletions kept, candidates under the threshold, and idempotent per document."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from agentry.application.errors import Forbidden
from agentry.application.knowledge.ports.graph import EntityQuery, RelationshipQuery
from agentry.application.knowledge.record_extraction import MergeExtraction, RecordExtraction
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus
from agentry.domain.principal import Principal, PrincipalKind
from tests.fakes.memory_search import HashingEmbedder, MemoryVectorIndex
from tests.unit.application.knowledge_scene import MAINTAINER, PROJECT, Knowledge


def no_similar_names() -> SimilarNames:
    """Resolution by embedding with nothing kept yet (tests/unit/application/test_resolution_by_embedding.py
    holds that part)."""
    return SimilarNames(HashingEmbedder(), MemoryVectorIndex(), ResolutionSettings())


SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)
CHUNK = uuid4()
THRESHOLD = 0.5


def at(start: int) -> tuple[Evidence, ...]:
    return (Evidence(CHUNK, start, start + 3),)


def reading(*names: str, confidence: float = 0.9, relate: bool = True) -> Extraction:
    entities = tuple(
        ExtractedEntity(name, "person", confidence, at(n * 10), aliases=("Countess",) if name == "Ada" else ())
        for n, name in enumerate(names)
    )
    relationships = (
        (ExtractedRelationship(names[0], names[1], "knows", confidence, at(50)),) if relate and len(names) > 1 else ()
    )
    return Extraction(entities, relationships)


async def record(k: Knowledge, document: UUID, extraction: Extraction) -> None:
    e, r, _, s = k.ports()
    use_case = RecordExtraction(MergeExtraction(e, r, no_similar_names(), k.clock, k.ids), k.policy, s)
    await use_case(SYSTEM, PROJECT, document, extraction, "offline-test", THRESHOLD)


async def graph(k: Knowledge) -> tuple[list[Entity], list[Relationship]]:
    e, r, _, _ = k.ports()
    entities = await e.page(EntityQuery(PROJECT, include_candidates=True, limit=100))
    relationships = await r.page(RelationshipQuery(PROJECT, include_candidates=True, limit=100))
    return entities, relationships


async def test_recording_the_same_document_twice_doubles_nothing() -> None:
    k, doc = Knowledge(), uuid4()
    await record(k, doc, reading("Ada", "Babbage"))
    first = await graph(k)
    await record(k, doc, reading("Ada", "Babbage"))
    entities, relationships = await graph(k)
    assert sorted(e.name for e in entities) == ["Ada", "Babbage"] and len(relationships) == 1
    assert {e.id: e.sources for e in entities} == {e.id: e.sources for e in first[0]}
    assert relationships[0].sources == first[1][0].sources


async def test_another_document_naming_the_same_thing_by_an_alias_adds_its_mentions() -> None:
    k, one, two = Knowledge(), uuid4(), uuid4()
    await record(k, one, reading("Ada", "Babbage"))
    await record(k, two, reading("countess", "BABBAGE"))
    entities, relationships = await graph(k)
    assert sorted(e.name for e in entities) == ["Ada", "Babbage"]
    assert all({m.document_id for m in e.sources} == {one, two} for e in entities)
    assert len(relationships) == 1 and {m.document_id for m in relationships[0].sources} == {one, two}


async def test_a_document_that_no_longer_mentions_a_fact_takes_its_mentions_back() -> None:
    k, doc, other = Knowledge(), uuid4(), uuid4()
    await record(k, other, reading("Babbage"))
    await record(k, doc, reading("Ada", "Babbage"))
    await record(k, doc, reading("Ada"))
    entities, relationships = await graph(k)
    babbage = next(e for e in entities if e.name == "Babbage")
    assert {m.document_id for m in babbage.sources} == {other}
    assert relationships[0].sources == ()


async def test_a_persons_correction_and_deletion_survive_a_new_extraction() -> None:
    k, doc = Knowledge(), uuid4()
    await record(k, doc, reading("Ada", "Babbage"))
    entities, _ = await graph(k)
    ada = next(e for e in entities if e.name == "Ada")
    babbage = next(e for e in entities if e.name == "Babbage")
    await k.edit_entity(MAINTAINER, PROJECT, ada.id, EntityEdit(name="Ada Lovelace", type="mathematician"))
    await k.delete_entity(MAINTAINER, PROJECT, babbage.id)
    await record(k, uuid4(), reading("Ada", "Babbage"))
    entities, relationships = await graph(k)
    assert [(e.name, e.type) for e in entities] == [("Ada Lovelace", "mathematician")]
    assert relationships == []


async def test_facts_under_the_threshold_are_candidates() -> None:
    k = Knowledge()
    await record(k, uuid4(), reading("Ada", "Babbage", confidence=0.3))
    entities, relationships = await graph(k)
    assert {e.status for e in entities} == {FactStatus.CANDIDATE}
    assert relationships[0].status is FactStatus.CANDIDATE


async def test_only_the_system_records_extractions() -> None:
    k = Knowledge()
    e, r, _, s = k.ports()
    with pytest.raises(Forbidden):
        use_case = RecordExtraction(MergeExtraction(e, r, no_similar_names(), k.clock, k.ids), k.policy, s)
        await use_case(MAINTAINER, PROJECT, uuid4(), reading("A"), "t", 0.5)
