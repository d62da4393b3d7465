"""Entity resolution by embedding with the local model (all-MiniLM-L6-v2) and the embedded index, at the
default threshold: names the model puts close (a legal suffix shortened, a British spelling) resolve to the
entity already known, and another thing of the same type sharing words with it does not.

What the model does not do, measured (bench/entity_resolution.py): expand an acronym. "IBM" and
"International Business Machines" are 0.53 apart in cosine, under several pairs of different things, so
no threshold separates them; an extractor that reads "IBM" as an alias of the long name (or a person
merging the two) resolves them instead."""

from __future__ import annotations

from uuid import UUID, uuid4

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.minilm.embedder import DIMENSION, MiniLmEmbedder
from agentry.application.knowledge.keep_name_vectors import KeepNameVectors
from agentry.application.knowledge.ports.graph import EntityQuery
from agentry.application.knowledge.record_extraction import MergeExtraction, RecordExtraction
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.knowledge.entity import EntityEdit
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, Extraction
from agentry.domain.principal import Principal, PrincipalKind
from tests.fakes.memory_knowledge import MemoryEntities
from tests.unit.application.knowledge_scene import MEMBER, PROJECT, Knowledge

SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)
ORGANIZATION = "organization"


async def test_close_names_of_one_thing_resolve_and_a_different_thing_of_the_same_type_does_not() -> None:
    k = Knowledge()
    index = EmbeddedVectorIndex(":memory:", DIMENSION)
    similar = SimilarNames(MiniLmEmbedder(), index, ResolutionSettings())

    async def record(*names: str) -> None:
        evidence = (Evidence(uuid4(), 0, 3),)
        extraction = Extraction(tuple(ExtractedEntity(n, ORGANIZATION, 0.9, evidence) for n in names), ())
        e, r, _, s = k.ports()
        use_case = RecordExtraction(MergeExtraction(e, r, similar, k.clock, k.ids), k.policy, s)
        await use_case(SYSTEM, PROJECT, uuid4(), extraction, "offline-test", 0.5)

    try:
        await record("Microsoft Corporation", "World Health Organization", "International Business Machines")
        await record("Microsoft Corp", "World Health Organisation", "Apple Inc", "World Trade Organization", "IBM")
        e, _, _, _ = k.ports()
        entities = await e.page(EntityQuery(PROJECT, include_candidates=True, limit=100))
        shown = {entity.name: set(entity.extracted_aliases) for entity in entities}
        assert shown == {
            "Microsoft Corporation": {"Microsoft Corp"},
            "World Health Organization": {"World Health Organisation"},
            "International Business Machines": set(),
            "Apple Inc": set(),
            "World Trade Organization": set(),
            "IBM": set(),  # an acronym: the model does not expand it (see above)
        }
        assert await index.count(PROJECT) == len(entities) == 6  # one per entity: a name that resolved adds none
    finally:
        index.close()


async def test_an_entity_a_person_made_or_renamed_is_found_by_the_names_of_later_extractions() -> None:
    """A person's entity reaches the name index from its events (KeepNameVectors, as the relay hands them
    out): then an extracted name close to its name resolves to it instead of making a second entity."""
    k = Knowledge()
    index = EmbeddedVectorIndex(":memory:", DIMENSION)
    similar = SimilarNames(MiniLmEmbedder(), index, ResolutionSettings())
    delivered = 0

    async def relay() -> None:
        nonlocal delivered
        subscriber = KeepNameVectors(MemoryEntities(k.session()), similar)
        for position, event in enumerate(k.db.events[delivered:], start=delivered):
            if subscriber.wants(event.type):
                await subscriber.handle(StoredEvent(uuid4(), position, event))
        delivered = len(k.db.events)

    async def record(*names: str) -> None:
        evidence = (Evidence(uuid4(), 0, 3),)
        extraction = Extraction(tuple(ExtractedEntity(n, ORGANIZATION, 0.9, evidence) for n in names), ())
        e, r, _, s = k.ports()
        use_case = RecordExtraction(MergeExtraction(e, r, similar, k.clock, k.ids), k.policy, s)
        await use_case(SYSTEM, PROJECT, uuid4(), extraction, "offline-test", 0.5)

    try:
        who = await k.create_entity(MEMBER, PROJECT, EntityEdit(name="World Health Organization", type=ORGANIZATION))
        msft = await k.create_entity(MEMBER, PROJECT, EntityEdit(name="Microsoft", type=ORGANIZATION))
        await k.edit_entity(MEMBER, PROJECT, msft.id, EntityEdit(name="Microsoft Corporation"))
        await relay()

        await record("World Health Organisation", "Microsoft Corp")

        e, _, _, _ = k.ports()
        entities = await e.page(EntityQuery(PROJECT, include_candidates=True, limit=100))
        assert {(entity.id, entity.name, entity.extracted_aliases) for entity in entities} == {
            (who.id, "World Health Organization", ("World Health Organisation",)),
            (msft.id, "Microsoft Corporation", ("Microsoft Corp",)),
        }
    finally:
        index.close()
