"""Entity resolution by the embedding of a name, when neither a name nor an alias resolves it: a name close
enough to an entity's of the same type resolves to it and becomes its alias; only names left unresolved
are embedded, and the entities the link step creates keep their names' vectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from agentry.application.knowledge.ports.graph import EntityQuery
from agentry.application.knowledge.record_extraction import MergeExtraction, RecordExtraction
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, Extraction
from agentry.domain.principal import Principal, PrincipalKind
from tests.fakes.memory_search import MemoryVectorIndex, ScriptedEmbedder
from tests.unit.application.knowledge_scene import PROJECT, Knowledge

SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)
THRESHOLD = 0.9
# Unit vectors whose cosines are known: IBM ~ International Business Machines 0.96, ~ Intel 0.8.
VECTORS: dict[str, tuple[float, ...]] = {
    "International Business Machines": (1.0, 0.0, 0.0, 0.0),
    "IBM": (0.96, 0.28, 0.0, 0.0),
    "Intel": (0.8, 0.6, 0.0, 0.0),
    "Ada Lovelace": (0.0, 0.0, 1.0, 0.0),
    "Charles Babbage": (0.0, 0.0, 0.0, 1.0),
}


@dataclass
class Scene:
    k: Knowledge = field(default_factory=Knowledge)
    embedder: ScriptedEmbedder = field(default_factory=lambda: ScriptedEmbedder(VECTORS))
    names: MemoryVectorIndex = field(default_factory=lambda: MemoryVectorIndex(4))

    async def record(self, *things: tuple[str, str], aliases: tuple[str, ...] = ()) -> UUID:
        document = uuid4()
        evidence = (Evidence(uuid4(), 0, 3),)
        extraction = Extraction(tuple(ExtractedEntity(n, t, 0.9, evidence, aliases) for n, t in things), ())
        e, r, _, s = self.k.ports()
        similar = SimilarNames(self.embedder, self.names, ResolutionSettings(THRESHOLD))
        use_case = RecordExtraction(MergeExtraction(e, r, similar, self.k.clock, self.k.ids), self.k.policy, s)
        await use_case(SYSTEM, PROJECT, document, extraction, "offline-test", 0.5)
        return document

    async def entities(self) -> list[Entity]:
        e, _, _, _ = self.k.ports()
        return sorted(await e.page(EntityQuery(PROJECT, include_candidates=True, limit=100)), key=lambda x: x.name)


async def test_a_name_close_enough_to_an_entitys_of_the_same_type_resolves_to_it_and_becomes_an_alias() -> None:
    scene = Scene()
    first = await scene.record(("International Business Machines", "organization"))
    second = await scene.record(("IBM", "organization"))
    [ibm] = await scene.entities()
    assert ibm.name == "International Business Machines"
    assert "IBM" in ibm.extracted_aliases
    assert {m.document_id for m in ibm.sources} == {first, second}


async def test_a_name_under_the_threshold_or_of_another_type_makes_an_entity_of_its_own() -> None:
    scene = Scene()
    await scene.record(("International Business Machines", "organization"))
    await scene.record(("Intel", "organization"))  # 0.8: under 0.9
    await scene.record(("IBM", "product"))  # close, but another type
    entities = await scene.entities()
    assert [(e.name, e.type) for e in entities] == [
        ("IBM", "product"),
        ("Intel", "organization"),
        ("International Business Machines", "organization"),
    ]
    assert all(not e.extracted_aliases for e in entities)


async def test_only_names_no_name_or_alias_resolves_are_embedded_and_each_new_entity_keeps_one_vector() -> None:
    scene = Scene()
    await scene.record(("Ada Lovelace", "person"), ("Charles Babbage", "person"))
    await scene.record(("ada lovelace", "person"), ("Babbage", "person"), aliases=("Charles Babbage",))
    assert scene.embedder.asked == [["Ada Lovelace", "Charles Babbage"]]  # one batch; the second document: none
    entities = await scene.entities()
    assert {entry.id for entry in scene.names.entries.values()} == {e.id for e in entities}
    assert {entry.owner_id for entry in scene.names.entries.values()} == {e.id for e in entities}


async def test_two_close_names_in_one_document_make_one_entity() -> None:
    scene = Scene()
    await scene.record(("International Business Machines", "organization"), ("IBM", "organization"))
    [ibm] = await scene.entities()
    assert ibm.name == "International Business Machines" and ibm.extracted_aliases == ("IBM",)
    assert len(scene.names.entries) == 1


async def test_a_kept_vector_whose_entity_is_gone_resolves_nothing() -> None:
    scene = Scene()
    await scene.record(("International Business Machines", "organization"))
    e, _, _, s = scene.k.ports()
    [gone] = await scene.entities()
    await e.remove(gone)
    await s.commit()
    await scene.record(("IBM", "organization"))
    assert [x.name for x in await scene.entities()] == ["IBM"]
