"""CPU per project entity search, text ranking only against text + the names' vector index fused, in one
run (SQLite and the embedded index, through SearchEntities and the real adapters).

    uv run python bench/entity_search.py [--entities 2000] [--searches 100] [--near 50]

The project holds `--entities` graph entities, every 50th with "kiwi" in its name (the text ranking's 40
hits), each with a random 384-dimensional name vector; `--near` of them get a vector close to the query's
(cosine about 0.9: found by vector; 0: none is). The query's vector is fixed (no model: the embedding is
the chunk search's, shared within a request). Figures: CPU and wall time per search, after one warm-up.
BLAS runs one thread, as `agentry` sets it (OpenBLAS's idle threads spin and would count as CPU)."""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.ext.asyncio import async_sessionmaker
from tests.contract.builders import make_project
from tests.fakes.policy import TablePolicy
from tests.migrated import migrated_sqlite

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.knowledge.repository import SqlAlchemyEntities
from agentry.adapters.sqlalchemy.knowledge.search import SqlAlchemySearchableEntities
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.projects.project_repository import SqlAlchemyProjectRepository
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.search.entities import SearchEntities
from agentry.application.search.ports import Vector, VectorEntry
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.values import FactStatus, Mention
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole

DIMENSION = 384
rng = random.Random(1)


def unit(v: list[float] | None = None) -> list[float]:
    v = v or [rng.gauss(0, 1) for _ in range(DIMENSION)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


class FixedEmbedder:
    model = "bench"
    dimension = DIMENSION

    def __init__(self) -> None:
        self.vector = unit()

    async def embed(self, texts: list[str]) -> list[Vector]:
        return [self.vector for _ in texts]


async def main(entities: int, searches: int, near: int, directory: Path) -> None:
    start_mappers()
    engine = create_async_database(migrated_sqlite(directory / "bench.db"), pool_size=5)
    names = EmbeddedVectorIndex(str(directory / "bench.db-entity-vectors"), DIMENSION)
    embedder, project = FixedEmbedder(), make_project()
    close = set(rng.sample(range(entities), near))
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await SqlAlchemyProjectRepository(s).add(project)
        entries = []
        for i in range(entities):
            name = f"Entity {i} kiwi" if i % 50 == 0 else f"Entity {i}"
            mention = Mention(uuid4(), uuid4(), 0, 4)
            e = Entity.extracted(uuid4(), project.id, name, "org", 0.9, FactStatus.GRAPH, [mention], datetime.now(UTC))
            await SqlAlchemyEntities(s).add(e)
            v = (
                unit([0.7 * a + 0.3 * b for a, b in zip(embedder.vector, unit(), strict=True)])
                if i in close
                else unit()
            )
            entries.append(VectorEntry(e.id, project.id, e.id, v, {"model": embedder.model, "name": name}))
        await SqlAlchemyUnitOfWork(s, uuid4).commit()
    await names.upsert(entries)
    actor = Principal(uuid4(), "viewer", memberships={project.id: ProjectRole.VIEWER})
    for label, more in [("text only", {}), ("text + vector", {"embedder": embedder, "names": names})] * 2:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            search = SearchEntities(SqlAlchemySearchableEntities(s), TablePolicy(), **more)  # type: ignore[arg-type]
            await search(actor, project.id, "kiwi", 10)
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(searches):
                hits = await search(actor, project.id, "kiwi", 10)
            cpu, wall = (time.process_time() - cpu) / searches, (time.perf_counter() - wall) / searches
        by_vector = sum(h.vector_score is not None for h in hits)
        print(
            f"{label:14} CPU {cpu * 1000:.2f} ms  wall {wall * 1000:.2f} ms  ({len(hits)} hits, {by_vector} by vector)"
        )
    names.close()
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--near", type=int, default=50)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(main(args.entities, args.searches, args.near, Path(directory)))
