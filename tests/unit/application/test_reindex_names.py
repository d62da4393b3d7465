"""The backfill of the name index (ReindexNames): the entities without a name vector get one, in batches
of the size asked; a vector this model made of the entity's name is left alone, so a second run embeds
nothing; a deleted entity gets none; one project or every project; refused for a project one may not
curate, and an unknown project is not found."""

from __future__ import annotations

from uuid import UUID

import pytest

from agentry.application.errors import Forbidden, NotFound
from agentry.application.knowledge.reindex_names import ReindexNames, ReindexReport
from agentry.application.knowledge.similar_names import ResolutionSettings, SimilarNames
from agentry.domain.knowledge.entity import EntityEdit
from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole
from tests.fakes.memory_knowledge import MemoryEntities
from tests.fakes.memory_search import HashingEmbedder, MemoryVectorIndex
from tests.unit.application.knowledge_scene import MAINTAINER, MEMBER, OTHER_PROJECT, OUTSIDER, PROJECT, Knowledge

ADMIN = Principal(UUID(int=0xAD), "admin", role=GlobalRole.ADMIN)


class Scene:
    def __init__(self) -> None:
        self.k = Knowledge()
        self.embedder = HashingEmbedder()
        self.names = MemoryVectorIndex()  # empty: the entities were made before it, nothing relayed

    @property
    def reindex(self) -> ReindexNames:
        similar = SimilarNames(self.embedder, self.names, ResolutionSettings(0.9))
        session = self.k.session()
        return ReindexNames(MemoryEntities(session), self.k.projects, similar, self.k.policy, session)

    async def create(self, name: str, project: UUID = PROJECT) -> UUID:
        actor = MEMBER if project == PROJECT else OUTSIDER
        return (await self.k.create_entity(actor, project, EntityEdit(name=name, type="organization"))).id

    def kept(self, project: UUID = PROJECT) -> dict[UUID, str]:
        return {e.id: str(e.metadata["name"]) for e in self.names.entries.values() if e.project_id == project}


async def test_the_missing_names_are_embedded_in_batches_and_a_second_run_embeds_nothing() -> None:
    scene = Scene()
    made = {await scene.create(f"Company {n}"): f"Company {n}" for n in range(5)}
    gone = await scene.create("Gone Ltd")
    await scene.k.delete_entity(MAINTAINER, PROJECT, gone)

    assert await scene.reindex(ADMIN, PROJECT, batch=2) == ReindexReport(projects=1, entities=5, embedded=5)
    assert scene.kept() == made
    assert scene.embedder.calls == [2, 2, 1]

    assert await scene.reindex(ADMIN, PROJECT, batch=2) == ReindexReport(projects=1, entities=5, embedded=0)
    assert scene.embedder.calls == [2, 2, 1]


async def test_only_the_missing_or_stale_are_embedded_and_every_project_is_reached_without_one_named() -> None:
    scene = Scene()
    kept, stale, missing = [await scene.create(name) for name in ("Acme", "Globex", "Initech")]
    theirs = await scene.create("Umbrella", OTHER_PROJECT)
    await scene.reindex(ADMIN, PROJECT)
    scene.names.entries.pop(missing)
    old = scene.names.entries[stale]
    scene.names.entries[stale] = type(old)(stale, PROJECT, stale, old.vector, {"model": "old", "name": "Globex"})
    calls = len(scene.embedder.calls)

    assert await scene.reindex(ADMIN) == ReindexReport(projects=2, entities=4, embedded=3)
    assert scene.embedder.calls[calls:] == [2, 1]  # this project's two, then the other's one
    assert scene.kept() == {kept: "Acme", stale: "Globex", missing: "Initech"}
    assert scene.kept(OTHER_PROJECT) == {theirs: "Umbrella"}


async def test_a_project_one_may_not_curate_is_refused_and_an_unknown_one_is_not_found() -> None:
    scene = Scene()
    await scene.create("Acme")
    with pytest.raises(Forbidden):
        await scene.reindex(MEMBER, PROJECT)
    with pytest.raises(NotFound):
        await scene.reindex(ADMIN, UUID(int=0xBAD))
    assert scene.embedder.calls == []
