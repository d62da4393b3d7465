"""Graph queries on in-memory ports: neighbours to a depth with filters, the shortest path, the subgraph
around a text; candidates and deleted facts are not walked, another project's entity is not found."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from agentry.application.errors import NotFound
from agentry.application.knowledge import queries
from agentry.application.knowledge.queries import Neighbours, ShortestPath, SubgraphAround, WalkFilter
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus, status_for
from tests.unit.application.knowledge_scene import OUTSIDER, PROJECT, VIEWER, Knowledge


class Graph:
    """A chain a - b - c - d - e, a side branch b - x (a place), and a candidate edge a - z."""

    def __init__(self) -> None:
        self.k = Knowledge()
        self.ids: dict[str, UUID] = {}

    async def build(self, edges: list[tuple[str, str, float]], places: str = "x") -> Graph:
        e, r, _, s = self.k.ports()
        now = self.k.clock.now()
        for name in sorted({n for a, b, _ in edges for n in (a, b)}):
            entity = Entity.extracted(
                uuid4(), PROJECT, name, "place" if name in places else "person", 0.9, FactStatus.GRAPH, [], now
            )
            self.ids[name] = entity.id
            await e.add(entity)
        for a, b, confidence in edges:
            status = status_for(confidence, 0.5)
            rel = Relationship.create(
                uuid4(), PROJECT, self.ids[a], self.ids[b], "knows", now, confidence=confidence, status=status
            )
            await r.add(rel)
        await s.commit()
        return self

    def names(self, entities: list[Entity]) -> set[str]:
        return {entity.name for entity in entities}

    @property
    def neighbours(self) -> Neighbours:
        e, _, reads, _ = self.k.ports()
        return Neighbours(e, reads, self.k.policy)

    @property
    def path(self) -> ShortestPath:
        e, _, reads, _ = self.k.ports()
        return ShortestPath(e, reads, self.k.policy)

    @property
    def around(self) -> SubgraphAround:
        e, _, reads, _ = self.k.ports()
        return SubgraphAround(e, reads, self.k.policy, self.k.projects)


CHAIN = [("a", "b", 0.9), ("b", "c", 0.9), ("c", "d", 0.6), ("d", "e", 0.9), ("b", "x", 0.9), ("a", "z", 0.2)]


async def test_neighbours_to_a_depth_walk_both_ways_and_skip_candidates() -> None:
    g = await Graph().build(CHAIN)
    one = await g.neighbours(VIEWER, PROJECT, g.ids["b"], 1)
    assert g.names(one.entities) == {"a", "b", "c", "x"} and len(one.relationships) == 3
    two = await g.neighbours(VIEWER, PROJECT, g.ids["a"], 2)
    assert g.names(two.entities) == {"a", "b", "c", "x"}
    with_candidates = await g.neighbours(VIEWER, PROJECT, g.ids["a"], 1, WalkFilter(include_candidates=True))
    assert g.names(with_candidates.entities) == {"a", "b", "z"}


async def test_neighbours_filter_by_entity_type_and_confidence() -> None:
    g = await Graph().build(CHAIN)
    people = await g.neighbours(VIEWER, PROJECT, g.ids["b"], 4, WalkFilter(entity_types=frozenset({"person"})))
    assert g.names(people.entities) == {"a", "b", "c", "d", "e"}
    sure = await g.neighbours(VIEWER, PROJECT, g.ids["b"], 4, WalkFilter(min_confidence=0.8))
    assert g.names(sure.entities) == {"a", "b", "c", "x"}
    assert not (await g.neighbours(VIEWER, PROJECT, g.ids["b"], 1, WalkFilter(frozenset({"owns"})))).relationships


@pytest.mark.parametrize("depth", [0, 5])
async def test_depth_is_capped(depth: int) -> None:
    g = await Graph().build(CHAIN)
    with pytest.raises(InvalidValue):
        await g.neighbours(VIEWER, PROJECT, g.ids["a"], depth)


async def test_a_walk_that_reaches_too_many_entities_says_it_is_partial(monkeypatch: pytest.MonkeyPatch) -> None:
    g = await Graph().build([("hub", f"s{n}", 0.9) for n in range(10)])
    monkeypatch.setattr(queries, "NODES_MAX", 5)
    partial = await g.neighbours(VIEWER, PROJECT, g.ids["hub"], 1)
    assert partial.truncated and len(partial.entities) == 5


async def test_the_shortest_path_runs_end_to_end_in_order() -> None:
    g = await Graph().build([*CHAIN, ("a", "e", 0.9)])
    path = await g.path(VIEWER, PROJECT, g.ids["e"], g.ids["x"])
    assert [x.name for x in path.entities] == ["e", "a", "b", "x"]
    assert len(path.relationships) == 3
    for step, rel in enumerate(path.relationships):
        assert {rel.source_id, rel.target_id} == {path.entities[step].id, path.entities[step + 1].id}


async def test_no_path_within_the_depth_or_through_candidates_is_an_empty_path() -> None:
    g = await Graph().build(CHAIN)
    assert not (await g.path(VIEWER, PROJECT, g.ids["e"], g.ids["z"])).found
    assert (await g.path(VIEWER, PROJECT, g.ids["e"], g.ids["z"], include_candidates=True)).found
    assert not (await g.path(VIEWER, PROJECT, g.ids["a"], g.ids["e"], max_depth=3)).found
    assert [x.name for x in (await g.path(VIEWER, PROJECT, g.ids["a"], g.ids["a"])).entities] == ["a"]


async def test_the_subgraph_around_a_text_starts_at_the_entities_it_names() -> None:
    g = await Graph().build(CHAIN)
    around = await g.around(VIEWER, PROJECT, "E", 1)
    assert g.names(around.entities) == {"d", "e"}
    assert (await g.around(VIEWER, PROJECT, "nobody", 2)).entities == []
    with pytest.raises(InvalidValue):
        await g.around(VIEWER, PROJECT, "  ", 1)


async def test_an_outsider_finds_no_entity_to_walk_from() -> None:
    g = await Graph().build(CHAIN)
    with pytest.raises(NotFound):
        await g.neighbours(OUTSIDER, PROJECT, g.ids["a"], 1)
    with pytest.raises(NotFound):
        await g.path(OUTSIDER, PROJECT, g.ids["a"], g.ids["b"])
