"""The knowledge graph's storage, in memory, on SQLite and on PostgreSQL alike: entities and
relationships round-trip with their overrides and mentions, pages filter and page by cursor within one
project, exact-name lookups, per-document lookups, the walks' batched reads, removal, and the events
of what a unit of work commits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.knowledge.repository import (
    SqlAlchemyEntities,
    SqlAlchemyGraphReads,
    SqlAlchemyRelationships,
)
from agentry.adapters.sqlalchemy.knowledge.search import SqlAlchemySearchableEntities
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.outbox.tables import domain_events
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.knowledge.ports.graph import (
    EdgeFilter,
    EntityQuery,
    NodeFilter,
    Position,
    RelationshipQuery,
)
from agentry.domain.knowledge.entity import Entity, EntityEdit
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import FactStatus, Mention
from tests.contract.builders import make_project
from tests.contract.databases import empty_database
from tests.fakes.memory_knowledge import (
    KnowledgeDb,
    KnowledgeSession,
    MemoryEntities,
    MemoryGraphReads,
    MemoryRelationships,
    MemorySearchableEntities,
)

T0 = datetime(2026, 12, 6, 12, tzinfo=UTC)
DOC, OTHER_DOC = uuid4(), uuid4()


@dataclass
class Ports:
    entities: Any
    relationships: Any
    reads: Any
    uow: Any
    searchable: Any = None


class Graph:
    """A fresh unit of work per `scope()`, and the event types committed so far."""

    def __init__(self, kind: str, project_id: UUID, other_id: UUID, engine: Any = None) -> None:
        self.kind = kind
        self.project_id = project_id
        self.other_id = other_id
        self._engine = engine
        self._db = KnowledgeDb()

    @asynccontextmanager
    async def scope(self) -> AsyncIterator[Ports]:
        if self._engine is None:
            session = KnowledgeSession(self._db)
            yield Ports(
                MemoryEntities(session),
                MemoryRelationships(session),
                MemoryGraphReads(session),
                session,
                MemorySearchableEntities(self._db),
            )
            return
        async with async_sessionmaker(self._engine, expire_on_commit=False)() as s:
            yield Ports(
                SqlAlchemyEntities(s),
                SqlAlchemyRelationships(s),
                SqlAlchemyGraphReads(s),
                SqlAlchemyUnitOfWork(s, uuid4),
                SqlAlchemySearchableEntities(s),
            )

    async def event_types(self) -> list[str]:
        if self._engine is None:
            return [event.type for event in self._db.events]
        async with async_sessionmaker(self._engine)() as s:
            rows = await s.execute(select(domain_events.c.type).order_by(domain_events.c.occurred_at))
            return [row[0] for row in rows]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def graph(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Graph]:
    start_mappers()  # before the first domain object is made
    project, other = make_project(), make_project(slug="other")
    if request.param == "memory":
        yield Graph("memory", project.id, other.id)
        return
    url = empty_database(request, request.param, tmp_path)
    engine = create_async_database(url, pool_size=5)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await SqlAlchemyProjectRepository(s).add(project)
        await SqlAlchemyProjectRepository(s).add(other)
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    try:
        yield Graph(request.param, project.id, other.id, engine)
    finally:
        await engine.dispose()


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def extracted(
    project_id: UUID,
    name: str,
    type_: str = "organisation",
    aliases: tuple[str, ...] = (),
    *,
    seconds: int = 0,
    confidence: float = 0.9,
    document: UUID = DOC,
) -> Entity:
    status = FactStatus.GRAPH if confidence >= 0.5 else FactStatus.CANDIDATE
    mention = Mention(document, uuid4(), seconds, seconds + 4)
    return Entity.extracted(
        uuid4(), project_id, name, type_, confidence, status, [mention], at(seconds), aliases=aliases
    )


def edge(project_id: UUID, a: Entity, b: Entity, type_: str = "knows", confidence: float = 0.9) -> Relationship:
    status = FactStatus.GRAPH if confidence >= 0.5 else FactStatus.CANDIDATE
    mention = Mention(DOC, uuid4(), 0, 4)
    return Relationship.create(
        uuid4(),
        project_id,
        a.id,
        b.id,
        type_,
        T0,
        confidence=confidence,
        status=status,
        sources=[mention],
        by_person=False,
    )


async def store(graph: Graph, *facts: Entity | Relationship) -> None:
    async with graph.scope() as p:
        for fact in facts:
            if isinstance(fact, Entity):
                await p.entities.add(fact)
            else:
                await p.relationships.add(fact)
        await p.uow.commit()


async def test_an_entity_reads_back_with_its_overrides_aliases_properties_and_mentions(graph: Graph) -> None:
    entity = extracted(graph.project_id, "Acme Corp", aliases=("Acme", "ACME Inc"))
    entity.edit(EntityEdit(description="anvils", properties={"founded": 1949, "tags": ["x"]}, aliases=["A"]), T0)
    await store(graph, entity)
    async with graph.scope() as p:
        read = await p.entities.get(entity.id)
    assert (read is not None and read is not entity) or graph.kind == "memory"
    assert read is not None
    assert (read.name, read.type, read.aliases, read.description) == ("Acme Corp", "organisation", ("A",), "anvils")
    assert read.extracted_aliases == ("Acme", "ACME Inc")
    assert dict(read.properties) == {"founded": 1949, "tags": ["x"]}
    assert read.overrides == entity.overrides
    assert read.sources == entity.sources
    assert (read.confidence, read.status, read.terms) == (0.9, FactStatus.GRAPH, entity.terms)
    assert read.created_at == T0
    assert await graph.event_types() == ["entity.created", "entity.updated"]


async def test_a_relationship_reads_back_with_its_overrides(graph: Graph) -> None:
    a, b = extracted(graph.project_id, "A"), extracted(graph.project_id, "B")
    rel = edge(graph.project_id, a, b, "works_at")
    rel.edit("employed_by", FactStatus.CANDIDATE, T0)
    await store(graph, a, b, rel)
    async with graph.scope() as p:
        read = await p.relationships.get(rel.id)
    assert read is not None
    assert (read.source_id, read.target_id, read.type, read.extracted_type) == (a.id, b.id, "employed_by", "works_at")
    assert (read.status, read.overrides, read.sources) == (FactStatus.CANDIDATE, rel.overrides, rel.sources)


async def test_entity_pages_filter_by_name_alias_type_and_status_within_one_project(graph: Graph) -> None:
    acme = extracted(graph.project_id, "Acme Corp", aliases=("Road Runner Supplies",), seconds=1)
    ada = extracted(graph.project_id, "Ada Lovelace", "person", seconds=2)
    shy = extracted(graph.project_id, "Acme Shadow", seconds=3, confidence=0.2)
    gone = extracted(graph.project_id, "Acme Gone", seconds=4)
    gone.delete(T0)
    elsewhere = extracted(graph.other_id, "Acme Elsewhere", seconds=5)
    await store(graph, acme, ada, shy, gone, elsewhere)

    async def names(**query: Any) -> list[str]:
        async with graph.scope() as p:
            return [x.name for x in await p.entities.page(EntityQuery(graph.project_id, **query))]

    assert await names() == ["Ada Lovelace", "Acme Corp"]
    assert await names(q="ACME") == ["Acme Corp"]
    assert await names(q="runner  supp") == ["Acme Corp"]  # an alias, case and spacing aside
    assert await names(q="100%_") == []
    assert await names(type="person") == ["Ada Lovelace"]
    assert await names(q="acme", include_candidates=True) == ["Acme Shadow", "Acme Corp"]
    assert await names(limit=1) == ["Ada Lovelace"]
    assert await names(after=Position(ada.created_at, ada.id)) == ["Acme Corp"]


async def test_named_finds_whole_names_and_aliases_only(graph: Graph) -> None:
    acme = extracted(graph.project_id, "Acme Corp", aliases=("ACME",))
    other = extracted(graph.other_id, "Acme")
    await store(graph, acme, other)
    async with graph.scope() as p:
        assert [x.id for x in await p.entities.named(graph.project_id, ["  acme "])] == [acme.id]
        assert [x.id for x in await p.entities.named(graph.project_id, ["acme  corp", "nobody"])] == [acme.id]
        assert await p.entities.named(graph.project_id, ["acm"]) == []
        assert await p.entities.named(graph.project_id, []) == []


async def test_search_matches_names_aliases_type_and_descriptions_of_the_projects_graph_entities(
    graph: Graph,
) -> None:
    acme = extracted(graph.project_id, "Acme Corp", aliases=("Road Runner Supplies",), seconds=1)
    ada = extracted(graph.project_id, "Ada Lovelace", "Person", seconds=2)
    described = Entity.extracted(
        uuid4(), graph.project_id, "Loom", "machine", 0.9, FactStatus.GRAPH, [], at(3), description="Weaves SILK"
    )
    corrected = extracted(graph.project_id, "Engine", "machine", seconds=4)
    corrected.edit(EntityEdit(description="Computes Bernoulli numbers 100%_"), at(4))
    shy = extracted(graph.project_id, "Runner Shadow", seconds=5, confidence=0.2)
    gone = extracted(graph.project_id, "Runner Gone", seconds=6)
    gone.delete(T0)
    elsewhere = extracted(graph.other_id, "Runner Elsewhere", seconds=7)
    await store(graph, acme, ada, described, corrected, shy, gone, elsewhere)

    async def names(*words: str, k: int = 10) -> set[str]:
        async with graph.scope() as p:
            return {x.name for x in await p.searchable.matching(graph.project_id, list(words), k)}

    assert await names("runner") == {"Acme Corp"}  # no candidate, no deleted one, not another project's
    assert await names("person") == {"Ada Lovelace"}
    assert await names("silk", "bernoulli") == {"Loom", "Engine"}
    assert await names("100%_") == {"Engine"}
    assert await names("nobody") == await names() == set()
    assert len(await names("machine", k=1)) == 1
    async with graph.scope() as p:
        [found] = await p.searchable.matching(graph.project_id, ["road runner"], 10)
    assert (found.id, found.aliases, found.type) == (acme.id, ("Road Runner Supplies",), "organisation")
    [span] = found.spans
    assert (span.document_id, span.chunk_id, span.start, span.end) == (DOC, acme.sources[0].chunk_id, 1, 5)


async def test_search_reads_back_by_id_only_the_projects_graph_entities(graph: Graph) -> None:
    acme = extracted(graph.project_id, "Acme Corp", aliases=("ACME",), seconds=1)
    ada = extracted(graph.project_id, "Ada Lovelace", "Person", seconds=2)
    shy = extracted(graph.project_id, "Shadow", seconds=3, confidence=0.2)
    gone = extracted(graph.project_id, "Gone", seconds=4)
    gone.delete(T0)
    elsewhere = extracted(graph.other_id, "Elsewhere", seconds=5)
    await store(graph, acme, ada, shy, gone, elsewhere)
    never = uuid4()
    async with graph.scope() as p:
        found = await p.searchable.by_ids(graph.project_id, [acme.id, shy.id, gone.id, elsewhere.id, never, ada.id])
        assert await p.searchable.by_ids(graph.project_id, []) == []
        assert [x.id for x in await p.searchable.by_ids(graph.other_id, [acme.id, elsewhere.id])] == [elsewhere.id]
    assert {x.id for x in found} == {acme.id, ada.id}
    [read] = [x for x in found if x.id == acme.id]
    assert (read.name, read.type, read.aliases) == ("Acme Corp", "organisation", ("ACME",))
    [span] = read.spans
    assert (span.document_id, span.chunk_id, span.start, span.end) == (DOC, acme.sources[0].chunk_id, 1, 5)


async def test_facts_mentioned_in_a_document_are_found_by_it(graph: Graph) -> None:
    here = extracted(graph.project_id, "Here")
    there = extracted(graph.project_id, "There", document=OTHER_DOC)
    rel = edge(graph.project_id, here, there)
    await store(graph, here, there, rel)
    async with graph.scope() as p:
        assert [x.id for x in await p.entities.mentioned_in(graph.project_id, OTHER_DOC)] == [there.id]
        assert [x.id for x in await p.relationships.mentioned_in(graph.project_id, DOC)] == [rel.id]
        assert await p.relationships.mentioned_in(graph.project_id, OTHER_DOC) == []
        assert await p.entities.mentioned_in(graph.other_id, DOC) == []


async def test_the_walks_reads_filter_edges_and_nodes(graph: Graph) -> None:
    a = extracted(graph.project_id, "A", "person")
    b = extracted(graph.project_id, "B", "place")
    c = extracted(graph.project_id, "C", "person", confidence=0.3)
    d = extracted(graph.project_id, "D", "person")
    ab, ac = edge(graph.project_id, a, b, "lives_in"), edge(graph.project_id, a, c, "knows", 0.3)
    da = edge(graph.project_id, d, a, "knows", 0.7)
    gone = edge(graph.project_id, b, d, "knows")
    gone.delete(T0)
    await store(graph, a, b, c, d, ab, ac, da, gone)
    async with graph.scope() as p:
        edges = await p.reads.edges(graph.project_id, [a.id], EdgeFilter())
        assert {x.id for x in edges} == {ab.id, da.id}
        edges = await p.reads.edges(graph.project_id, [a.id, b.id], EdgeFilter(include_candidates=True))
        assert {x.id for x in edges} == {ab.id, ac.id, da.id}
        edges = await p.reads.edges(graph.project_id, [a.id], EdgeFilter(frozenset({"knows"}), 0.8))
        assert edges == []
        assert await p.reads.edges(graph.other_id, [a.id], EdgeFilter()) == []
        nodes = await p.reads.nodes(graph.project_id, [a.id, b.id, c.id, uuid4()], NodeFilter())
        assert {x.id for x in nodes} == {a.id, b.id}
        nodes = await p.reads.nodes(graph.project_id, [a.id, b.id, c.id], NodeFilter(frozenset({"person"}), True))
        assert {x.id for x in nodes} == {a.id, c.id}
        assert await p.reads.nodes(graph.other_id, [a.id], NodeFilter()) == []


async def test_relationship_pages_filter_by_entity_and_type(graph: Graph) -> None:
    a, b, c = (extracted(graph.project_id, n) for n in "ABC")
    ab, bc = edge(graph.project_id, a, b, "knows"), edge(graph.project_id, b, c, "owns")
    await store(graph, a, b, c, ab, bc)

    async def ids(**query: Any) -> set[UUID]:
        async with graph.scope() as p:
            return {x.id for x in await p.relationships.page(RelationshipQuery(graph.project_id, **query))}

    assert await ids() == {ab.id, bc.id}
    assert await ids(entity_id=a.id) == {ab.id}
    assert await ids(entity_id=b.id, type="owns") == {bc.id}
    async with graph.scope() as p:
        assert await p.relationships.page(RelationshipQuery(graph.other_id)) == []


async def test_a_merge_moves_relationships_then_removes_the_other_entity(graph: Graph) -> None:
    kept, other, third = (extracted(graph.project_id, n) for n in ("Acme", "ACME Inc", "Bob"))
    rel = edge(graph.project_id, third, other, "works_at")
    await store(graph, kept, other, third, rel)
    async with graph.scope() as p:
        k, o = await p.entities.get(kept.id), await p.entities.get(other.id)
        assert k is not None and o is not None
        k.merge([o], T0)
        for moved in await p.relationships.touching(graph.project_id, [o.id]):
            moved.repoint([o.id], k.id, T0)
        await p.entities.remove(o)
        await p.uow.commit()
    async with graph.scope() as p:
        assert await p.entities.get(other.id) is None
        moved = await p.relationships.get(rel.id)
        assert moved is not None and (moved.source_id, moved.target_id) == (third.id, kept.id)
        k = await p.entities.get(kept.id)
        assert k is not None and "ACME Inc" in k.aliases
    assert (await graph.event_types()).count("entity.merged") == 1


async def test_a_rollback_forgets_the_changes_and_their_events(graph: Graph) -> None:
    entity = extracted(graph.project_id, "Acme")
    async with graph.scope() as p:
        await p.entities.add(entity)
        await p.uow.rollback()
    async with graph.scope() as p:
        assert await p.entities.get(entity.id) is None
    assert await graph.event_types() == []


async def test_the_projects_holding_entities_are_listed_once_each_in_id_order(graph: Graph) -> None:
    await store(graph, extracted(graph.project_id, "A"), extracted(graph.project_id, "B", confidence=0.1))
    async with graph.scope() as p:
        found = await p.entities.projects()
    assert graph.project_id in found and graph.other_id not in found
    await store(graph, extracted(graph.other_id, "C"))
    async with graph.scope() as p:
        found = await p.entities.projects()
    assert {graph.project_id, graph.other_id} <= set(found)
    assert found == sorted(set(found))
