"""Entity resolution's name index (EntityNameVectors) as KeepNameVectors uses it, on every adapter: the
in-memory one of the unit tests, the embedded index (SQLite file + numpy) and pgvector (a real PostgreSQL 16
with the extension, from `pgserver`). An entity's vector is rewritten in place when its name changes, read
back by its metadata without a search, and forgotten when the entity goes; always within one project."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.pgvector.index import PgVectorIndex
from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.search.ports import VectorEntry
from tests.fakes.memory_search import MemoryVectorIndex

DIMENSION = 4
TABLE = "contract_entity_name_vectors"
A, B = UUID(int=1), UUID(int=2)
NORTH, EAST = [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]


@pytest.fixture(params=["memory", "embedded", "pgvector"])
async def names(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[EntityNameVectors]:
    if request.param == "memory":
        yield MemoryVectorIndex(DIMENSION)
        return
    if request.param == "embedded":
        embedded = EmbeddedVectorIndex(tmp_path / "agentry.db-entity-vectors", DIMENSION)
        yield embedded
        embedded.close()
        return
    engine = create_async_engine(request.getfixturevalue("pgvector_url"))
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}, {TABLE}_forgotten"))
        yield PgVectorIndex(engine, DIMENSION, table=TABLE)
    finally:
        await engine.dispose()


def named(entity_id: UUID, name: str, vector: list[float], project: UUID = A) -> VectorEntry:
    return VectorEntry(entity_id, project, entity_id, vector, {"model": "m", "name": name})


async def test_kept_reads_the_metadata_of_the_projects_ids_only(names: EntityNameVectors) -> None:
    ours, theirs, unknown = uuid4(), uuid4(), uuid4()
    await names.upsert([named(ours, "Acme", NORTH), named(theirs, "Globex", EAST, B)])

    assert await names.kept(A, [ours, theirs, unknown]) == {ours: {"model": "m", "name": "Acme"}}
    assert await names.kept(B, [ours, theirs]) == {theirs: {"model": "m", "name": "Globex"}}
    assert await names.kept(A, []) == {}


async def test_a_renamed_entitys_vector_is_replaced_in_place(names: EntityNameVectors) -> None:
    acme = uuid4()
    await names.upsert([named(acme, "Acme", NORTH)])
    assert len(await names.search(A, NORTH, 5)) == 1  # warms any cache of the project

    await names.upsert([named(acme, "Acme Holdings", EAST)])

    [hit] = await names.search(A, EAST, 5)
    assert (hit.id, hit.owner_id, dict(hit.metadata)) == (acme, acme, {"model": "m", "name": "Acme Holdings"})
    assert hit.score == pytest.approx(1.0, abs=1e-5)
    assert await names.kept(A, [acme]) == {acme: {"model": "m", "name": "Acme Holdings"}}
    assert await names.count(A) == 1


async def test_a_forgotten_entity_is_neither_found_nor_kept_and_forgetting_again_is_harmless(
    names: EntityNameVectors,
) -> None:
    gone, stays, elsewhere = uuid4(), uuid4(), uuid4()
    await names.upsert([named(gone, "Acme", NORTH), named(stays, "Globex", EAST), named(elsewhere, "Acme", NORTH, B)])
    assert len(await names.search(A, NORTH, 5)) == 2  # warms any cache of the project

    assert await names.delete(A, [gone, elsewhere]) == 1  # another project's id is not this project's to forget
    assert await names.delete(A, [gone]) == 0

    assert [hit.id for hit in await names.search(A, NORTH, 5)] == [stays]
    assert await names.kept(A, [gone, stays]) == {stays: {"model": "m", "name": "Globex"}}
    assert await names.kept(B, [elsewhere]) == {elsewhere: {"model": "m", "name": "Acme"}}
