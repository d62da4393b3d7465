"""The production VectorIndex: a PostgreSQL table with a pgvector column and an HNSW index (cosine).

The adapter creates what it needs on first use, not a migration: `CREATE EXTENSION IF NOT EXISTS vector`,
the table `search_vectors` (id, project, owner, `vector(dimension)`, metadata) and its indexes, under an
advisory lock so that processes starting together do not race. So the schema's migrations run on any
PostgreSQL (the test servers without pgvector included), and a deployment without the extension fails at
the first search or ingestion with PostgreSQL's own message naming `vector`. The role needs the right to
create the extension (or a DBA runs `CREATE EXTENSION vector` once). A table made for another dimension
(another embedding model) refuses to serve, with a line that says so.

A search is scoped with `WHERE project_id = …`. HNSW filters after the graph walk, so a small project among
many may get fewer than k rows from the index: then the search is repeated exactly (an ordering the index
cannot serve), which for a small project is cheap. `hnsw.ef_search` is raised to at least 2k.

A deleted project is forgotten for good: `delete_project` records its id in `<table>_forgotten` in the
transaction that deletes its rows, and an upsert drops the entries of a forgotten project. Both hold the
project's advisory lock (the upsert shared, the deletion exclusive) while they check and write, so whatever
the order of a late writer (an ingestion step, the reindex) and the deletion, none of the project's vectors
is left: the deletion waits for an upsert under way and then deletes what it wrote, and an upsert after it
sees the record. Project ids are never reused, so the record never turns a live project's writes away.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from agentry.application.search.ports import Metadata, Vector, VectorDimensionMismatch, VectorEntry, VectorHit

TABLE = "search_vectors"
LOCK_KEY = 0x5EA2C4  # pg_advisory_xact_lock key for creating the schema
PROJECT_LOCKS = 0x5EA2  # the first key of a project's pg_advisory_xact_lock(int, int); the second from its id
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
MIN_EF_SEARCH = 40


def vector_literal(vector: Vector, dimension: int) -> str:
    if len(vector) != dimension:
        raise VectorDimensionMismatch(dimension, len(vector))
    values = [float(value) for value in vector]
    norm = math.sqrt(math.fsum(value * value for value in values)) or 1.0
    return "[" + ",".join(repr(value / norm) for value in values) + "]"


class PgVectorIndex:
    def __init__(self, engine: AsyncEngine, dimension: int, *, table: str = TABLE) -> None:
        self._engine = engine
        self._dimension = dimension
        self._table = table
        self._ready = False  # no asyncio lock: a container may serve several event loops; creating is idempotent

    @property
    def dimension(self) -> int:
        return self._dimension

    async def ensure_schema(self) -> None:
        """Create the extension, the table and its indexes if missing; check the table's dimension."""
        if self._ready:
            return
        t = self._table
        async with self._engine.begin() as connection:
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            await connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            await connection.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {t} (id uuid PRIMARY KEY, project_id uuid NOT NULL, "
                    f"owner_id uuid NOT NULL, embedding vector({self._dimension}) NOT NULL, "
                    "metadata jsonb NOT NULL DEFAULT '{}'::jsonb)"
                )
            )
            await connection.execute(text(f"CREATE INDEX IF NOT EXISTS {t}_owner ON {t} (project_id, owner_id)"))
            await connection.execute(text(f"CREATE TABLE IF NOT EXISTS {t}_forgotten (project_id uuid PRIMARY KEY)"))
            await connection.execute(
                text(
                    f"CREATE INDEX IF NOT EXISTS {t}_hnsw ON {t} USING hnsw (embedding vector_cosine_ops) "
                    f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
                )
            )
            found = (
                await connection.execute(
                    text(
                        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                        "WHERE attrelid = CAST(:table AS regclass) AND attname = 'embedding'"
                    ),
                    {"table": t},
                )
            ).scalar_one()
        if found != f"vector({self._dimension})":
            raise RuntimeError(
                f"the table {t} holds {found}, the embedder makes vector({self._dimension}): "
                "drop it (or point at another table) and re-embed"
            )
        self._ready = True

    async def _begin(self) -> Any:
        await self.ensure_schema()
        return self._engine.begin()

    async def upsert(self, entries: Sequence[VectorEntry]) -> None:
        rows = [
            {
                "id": entry.id,
                "project_id": entry.project_id,
                "owner_id": entry.owner_id,
                "embedding": vector_literal(entry.vector, self._dimension),
                "metadata": json.dumps(dict(entry.metadata)),
            }
            for entry in entries
        ]
        if not rows:
            return
        async with await self._begin() as connection:
            projects = sorted({entry.project_id for entry in entries})
            for project_id in projects:
                await _lock(connection, project_id, "pg_advisory_xact_lock_shared")
            forgotten = await connection.execute(
                text(f"SELECT project_id FROM {self._table}_forgotten WHERE project_id = ANY(:ids)"), {"ids": projects}
            )
            gone = set(forgotten.scalars())
            rows = [row for row in rows if row["project_id"] not in gone]
            if not rows:
                return
            await connection.execute(
                text(
                    f"INSERT INTO {self._table} (id, project_id, owner_id, embedding, metadata) "
                    "VALUES (:id, :project_id, :owner_id, CAST(:embedding AS vector), CAST(:metadata AS jsonb)) "
                    "ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, owner_id = excluded.owner_id, "
                    "embedding = excluded.embedding, metadata = excluded.metadata"
                ),
                rows,
            )

    async def delete(self, project_id: UUID, ids: Sequence[UUID]) -> int:
        if not ids:
            return 0
        return await self._delete("id = ANY(:ids)", {"project_id": project_id, "ids": list(ids)})

    async def delete_owner(self, project_id: UUID, owner_id: UUID) -> int:
        return await self._delete("owner_id = :owner_id", {"project_id": project_id, "owner_id": owner_id})

    async def delete_project(self, project_id: UUID) -> int:
        """Forget the project's vectors, and the project: later upserts of its entries keep nothing."""
        async with await self._begin() as connection:
            await _lock(connection, project_id, "pg_advisory_xact_lock")
            await connection.execute(
                text(f"INSERT INTO {self._table}_forgotten VALUES (:project_id) ON CONFLICT DO NOTHING"),
                {"project_id": project_id},
            )
            result = await connection.execute(
                text(f"DELETE FROM {self._table} WHERE project_id = :project_id"), {"project_id": project_id}
            )
            return int(result.rowcount)

    async def _delete(self, condition: str, parameters: dict[str, Any]) -> int:
        async with await self._begin() as connection:
            result = await connection.execute(
                text(f"DELETE FROM {self._table} WHERE project_id = :project_id AND {condition}"), parameters
            )
            return int(result.rowcount)

    async def kept(self, project_id: UUID, ids: Sequence[UUID]) -> dict[UUID, Metadata]:
        if not ids:
            return {}
        async with await self._begin() as connection:
            rows = await connection.execute(
                text(f"SELECT id, metadata FROM {self._table} WHERE project_id = :project_id AND id = ANY(:ids)"),
                {"project_id": project_id, "ids": list(ids)},
            )
            return {row.id: row.metadata for row in rows}

    async def count(self, project_id: UUID) -> int:
        async with await self._begin() as connection:
            found = await connection.execute(
                text(f"SELECT count(*) FROM {self._table} WHERE project_id = :project_id"), {"project_id": project_id}
            )
            return int(found.scalar_one())

    async def search(self, project_id: UUID, query: Vector, k: int) -> list[VectorHit]:
        literal = vector_literal(query, self._dimension)
        if k <= 0:
            return []
        async with await self._begin() as connection:
            await connection.execute(text(f"SET LOCAL hnsw.ef_search = {max(MIN_EF_SEARCH, 2 * k)}"))
            hits = await self._nearest(connection, project_id, literal, k, exact=False)
            if len(hits) < k and len(hits) < await self._count(connection, project_id):
                hits = await self._nearest(connection, project_id, literal, k, exact=True)
            return hits

    async def _count(self, connection: AsyncConnection, project_id: UUID) -> int:
        found = await connection.execute(
            text(f"SELECT count(*) FROM {self._table} WHERE project_id = :project_id"), {"project_id": project_id}
        )
        return int(found.scalar_one())

    async def _nearest(
        self, connection: AsyncConnection, project_id: UUID, literal: str, k: int, *, exact: bool
    ) -> list[VectorHit]:
        # `+ 0` makes an ordering the HNSW index cannot serve, so the planner scans the project's rows.
        order = "(embedding <=> CAST(:query AS vector)) + 0" if exact else "embedding <=> CAST(:query AS vector)"
        rows = await connection.execute(
            text(
                f"SELECT id, owner_id, metadata, embedding <=> CAST(:query AS vector) AS distance FROM {self._table} "
                f"WHERE project_id = :project_id ORDER BY {order} LIMIT :k"
            ),
            {"query": literal, "project_id": project_id, "k": k},
        )
        return [
            VectorHit(id=row.id, owner_id=row.owner_id, score=1.0 - float(row.distance), metadata=row.metadata)
            for row in rows
        ]


async def _lock(connection: AsyncConnection, project_id: UUID, function: str) -> None:
    """The project's advisory lock until the transaction ends (two projects may share one: they wait, no more)."""
    key = int.from_bytes(project_id.bytes[-4:], "big", signed=True)
    await connection.execute(text(f"SELECT {function}(:space, :key)"), {"space": PROJECT_LOCKS, "key": key})
