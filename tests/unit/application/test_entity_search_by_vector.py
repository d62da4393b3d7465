"""Entity search by the query's embedding against the entity names' index, fused with the text ranking:
a paraphrase found only by vector, the reciprocal rank fusion order of an entity in both rankings, and
what the index holds but search never shows (another project's, a candidate's, a deleted entity's,
another model's vector, a name too far from the query)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.search.entities import MIN_SIMILARITY, SearchEntities
from agentry.application.search.hybrid import RRF_K
from agentry.application.search.ports import EmbeddingFailed, VectorEntry
from agentry.application.search.query_embedding import OnceEmbedder
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.values import FactStatus
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from tests.fakes.existing_projects import ExistingProjects
from tests.fakes.memory_knowledge import KnowledgeDb, MemorySearchableEntities
from tests.fakes.memory_search import MemoryVectorIndex, ScriptedEmbedder
from tests.fakes.policy import TablePolicy

PROJECT, OTHER = UUID(int=1), UUID(int=2)
PROJECTS = ExistingProjects(PROJECT, OTHER)
VIEWER = Principal(UUID(int=3), "viewer", memberships={PROJECT: ProjectRole.VIEWER, OTHER: ProjectRole.VIEWER})
NOW = datetime(2026, 12, 7, tzinfo=UTC)
# Unit vectors: "automobile maker" ~ "Car manufacturer" 0.8, ~ "Bakery" 0; "kiwi" ~ "Actinidia" 0.96,
# ~ "Gooseberry" 0.8, ~ "Stone fruit" 0.28 (under the floor).
VECTORS: dict[str, tuple[float, ...]] = {
    "automobile maker": (1.0, 0.0, 0.0, 0.0),
    "Car manufacturer": (0.8, 0.6, 0.0, 0.0),
    "Bakery": (0.0, 1.0, 0.0, 0.0),
    "kiwi": (0.0, 0.0, 0.0, 1.0),
    "Actinidia": (0.0, 0.0, 0.28, 0.96),
    "Gooseberry": (0.0, 0.0, 0.6, 0.8),
    "Stone fruit": (0.0, 0.0, 0.96, 0.28),
}


class Scene:
    def __init__(self) -> None:
        self.db = KnowledgeDb()
        self.names = MemoryVectorIndex(4)
        self.embedder = ScriptedEmbedder(VECTORS)

    def put(
        self,
        name: str,
        project: UUID = PROJECT,
        *,
        vector_in: UUID | None = None,
        model: str = "scripted",
        **more: object,
    ) -> Entity:
        """An entity of `project`, and its name's vector (from VECTORS) in `vector_in`'s part of the index."""
        status = more.pop("status", FactStatus.GRAPH)
        entity = Entity.create(uuid4(), project, EntityEdit(name=name, type="thing", status=status, **more), NOW, ())  # type: ignore[arg-type]
        self.db.committed.entities[entity.id] = entity
        if name in VECTORS:
            where = vector_in or project
            entry = VectorEntry(entity.id, where, entity.id, VECTORS[name], {"model": model, "name": name})
            self.names.entries[entity.id] = entry
        return entity

    def search(self, *, with_vectors: bool = True) -> SearchEntities:
        if not with_vectors:
            return SearchEntities(MemorySearchableEntities(self.db), TablePolicy(), PROJECTS)
        return SearchEntities(MemorySearchableEntities(self.db), TablePolicy(), PROJECTS, self.embedder, self.names)


async def test_a_paraphrase_is_found_by_vector_only():
    scene = Scene()
    car = scene.put("Car manufacturer")
    scene.put("Bakery")  # orthogonal: under the similarity floor
    [hit] = await scene.search()(VIEWER, PROJECT, "automobile maker", 10)
    assert (hit.entity_id, hit.name, hit.score) == (car.id, "Car manufacturer", 0.0)
    assert hit.vector_score == pytest.approx(0.8)
    assert hit.fused_score == pytest.approx(1 / (RRF_K + 1))
    assert scene.embedder.asked == [["automobile maker"]]
    assert await scene.search(with_vectors=False)(VIEWER, PROJECT, "automobile maker", 10) == []


async def test_an_entity_in_both_rankings_adds_both_reciprocal_ranks():
    scene = Scene()
    exact = scene.put("KIWI")  # text 4, no vector kept
    both = scene.put("Actinidia", aliases=["Kiwi"])  # text 3, vector 0.96
    orchards = scene.put("Kiwi Orchards")  # text 2, no vector kept
    vector_only = scene.put("Gooseberry")  # vector 0.8
    scene.put("Stone fruit")  # vector 0.28: too far
    hits = await scene.search()(VIEWER, PROJECT, "kiwi", 10)
    assert [h.entity_id for h in hits] == [both.id, exact.id, vector_only.id, orchards.id]
    assert [h.score for h in hits] == [3.0, 4.0, 0.0, 2.0]
    assert [h.vector_score for h in hits] == [pytest.approx(0.96), None, pytest.approx(0.8), None]
    assert [h.fused_score for h in hits] == pytest.approx(
        [1 / (RRF_K + 2) + 1 / (RRF_K + 1), 1 / (RRF_K + 1), 1 / (RRF_K + 2), 1 / (RRF_K + 3)]
    )
    assert [h.entity_id for h in await scene.search()(VIEWER, PROJECT, "kiwi", 2)] == [both.id, exact.id]


async def test_another_projects_vectors_and_entities_are_never_found():
    scene = Scene()
    scene.put("Car manufacturer", OTHER)  # its vector in its own project's part of the index
    scene.put("Gooseberry", OTHER, vector_in=PROJECT)  # an index gone wrong: read back, it is not this project's
    assert await scene.search()(VIEWER, PROJECT, "automobile maker", 10) == []
    assert await scene.search()(VIEWER, PROJECT, "kiwi", 10) == []
    [other] = await scene.search()(VIEWER, OTHER, "automobile maker", 10)
    assert other.name == "Car manufacturer"


async def test_candidates_deleted_entities_and_another_models_vectors_are_not_found():
    scene = Scene()
    scene.put("Car manufacturer", status=FactStatus.CANDIDATE)
    scene.put("Gooseberry").delete(NOW)
    scene.put("Actinidia", model="an-older-model")
    assert await scene.search()(VIEWER, PROJECT, "automobile maker", 10) == []
    assert await scene.search()(VIEWER, PROJECT, "kiwi", 10) == []


async def test_without_vectors_of_the_project_the_text_ranking_alone_counts():
    scene = Scene()
    scene.put("Kiwi Orchards")
    scene.put("Kiwi")
    with_index = await scene.search()(VIEWER, PROJECT, "kiwi", 10)
    assert with_index == await scene.search(with_vectors=False)(VIEWER, PROJECT, "kiwi", 10)
    assert [h.vector_score for h in with_index] == [None, None]


async def test_when_the_embedder_fails_the_text_ranking_answers(caplog: pytest.LogCaptureFixture):
    scene = Scene()
    both = scene.put("Actinidia", aliases=["Kiwi"])
    scene.put("Gooseberry")
    scene.embedder.down = True
    [hit] = await scene.search()(VIEWER, PROJECT, "kiwi", 10)
    assert (hit.entity_id, hit.score, hit.vector_score) == (both.id, 3.0, None)
    assert "the embeddings server is unreachable" in caplog.text


async def test_a_request_embeds_its_query_once():
    embedder = ScriptedEmbedder(VECTORS)
    once = OnceEmbedder(embedder)
    assert (once.model, once.dimension) == ("scripted", 4)
    assert await once.embed(["kiwi"]) == await once.embed(["kiwi"]) == [VECTORS["kiwi"]]
    await once.embed(["automobile maker"])
    assert embedder.asked == [["kiwi"], ["automobile maker"]]


async def test_a_request_asks_an_embedder_that_is_away_once():
    embedder = ScriptedEmbedder(VECTORS)
    embedder.down = True
    once = OnceEmbedder(embedder)
    for _ in range(2):
        with pytest.raises(EmbeddingFailed, match="unreachable"):
            await once.embed(["kiwi"])
    assert embedder.asked == [["kiwi"]]
    embedder.down = False
    assert await once.embed(["automobile maker"]) == [VECTORS["automobile maker"]]


NAMES = list(VECTORS)


@settings(max_examples=40, deadline=None)
@given(
    entities=st.lists(
        st.tuples(st.sampled_from(NAMES), st.booleans(), st.booleans(), st.sampled_from(list(FactStatus))),
        min_size=1,
        max_size=8,
    ),
    query=st.sampled_from(["kiwi", "automobile maker"]),
)
async def test_what_search_shows_is_the_projects_graph_entities(
    entities: list[tuple[str, bool, bool, FactStatus]], query: str
) -> None:
    scene = Scene()
    shown: set[UUID] = set()
    for name, in_other, vector_elsewhere, status in entities:
        project = OTHER if in_other else PROJECT
        made = scene.put(name, project, vector_in=PROJECT if vector_elsewhere else None, status=status)
        near = sum(a * b for a, b in zip(VECTORS[name], VECTORS[query], strict=True)) >= MIN_SIMILARITY
        if project == PROJECT and status is FactStatus.GRAPH and (near or name == query):
            shown.add(made.id)
    hits = await scene.search()(VIEWER, PROJECT, query, 50)
    assert {h.entity_id for h in hits} == shown
    assert [h.fused_score for h in hits] == sorted((h.fused_score for h in hits), reverse=True)
