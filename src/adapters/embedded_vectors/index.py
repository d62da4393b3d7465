"""The embedded profile's VectorIndex: vectors kept in their own SQLite file next to the database, searched
exactly with numpy.

Why this and not an approximate index (hnswlib, usearch) or sqlite-vec: the Python here cannot load SQLite
extensions; the embedded profile is one process serving one team, where a project holds thousands to a
few hundred thousand chunks, and an exact scan of those is a single matrix-vector product (100k x 384
float32 is 150 MB and takes milliseconds, see bench/vector_search.py); it needs no native dependency
beyond numpy, has recall 1 by construction, and deletes are plain row deletes (HNSW libraries only mark
them). The SQLite file gives the vectors the same durability as the database: a write is committed before
`upsert` returns.

Each project's vectors are cached in memory as one normalised matrix, loaded at its first search and
dropped when the project's vectors change (by this process, or by another: SQLite's data_version tells),
so a search scans only its own project's rows: isolation by construction. Calls run in a worker thread;
one lock serialises them (the profile is one process).

A deleted project is forgotten for good: `delete_project` records its id (table `forgotten_projects`) in
the transaction that deletes its rows, and an upsert drops the entries of a forgotten project, checked in
its own write transaction. Both begin IMMEDIATE (SQLite's write lock, which also holds against another
process on the file, `agentry knowledge reindex` say), so whatever the order of a late writer and the
deletion, none of the project's vectors is left. Project ids are never reused.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import numpy as np
import numpy.typing as npt

from agentry.application.search.ports import Metadata, Vector, VectorDimensionMismatch, VectorEntry, VectorHit

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    vector BLOB NOT NULL,
    metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_project_owner ON vectors (project_id, owner_id);
CREATE TABLE IF NOT EXISTS forgotten_projects (project_id TEXT PRIMARY KEY);
"""


def vectors_path(database_path: Path) -> Path:
    """Where the vectors of a SQLite database file live: beside it, `agentry.db` → `agentry.db-vectors`."""
    return database_path.with_name(database_path.name + "-vectors")


@dataclass(slots=True)
class _Project:
    ids: list[UUID]
    owners: list[UUID]
    metadata: list[Metadata]
    matrix: npt.NDArray[np.float32]  # one unit row per id


def _unit(vector: Vector, dimension: int) -> npt.NDArray[np.float32]:
    array = np.asarray(vector, dtype=np.float32)
    if array.shape != (dimension,):
        raise VectorDimensionMismatch(dimension, int(array.size))
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array


class EmbeddedVectorIndex:
    def __init__(self, path: Path | str, dimension: int) -> None:
        """`path`: the SQLite file (created if missing; ":memory:" keeps nothing). A file made for another
        dimension refuses to open, with a line that says so."""
        self._dimension = dimension
        self._lock = threading.Lock()
        self._projects: dict[UUID, _Project] = {}
        self._data_version: int | None = None  # the file's, when the cached matrices were right
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        row = self._db.execute("SELECT value FROM settings WHERE name = 'dimension'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO settings VALUES ('dimension', ?)", (str(dimension),))
        elif int(row[0]) != dimension:
            self._db.close()
            raise RuntimeError(
                f"the vector index {path} holds {row[0]}-dimensional vectors, the embedder makes {dimension}: "
                "delete the file to re-embed"
            )

    @property
    def dimension(self) -> int:
        return self._dimension

    def close(self) -> None:
        with self._lock:
            self._db.close()

    async def upsert(self, entries: Sequence[VectorEntry]) -> None:
        rows = [
            (
                str(entry.id),
                str(entry.project_id),
                str(entry.owner_id),
                _unit(entry.vector, self._dimension).tobytes(),
                json.dumps(dict(entry.metadata)),
            )
            for entry in entries
        ]
        if rows:
            await asyncio.to_thread(self._upsert, rows)

    def _upsert(self, rows: list[tuple[str, str, str, bytes, str]]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # the forgotten projects cannot change until the commit
            try:
                projects = sorted({row[1] for row in rows})
                marks = ",".join("?" * len(projects))
                query = f"SELECT project_id FROM forgotten_projects WHERE project_id IN ({marks})"
                gone = {found for (found,) in self._db.execute(query, projects)}
                rows = [row for row in rows if row[1] not in gone]
                ids = [row[0] for row in rows]
                touched = {UUID(row[1]) for row in rows}
                for start in range(0, len(ids), 500):  # an id may move between projects: forget the old one too
                    part = ids[start : start + 500]
                    query = f"SELECT DISTINCT project_id FROM vectors WHERE id IN ({','.join('?' * len(part))})"
                    touched.update(UUID(found) for (found,) in self._db.execute(query, part))
                self._db.executemany(
                    "INSERT INTO vectors VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "project_id = excluded.project_id, owner_id = excluded.owner_id, vector = excluded.vector, "
                    "metadata = excluded.metadata",
                    rows,
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            for project_id in touched:
                self._projects.pop(project_id, None)

    async def delete(self, project_id: UUID, ids: Sequence[UUID]) -> int:
        keys = [(str(project_id), str(key)) for key in ids]
        return await asyncio.to_thread(
            self._delete, project_id, "DELETE FROM vectors WHERE project_id = ? AND id = ?", keys
        )

    async def delete_owner(self, project_id: UUID, owner_id: UUID) -> int:
        keys = [(str(project_id), str(owner_id))]
        return await asyncio.to_thread(
            self._delete, project_id, "DELETE FROM vectors WHERE project_id = ? AND owner_id = ?", keys
        )

    async def delete_project(self, project_id: UUID) -> int:
        """Forget the project's vectors, and the project: later upserts of its entries keep nothing."""
        keys = [(str(project_id),)]
        return await asyncio.to_thread(
            self._delete, project_id, "DELETE FROM vectors WHERE project_id = ?", keys, forget=True
        )

    def _delete(
        self, project_id: UUID, statement: str, keys: Sequence[tuple[str, ...]], *, forget: bool = False
    ) -> int:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if forget:
                    self._db.execute("INSERT OR IGNORE INTO forgotten_projects VALUES (?)", (str(project_id),))
                before = self._db.total_changes
                self._db.executemany(statement, keys)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            deleted = self._db.total_changes - before
            if deleted:
                self._projects.pop(project_id, None)
            return deleted

    async def kept(self, project_id: UUID, ids: Sequence[UUID]) -> dict[UUID, Metadata]:
        return await asyncio.to_thread(self._kept, project_id, [str(key) for key in ids])

    def _kept(self, project_id: UUID, ids: list[str]) -> dict[UUID, Metadata]:
        found: dict[UUID, Metadata] = {}
        with self._lock:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                query = f"SELECT id, metadata FROM vectors WHERE project_id = ? AND id IN ({','.join('?' * len(part))})"
                for key, metadata in self._db.execute(query, [str(project_id), *part]):
                    found[UUID(key)] = json.loads(metadata)
        return found

    async def count(self, project_id: UUID) -> int:
        return await asyncio.to_thread(self._count, project_id)

    def _count(self, project_id: UUID) -> int:
        with self._lock:
            (found,) = self._db.execute(
                "SELECT count(*) FROM vectors WHERE project_id = ?", (str(project_id),)
            ).fetchone()
            return int(found)

    async def search(self, project_id: UUID, query: Vector, k: int) -> list[VectorHit]:
        unit = _unit(query, self._dimension)
        if k <= 0:
            return []
        return await asyncio.to_thread(self._search, project_id, unit, k)

    def search_sync(self, project_id: UUID, query: Vector, k: int) -> list[VectorHit]:
        """As `search`, in the caller's thread (for benchmarks)."""
        return self._search(project_id, _unit(query, self._dimension), k)

    def _search(self, project_id: UUID, unit: npt.NDArray[np.float32], k: int) -> list[VectorHit]:
        with self._lock:
            self._forget_others_changes()
            project = self._projects.get(project_id) or self._load(project_id)
        if not project.ids:
            return []
        scores = project.matrix @ unit
        if k < len(scores):
            best = np.argpartition(-scores, k - 1)[:k]
            best = best[np.argsort(-scores[best], kind="stable")]
        else:
            best = np.argsort(-scores, kind="stable")
        return [
            VectorHit(
                id=project.ids[i], owner_id=project.owners[i], score=float(scores[i]), metadata=project.metadata[i]
            )
            for i in best.tolist()
        ]

    def _forget_others_changes(self) -> None:
        """Another process (`agentry knowledge reindex`, say) may have written to the file: SQLite's
        data_version moves when another connection commits, and then every cached matrix is dropped (this
        connection's own writes drop the projects they touch)."""
        (version,) = self._db.execute("PRAGMA data_version").fetchone()
        if version != self._data_version:
            self._projects.clear()
            self._data_version = version

    def _load(self, project_id: UUID) -> _Project:
        rows = self._db.execute(
            "SELECT id, owner_id, vector, metadata FROM vectors WHERE project_id = ?", (str(project_id),)
        ).fetchall()
        blob = b"".join(row[2] for row in rows)
        matrix = np.frombuffer(blob, dtype=np.float32).reshape(len(rows), self._dimension)
        project = _Project(
            ids=[UUID(row[0]) for row in rows],
            owners=[UUID(row[1]) for row in rows],
            metadata=[{} if row[3] == "{}" else json.loads(row[3]) for row in rows],
            matrix=matrix,
        )
        self._projects[project_id] = project
        return project
