"""Neighbourhood queries on a large knowledge graph: the `Neighbours` use case (a breadth-first walk, two
batched reads per level) at depth 2, over SQLite (a file) and PostgreSQL (the local server).

    uv run python bench/graph_neighbours.py [--entities 100000] [--relationships 500000] [--queries 300]
                                            [--depth 2] [--database both]

One project; each relationship joins two entities drawn uniformly (so about 10 relationships per entity,
and a depth-2 neighbourhood of about 100 entities). The start entities are drawn uniformly too. Figures:
p50 / p99 wall time per query, each in a fresh session (as a request has it), and the answer's mean size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from tests.contract.builders import make_project
from tests.fakes.policy import TablePolicy

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities, SqlAlchemyGraphReads
from agentry.adapters.sqlalchemy.knowledge.tables import kg_entities, kg_relationships
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.knowledge.queries import Neighbours
from agentry.domain.knowledge.entity import EntityOverrides
from agentry.domain.knowledge.relationship import RelationshipOverrides
from agentry.domain.knowledge.values import FactStatus
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole

NOW = datetime(2026, 12, 6, tzinfo=UTC)
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BATCH = 10_000


def entity_row(project_id: uuid.UUID, entity_id: uuid.UUID, n: int) -> dict[str, object]:
    name = f"entity {n}"
    return {
        "id": entity_id, "project_id": project_id, "extracted_name": name, "extracted_type": "thing",
        "extracted_aliases": (), "extracted_description": "", "extracted_properties": {},
        "extracted_status": FactStatus.GRAPH, "overrides": EntityOverrides(), "suppressed": False,
        "status": FactStatus.GRAPH, "name": name, "type": "thing", "terms": f"\n{name}\n", "confidence": 0.9,
        "sources": (), "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


def relationship_row(project_id: uuid.UUID, source: uuid.UUID, target: uuid.UUID) -> dict[str, object]:
    return {
        "id": uuid.uuid4(), "project_id": project_id, "source_id": source, "target_id": target,
        "extracted_type": "related_to", "extracted_status": FactStatus.GRAPH, "overrides": RelationshipOverrides(),
        "suppressed": False, "status": FactStatus.GRAPH, "type": "related_to", "confidence": 0.9, "sources": (),
        "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


async def bench(label: str, url: str, entities: int, relationships: int, queries: int, depth: int) -> None:
    upgrade(url)
    start_mappers()
    engine = create_async_database(url, pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    project = make_project()
    async with sessions() as s:
        await SqlAlchemyProjectRepository(s).add(project)
        await SqlAlchemyUnitOfWork(s, uuid.uuid4).commit()
    rng = random.Random(7)
    ids = [uuid.uuid4() for _ in range(entities)]
    started = time.perf_counter()
    async with engine.begin() as connection:
        for at in range(0, entities, BATCH):
            rows = [entity_row(project.id, ids[n], n) for n in range(at, min(at + BATCH, entities))]
            await connection.execute(insert(kg_entities), rows)
        for at in range(0, relationships, BATCH):
            rows = []
            for _ in range(min(BATCH, relationships - at)):
                a, b = rng.sample(ids, 2)
                rows.append(relationship_row(project.id, a, b))
            await connection.execute(insert(kg_relationships), rows)
    print(
        f"{label}: loaded {entities} entities, {relationships} relationships in {time.perf_counter() - started:.0f} s"
    )
    viewer = Principal(uuid.UUID(int=5), "viewer", memberships={project.id: ProjectRole.VIEWER})
    samples, sizes = [], []
    for n in range(queries + 10):
        start = rng.choice(ids)
        async with sessions() as s:
            use_case = Neighbours(SqlAlchemyEntities(s), SqlAlchemyGraphReads(s), TablePolicy())
            began = time.perf_counter()
            found = await use_case(viewer, project.id, start, depth)
            elapsed = time.perf_counter() - began
        if n >= 10:  # the first few warm the caches
            samples.append(elapsed)
            sizes.append((len(found.entities), len(found.relationships)))
    ordered = sorted(samples)
    p50, p99 = statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
    mean_entities = statistics.mean(e for e, _ in sizes)
    mean_relationships = statistics.mean(r for _, r in sizes)
    print(
        f"{label}: depth {depth}, {queries} queries: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(answers: {mean_entities:.0f} entities, {mean_relationships:.0f} relationships on average)"
    )
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    sizes = (args.entities, args.relationships, args.queries, args.depth)
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            await bench("sqlite", f"sqlite:///{folder}/graph.db", *sizes)
    if args.database in ("postgres", "both"):
        name = f"agentry_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            await bench("postgres", POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", *sizes)
        finally:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
