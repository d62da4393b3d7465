"""k-NN search over 100k vectors: pgvector's HNSW (a PostgreSQL 16 from the `pgserver` package, the same as
the tests use) and the embedded index (SQLite file + exact numpy scan), through the adapters' `search`.

    uv run python bench/vector_search.py [--vectors 100000] [--queries 300] [--k 10] [--index both]

The vectors are 384-dimensional (all-MiniLM-L6-v2's size), made synthetic and clustered (a mixture of 200
Gaussian clusters, unit length), in one project, the worst case for a per-project search. Queries are
other points of the same clusters. Baselines measured in the same run: for pgvector, the same query
answered exactly (a sequential scan of the project's rows, which the HNSW index exists to avoid), and its
recall@k against the exact answer; for the embedded index, one bare numpy matrix-vector product over the
same matrix (what the adapter adds: thread hop, top-k, hits). Figures: p50 / p99 wall time per search.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.pgvector_server import pgvector_server

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.pgvector.index import PgVectorIndex
from agentry.application.search.ports import VectorEntry

DIMENSION = 384
PROJECT = uuid.UUID(int=1)
TABLE = "bench_vectors"


def clustered(n: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    points = centres[rng.integers(0, len(centres), n)] + rng.normal(0, 0.04, (n, DIMENSION)).astype(np.float32)
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


def show(name: str, samples: list[float]) -> tuple[float, float]:
    p50, p99 = percentiles(samples)
    print(f"  {name:44} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms")
    return p50, p99


async def bench_pgvector(url: str, ids: list[uuid.UUID], data: np.ndarray, queries: np.ndarray, k: int) -> None:
    engine = create_async_engine(url, pool_size=2)
    index = PgVectorIndex(engine, DIMENSION, table=TABLE)
    await index.ensure_schema()
    started = time.perf_counter()
    async with engine.begin() as connection:
        await connection.execute(text(f"DROP INDEX {TABLE}_hnsw"))  # load first, build once
        raw = await connection.get_raw_connection()
        psycopg_connection = raw.driver_connection
        async with psycopg_connection.cursor().copy(
            f"COPY {TABLE} (id, project_id, owner_id, embedding, metadata) FROM STDIN"
        ) as copy:
            for i, row in enumerate(data):
                literal = "[" + ",".join(f"{v:.6g}" for v in row.tolist()) + "]"
                await copy.write_row((ids[i], PROJECT, ids[i], literal, "{}"))
    loaded = time.perf_counter()
    async with engine.begin() as connection:
        await connection.execute(text("SET maintenance_work_mem = '1GB'"))
        await connection.execute(text("SET max_parallel_maintenance_workers = 1"))
        await connection.execute(
            text(
                f"CREATE INDEX {TABLE}_hnsw ON {TABLE} USING hnsw (embedding vector_cosine_ops) "
                "WITH (m = 16, ef_construction = 64)"
            )
        )
        await connection.execute(text(f"ANALYZE {TABLE}"))
    built = time.perf_counter()
    print(f"pgvector: loaded {len(data)} vectors in {loaded - started:.1f} s, HNSW built in {built - loaded:.1f} s")

    for query in queries[:5]:  # warm the caches
        await index.search(PROJECT, query.tolist(), k)
    hnsw: list[float] = []
    found: list[list[uuid.UUID]] = []
    for query in queries:
        vector = query.tolist()
        start = time.perf_counter()
        hits = await index.search(PROJECT, vector, k)
        hnsw.append(time.perf_counter() - start)
        found.append([hit.id for hit in hits])
    exact: list[float] = []
    truth: list[set[uuid.UUID]] = []
    for query in queries[: max(20, len(queries) // 10)]:
        vector = query.tolist()
        start = time.perf_counter()
        async with engine.begin() as connection:
            literal = "[" + ",".join(map(repr, vector)) + "]"
            hits = await index._nearest(connection, PROJECT, literal, k, exact=True)
        exact.append(time.perf_counter() - start)
        truth.append({hit.id for hit in hits})
    recall = statistics.mean(len(set(f) & t) / k for f, t in zip(found, truth, strict=False))
    h50, _ = show(f"HNSW search (ef_search 40, k={k})", hnsw)
    e50, _ = show("baseline: exact scan, same SQL path", exact)
    print(f"  recall@{k} of HNSW vs exact: {recall:.3f}; p50 ratio HNSW / exact scan: {h50 / e50:.3f}")
    await engine.dispose()


async def bench_embedded(directory: Path, ids: list[uuid.UUID], data: np.ndarray, queries: np.ndarray, k: int) -> None:
    index = EmbeddedVectorIndex(directory / "agentry.db-vectors", DIMENSION)
    started = time.perf_counter()
    for start in range(0, len(data), 5000):
        await index.upsert(
            [VectorEntry(ids[i], PROJECT, ids[i], data[i]) for i in range(start, min(len(data), start + 5000))]  # type: ignore[arg-type]
        )
    loaded = time.perf_counter()
    await index.search(PROJECT, queries[0].tolist(), k)  # loads the project's matrix
    cached = time.perf_counter()
    print(
        f"embedded: stored {len(data)} vectors in {loaded - started:.1f} s, "
        f"first search (loads the matrix) {cached - loaded:.2f} s"
    )
    timed: list[float] = []
    for query in queries:
        vector = query.tolist()
        start = time.perf_counter()
        await index.search(PROJECT, vector, k)
        timed.append(time.perf_counter() - start)
    bare: list[float] = []
    for query in queries:
        start = time.perf_counter()
        scores = data @ query
        np.argpartition(-scores, k)[:k]
        bare.append(time.perf_counter() - start)
    a50, _ = show(f"exact numpy scan through the adapter (k={k})", timed)
    b50, _ = show("baseline: bare matrix-vector product + top-k", bare)
    print(f"  p50 ratio adapter / bare numpy: {a50 / b50:.2f}")
    index.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--index", choices=["both", "embedded", "pgvector"], default="both")
    args = parser.parse_args()
    rng = np.random.default_rng(16)
    centres = rng.normal(0, 1, (200, DIMENSION)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    data = clustered(args.vectors, rng, centres)
    queries = clustered(args.queries, rng, centres)
    ids = [uuid.uuid4() for _ in range(args.vectors)]
    print(f"{args.vectors} vectors of {DIMENSION} dimensions in one project, {args.queries} queries, k={args.k}")
    print("(a shared, loaded 2-core machine: compare the ratios, not the absolute figures)")
    if args.index in ("both", "embedded"):
        with tempfile.TemporaryDirectory() as directory:
            await bench_embedded(Path(directory), ids, data, queries, args.k)
    if args.index in ("both", "pgvector"):
        with pgvector_server() as url:
            await bench_pgvector(url, ids, data, queries, args.k)


if __name__ == "__main__":
    asyncio.run(main())
