"""Entity resolution's name index follows the entities from their events (KeepNameVectors): a person's
entity, a rename and a split-off entity get their name's vector, a deleted or merged-away entity loses its,
and an event handed over twice (or one that changes no name) embeds nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from agentry.application.knowledge.keep_name_vectors import KeepNameVectors
from agentry.application.knowledge.record_extraction import MergeExtraction, RecordExtraction
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.application.outbox.ports import StoredEvent
from agentry.domain.events import DomainEvent
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, Extraction
from agentry.domain.principal import Principal, PrincipalKind
from tests.fakes.memory_knowledge import MemoryEntities
from tests.fakes.memory_search import HashingEmbedder, MemoryVectorIndex
from tests.unit.application.knowledge_scene import MAINTAINER, MEMBER, OTHER_PROJECT, PROJECT, Knowledge

SYSTEM = Principal(UUID(int=0), "system", PrincipalKind.SYSTEM)
ORGANIZATION = "organization"


@dataclass
class Scene:
    k: Knowledge = field(default_factory=Knowledge)
    embedder: HashingEmbedder = field(default_factory=HashingEmbedder)
    names: MemoryVectorIndex = field(default_factory=MemoryVectorIndex)
    delivered: int = 0  # the events of k.db.events handed to the subscriber so far

    @property
    def similar(self) -> SimilarNames:
        return SimilarNames(self.embedder, self.names, ResolutionSettings(0.9))

    async def relay(self) -> list[DomainEvent]:
        """Hand the events committed since the last relay to the subscriber, as the outbox relay does."""
        subscriber = KeepNameVectors(MemoryEntities(self.k.session()), self.similar)
        events = self.k.db.events[self.delivered :]
        for position, event in enumerate(events, start=self.delivered):
            if subscriber.wants(event.type):
                await subscriber.handle(StoredEvent(uuid4(), position, event))
        self.delivered = len(self.k.db.events)
        return events

    async def create(self, name: str, **edit: object) -> Entity:
        return await self.k.create_entity(MEMBER, PROJECT, EntityEdit(name=name, type=ORGANIZATION, **edit))  # type: ignore[arg-type]

    async def record(self, *names: str) -> None:
        evidence = (Evidence(uuid4(), 0, 3),)
        extraction = Extraction(tuple(ExtractedEntity(n, ORGANIZATION, 0.9, evidence) for n in names), ())
        e, r, _, s = self.k.ports()
        use_case = RecordExtraction(MergeExtraction(e, r, self.similar, self.k.clock, self.k.ids), self.k.policy, s)
        await use_case(SYSTEM, PROJECT, uuid4(), extraction, "offline-test", 0.5)

    def kept(self) -> dict[UUID, str]:
        """Each kept vector's entity and the name it is the vector of (checked against the embedder)."""
        for entry in self.names.entries.values():
            assert list(entry.vector) == self.embedder.vector(str(entry.metadata["name"]))
            assert entry.owner_id == entry.id and entry.project_id == PROJECT
        return {entry.id: str(entry.metadata["name"]) for entry in self.names.entries.values()}


async def test_a_persons_entity_gets_its_names_vector_and_a_repeated_event_embeds_nothing_more() -> None:
    scene = Scene()
    acme = await scene.create("Acme Corporation", aliases=["Acme"])
    events = await scene.relay()
    assert [event.type for event in events] == ["entity.created"]
    assert scene.kept() == {acme.id: "Acme Corporation"}
    calls = list(scene.embedder.calls)

    subscriber = KeepNameVectors(MemoryEntities(scene.k.session()), scene.similar)
    await subscriber.handle(StoredEvent(uuid4(), 0, events[0]))  # the relay died before marking it: again

    assert scene.embedder.calls == calls
    assert scene.kept() == {acme.id: "Acme Corporation"}


async def test_a_rename_replaces_the_vector_and_a_change_of_aliases_or_type_embeds_nothing() -> None:
    scene = Scene()
    acme = await scene.create("Acme Corporation")
    await scene.relay()
    await scene.k.edit_entity(MEMBER, PROJECT, acme.id, EntityEdit(name="Acme Holdings"))
    await scene.relay()
    assert scene.kept() == {acme.id: "Acme Holdings"}
    calls = list(scene.embedder.calls)

    await scene.k.edit_entity(MEMBER, PROJECT, acme.id, EntityEdit(aliases=["ACME"], type="company"))
    await scene.relay()

    assert scene.embedder.calls == calls
    assert scene.kept() == {acme.id: "Acme Holdings"}


async def test_a_deleted_entity_loses_its_vector() -> None:
    scene = Scene()
    acme, other = await scene.create("Acme Corporation"), await scene.create("Globex")
    await scene.relay()
    await scene.k.delete_entity(MAINTAINER, PROJECT, acme.id)
    await scene.relay()
    assert scene.kept() == {other.id: "Globex"}


async def test_merged_away_entities_lose_their_vectors_and_the_kept_one_keeps_its_own() -> None:
    scene = Scene()
    kept, a, b = [await scene.create(name) for name in ("Acme Corporation", "Acme Corp", "ACME Inc")]
    await scene.relay()
    calls = list(scene.embedder.calls)
    await scene.k.merge(MAINTAINER, PROJECT, kept.id, [a.id, b.id])
    events = await scene.relay()
    assert "entity.merged" in [event.type for event in events]
    assert scene.kept() == {kept.id: "Acme Corporation"}
    assert scene.embedder.calls == calls


async def test_a_split_off_entity_gets_its_own_vector_and_the_remaining_one_keeps_its_own() -> None:
    scene = Scene()
    jordan = await scene.create("Jordan", aliases=["Michael Jordan"])
    await scene.relay()
    _, michael = await scene.k.split(
        MAINTAINER, PROJECT, jordan.id, EntityEdit(name="Michael Jordan", type="person"), ["Michael Jordan"], []
    )
    await scene.relay()
    assert scene.kept() == {jordan.id: "Jordan", michael.id: "Michael Jordan"}


async def test_the_link_steps_entities_are_not_embedded_again_and_an_unnamed_change_is_let_pass() -> None:
    scene = Scene()
    await scene.record("Acme Corporation", "Globex")
    await scene.relay()
    await scene.record("Acme Corporation")  # a reading of another document: entity.updated, nothing named
    await scene.relay()
    assert scene.embedder.calls == [2]  # the link step's one batch
    assert sorted(scene.kept().values()) == ["Acme Corporation", "Globex"]


async def test_a_vector_without_its_name_or_by_another_model_is_made_again() -> None:
    """Vectors kept before names were recorded with them, or by a model since replaced, are healed by the
    next event that concerns the entity's names."""
    scene = Scene()
    acme = await scene.create("Acme Corporation")
    await scene.relay()
    entry = scene.names.entries[acme.id]
    scene.names.entries[acme.id] = type(entry)(entry.id, PROJECT, entry.id, entry.vector, {"model": "old"})
    await scene.k.edit_entity(MEMBER, PROJECT, acme.id, EntityEdit(aliases=["Acme"]))
    await scene.relay()
    assert scene.names.entries[acme.id].metadata == {"model": scene.embedder.model, "name": "Acme Corporation"}


async def test_an_event_naming_an_entity_of_another_project_forgets_nothing_there() -> None:
    scene = Scene()
    acme = await scene.create("Acme Corporation")
    await scene.relay()
    forged = DomainEvent("entity.deleted", "entity", acme.id, scene.k.clock.now(), {"project_id": str(OTHER_PROJECT)})
    subscriber = KeepNameVectors(MemoryEntities(scene.k.session()), scene.similar)
    await subscriber.handle(StoredEvent(uuid4(), 99, forged))
    assert scene.kept() == {acme.id: "Acme Corporation"}
