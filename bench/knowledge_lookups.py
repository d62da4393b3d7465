"""The ingestion link step's and a document deletion's lookups on PostgreSQL, with the GIN indexes of
migration 0020 and without them (dropped, in the same run): entities by any of a list of names
(`SqlAlchemyEntities.named`) and entities and relationships by a document they mention (`mentioned_in`).

    uv run python bench/knowledge_lookups.py [--entities 100000] [--documents 2000] [--queries 200]

One project holding every fact (the worst case: the project's index narrows nothing); each entity has two
names and three mentions in documents drawn uniformly, each relationship one mention. Figures: p50 / p99
per lookup in a fresh session, the ratio without / with the indexes, and the plan's access path.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.contract.builders import make_project

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities, SqlAlchemyRelationships
from agentry.adapters.sqlalchemy.knowledge.tables import kg_entities, kg_relationships
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.domain.knowledge.entity import EntityOverrides
from agentry.domain.knowledge.relationship import RelationshipOverrides
from agentry.domain.knowledge.values import ExtractorKind, FactStatus, Mention, search_terms

NOW = datetime(2026, 12, 6, tzinfo=UTC)
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BATCH = 5_000
INDEXES = ("ix_kg_entities_term_list", "ix_kg_entities_sources", "ix_kg_relationships_sources")


def mentions(rng: random.Random, documents: list[uuid.UUID], count: int) -> tuple[Mention, ...]:
    return tuple(Mention(rng.choice(documents), uuid.uuid4(), 0, 5, ExtractorKind.OFFLINE) for _ in range(count))


def entity_row(project_id: uuid.UUID, n: int, sources: tuple[Mention, ...]) -> dict[str, object]:
    name, alias = f"entity {n}", f"alias {n}"
    return {
        "id": uuid.uuid4(), "project_id": project_id, "extracted_name": name, "extracted_type": "thing",
        "extracted_aliases": (alias,), "extracted_description": "", "extracted_properties": {},
        "extracted_status": FactStatus.GRAPH, "overrides": EntityOverrides(), "suppressed": False,
        "status": FactStatus.GRAPH, "name": name, "type": "thing", "terms": search_terms(name, (alias,)),
        "confidence": 0.9, "sources": sources, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


def relationship_row(
    project_id: uuid.UUID, a: uuid.UUID, b: uuid.UUID, sources: tuple[Mention, ...]
) -> dict[str, object]:
    return {
        "id": uuid.uuid4(), "project_id": project_id, "source_id": a, "target_id": b,
        "extracted_type": "related_to", "extracted_status": FactStatus.GRAPH, "overrides": RelationshipOverrides(),
        "suppressed": False, "status": FactStatus.GRAPH, "type": "related_to", "confidence": 0.9, "sources": sources,
        "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


async def timed(
    sessions: async_sessionmaker[AsyncSession], queries: int, lookup: Callable[[AsyncSession, int], Awaitable[int]]
) -> tuple[float, float, float]:
    samples, found = [], []
    for n in range(queries + 10):
        async with sessions() as s:
            began = time.perf_counter()
            found.append(await lookup(s, n))
            elapsed = time.perf_counter() - began
        if n >= 10:  # the first few warm the caches
            samples.append(elapsed)
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return statistics.median(ordered) * 1000, p99 * 1000, statistics.mean(found)


async def access_path(sessions: async_sessionmaker[AsyncSession], statement: str) -> str:
    async with sessions() as s:
        plan = [row[0] for row in await s.execute(text(f"EXPLAIN {statement}"))]
    return next((line.strip().lstrip("-> ") for line in plan if "Scan" in line), plan[0]).split("  (")[0]


async def measure(label: str, sessions: async_sessionmaker[AsyncSession], project_id: uuid.UUID, entities: int,
                  documents: list[uuid.UUID], queries: int) -> dict[str, float]:  # fmt: skip
    rng = random.Random(11)
    project, doc = project_id, documents[0]

    async def named(s: AsyncSession, _: int) -> int:
        wanted = [f"entity {rng.randrange(entities)}" for _ in range(10)] + [
            f"alias {rng.randrange(entities)}" for _ in range(10)
        ]
        return len(await SqlAlchemyEntities(s).named(project, wanted))

    async def entities_of(s: AsyncSession, n: int) -> int:
        return len(await SqlAlchemyEntities(s).mentioned_in(project, documents[n % len(documents)]))

    async def relationships_of(s: AsyncSession, n: int) -> int:
        return len(await SqlAlchemyRelationships(s).mentioned_in(project, documents[n % len(documents)]))

    figures = {}
    plans = {
        "named": f"SELECT id FROM kg_entities WHERE project_id = '{project}' AND "
        "string_to_array(terms, E'\\n') && ARRAY['entity 1', 'alias 2']::text[]",
        "entities mentioned_in": f"SELECT id FROM kg_entities WHERE project_id = '{project}' AND "
        f"sources @> '[[\"{doc}\"]]'",
        "relationships mentioned_in": f"SELECT id FROM kg_relationships WHERE project_id = '{project}' AND "
        f"sources @> '[[\"{doc}\"]]'",
    }
    for name, lookup in (
        ("named", named),
        ("entities mentioned_in", entities_of),
        ("relationships mentioned_in", relationships_of),
    ):
        p50, p99, mean = await timed(sessions, queries, lookup)
        figures[name] = p50
        path = await access_path(sessions, plans[name])
        print(f"  {label:>15}  {name:<27} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  ({mean:.1f} found; {path})")
    return figures


def vacuum(url: str) -> None:
    """Hint bits set and statistics fresh, so neither run pays for the load."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE kg_entities")
        connection.execute("VACUUM ANALYZE kg_relationships")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    name = f"agentry_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        start_mappers()
        engine = create_async_database(url, pool_size=2)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        project = make_project()
        async with sessions() as s:
            await SqlAlchemyProjectRepository(s).add(project)
            await SqlAlchemyUnitOfWork(s, uuid.uuid4).commit()
        rng = random.Random(7)
        documents = [uuid.uuid4() for _ in range(args.documents)]
        started = time.perf_counter()
        ids = []
        async with engine.begin() as connection:
            for at in range(0, args.entities, BATCH):
                rows = [
                    entity_row(project.id, n, mentions(rng, documents, 3))
                    for n in range(at, min(at + BATCH, args.entities))
                ]
                ids += [row["id"] for row in rows]
                await connection.execute(insert(kg_entities), rows)
            for _ in range(0, args.entities, BATCH):
                rows = [
                    relationship_row(project.id, *rng.sample(ids, 2), mentions(rng, documents, 1)) for _ in range(BATCH)
                ]
                await connection.execute(insert(kg_relationships), rows)
        loaded = time.perf_counter() - started
        print(
            f"postgres: {args.entities} entities and as many relationships in one project, {args.documents} "
            f"documents (loaded in {loaded:.0f} s), {args.queries} lookups each"
        )
        async with engine.begin() as connection:
            definitions = {
                row[0]: row[1]
                for row in await connection.execute(
                    text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(:names)"),
                    {"names": list(INDEXES)},
                )
            }
            for index in INDEXES:
                await connection.execute(text(f"DROP INDEX {index}"))
        vacuum(url)
        scanned = await measure("without (0018)", sessions, project.id, args.entities, documents, args.queries)
        async with engine.begin() as connection:
            for index in INDEXES:
                await connection.execute(text(definitions[index]))
        vacuum(url)
        indexed = await measure("with (0020)", sessions, project.id, args.entities, documents, args.queries)
        for lookup, p50 in indexed.items():
            print(f"  {lookup:<27} p50 without / with: {scanned[lookup] / p50:.1f}x")
        await engine.dispose()
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
