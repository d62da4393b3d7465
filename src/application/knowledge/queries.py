"""Graph queries over a project's graph facts (candidates only when asked for): the neighbours of an entity
to a depth, the shortest path between two entities, and the subgraph around the entities a text names.

Each is a breadth-first walk of batched reads: per level, one read of the relationships touching the
frontier and one of the entities they reach (GraphReads), so a walk costs two statements a level however
wide it gets. Depths are capped, and so is the number of entities a walk may collect (`truncated` then
says the answer is partial). Relationships are walked both ways; each keeps its direction in the answer."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from agentry.application.access import require_existing_project
from agentry.application.knowledge.access import require_reader, visible_entity
from agentry.application.knowledge.ports.graph import (
    EdgeFilter,
    EntityQuery,
    EntityRepository,
    GraphReads,
    NodeFilter,
)
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.projects.ports import ProjectRepository
from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.principal import Principal

DEPTH_MAX = 4
PATH_DEPTH_MAX = 6
NODES_MAX = 2_000
SEEDS_MAX = 20


@dataclass(frozen=True, slots=True)
class Subgraph:
    entities: list[Entity]
    relationships: list[Relationship]
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class WalkFilter:
    relationship_types: frozenset[str] = frozenset()
    entity_types: frozenset[str] = frozenset()
    min_confidence: float = 0.0
    include_candidates: bool = False

    def edges(self) -> EdgeFilter:
        return EdgeFilter(self.relationship_types, self.min_confidence, self.include_candidates)

    def nodes(self) -> NodeFilter:
        return NodeFilter(self.entity_types, self.include_candidates)


def _checked_depth(depth: int, most: int) -> int:
    if not 1 <= depth <= most:
        raise InvalidValue("depth", f"from 1 to {most}")
    return depth


def _other_end(edge: Relationship, known: Collection[UUID]) -> Iterable[UUID]:
    return (end for end in (edge.source_id, edge.target_id) if end not in known)


async def walk(reads: GraphReads, project_id: UUID, starts: list[Entity], depth: int, where: WalkFilter) -> Subgraph:
    """Every entity within `depth` relationships of the starts (passing the filter), and the
    relationships between the entities found."""
    found: dict[UUID, Entity] = {start.id: start for start in starts}
    edges: dict[UUID, Relationship] = {}
    frontier = set(found)
    truncated = False
    for _ in range(depth):
        if not frontier:
            break
        touching = await reads.edges(project_id, frontier, where.edges())
        reached = {end for edge in touching for end in _other_end(edge, found)}
        if len(found) + len(reached) > NODES_MAX:
            reached = set(sorted(reached)[: NODES_MAX - len(found)])
            truncated = True
        new = await reads.nodes(project_id, reached, where.nodes()) if reached else []
        found.update((entity.id, entity) for entity in new)
        edges.update((edge.id, edge) for edge in touching if edge.source_id in found and edge.target_id in found)
        frontier = {entity.id for entity in new}
        if truncated:
            break
    return Subgraph(list(found.values()), list(edges.values()), truncated)


@dataclass(frozen=True, slots=True)
class Neighbours:
    entities: EntityRepository
    reads: GraphReads
    policy: AccessPolicy

    async def __call__(
        self, actor: Principal, project_id: UUID, entity_id: UUID, depth: int = 1, where: WalkFilter | None = None
    ) -> Subgraph:
        require_reader(self.policy, actor, project_id)
        _checked_depth(depth, DEPTH_MAX)
        where = where or WalkFilter()
        if not 0.0 <= where.min_confidence <= 1.0:
            raise InvalidValue("min_confidence", "from 0 to 1")
        start = await visible_entity(self.entities, project_id, entity_id)
        return await walk(self.reads, project_id, [start], depth, where)


@dataclass(frozen=True, slots=True)
class Path:
    """The entities from one end to the other, and the relationship taken at each step (`relationships[i]`
    joins `entities[i]` and `entities[i + 1]`, in whichever direction it points)."""

    entities: list[Entity] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.entities)


@dataclass(frozen=True, slots=True)
class ShortestPath:
    """A breadth-first walk from both ends at once (the smaller frontier steps first), up to
    PATH_DEPTH_MAX relationships; no path within that: an empty Path."""

    entities: EntityRepository
    reads: GraphReads
    policy: AccessPolicy

    async def __call__(
        self,
        actor: Principal,
        project_id: UUID,
        from_id: UUID,
        to_id: UUID,
        max_depth: int = PATH_DEPTH_MAX,
        include_candidates: bool = False,
    ) -> Path:
        require_reader(self.policy, actor, project_id)
        _checked_depth(max_depth, PATH_DEPTH_MAX)
        start = await visible_entity(self.entities, project_id, from_id)
        end = await visible_entity(self.entities, project_id, to_id)
        if start.id == end.id:
            return Path([start], [])
        where = WalkFilter(include_candidates=include_candidates)
        # Each side: entity id → (the entity, the id it was reached from, the relationship taken).
        sides: list[dict[UUID, tuple[Entity, UUID | None, Relationship | None]]] = [
            {start.id: (start, None, None)},
            {end.id: (end, None, None)},
        ]
        frontiers = [{start.id}, {end.id}]
        for _ in range(max_depth):
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            seen, other = sides[side], sides[1 - side]
            touching = await self.reads.edges(project_id, frontiers[side], where.edges())
            reached = {end_id for edge in touching for end_id in _other_end(edge, seen)}
            if len(seen) + len(reached) > NODES_MAX * 5:
                return Path()
            allowed = {e.id: e for e in await self.reads.nodes(project_id, reached, where.nodes())} if reached else {}
            frontier: set[UUID] = set()
            for edge in touching:
                for here, there in ((edge.source_id, edge.target_id), (edge.target_id, edge.source_id)):
                    if here in frontiers[side] and there in allowed and there not in seen:
                        seen[there] = (allowed[there], here, edge)
                        frontier.add(there)
            meeting = [entity_id for entity_id in frontier if entity_id in other]
            if meeting:
                return _joined(sides, min(meeting))
            if not frontier:
                return Path()
            frontiers[side] = frontier
        return Path()


def _joined(sides: list[dict[UUID, tuple[Entity, UUID | None, Relationship | None]]], meeting: UUID) -> Path:
    def chain(
        side: dict[UUID, tuple[Entity, UUID | None, Relationship | None]],
    ) -> tuple[list[Entity], list[Relationship]]:
        entities: list[Entity] = []
        relationships: list[Relationship] = []
        at: UUID | None = meeting
        while at is not None:
            entity, previous, edge = side[at]
            entities.append(entity)
            if edge is not None:
                relationships.append(edge)
            at = previous
        return entities, relationships

    from_start, start_edges = chain(sides[0])  # meeting … start
    to_end, end_edges = chain(sides[1])  # meeting … end
    return Path([*reversed(from_start), *to_end[1:]], [*reversed(start_edges), *end_edges])


@dataclass(frozen=True, slots=True)
class SubgraphAround:
    """The entities whose name or alias holds the text (up to SEEDS_MAX, newest first) and their
    neighbourhood to `depth`."""

    entities: EntityRepository
    reads: GraphReads
    policy: AccessPolicy
    projects: ProjectRepository

    async def __call__(
        self, actor: Principal, project_id: UUID, q: str, depth: int = 1, include_candidates: bool = False
    ) -> Subgraph:
        require_reader(self.policy, actor, project_id)
        await require_existing_project(self.projects, project_id)
        _checked_depth(depth, DEPTH_MAX)
        if not q.strip():
            raise InvalidValue("q", "must not be empty")
        seeds = await self.entities.page(
            EntityQuery(project_id, q=q, include_candidates=include_candidates, limit=SEEDS_MAX)
        )
        if not seeds:
            return Subgraph([], [])
        return await walk(self.reads, project_id, seeds, depth, WalkFilter(include_candidates=include_candidates))
