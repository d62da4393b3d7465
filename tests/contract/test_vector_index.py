"""The VectorIndex contract, over the embedded index (SQLite file + numpy) and pgvector (a real PostgreSQL 16
with the extension, from the `pgserver` package)."""

from __future__ import annotations

import math
import random
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.pgvector.index import PgVectorIndex
from agentry.application.search.ports import VectorDimensionMismatch, VectorEntry, VectorIndex

DIMENSION = 8
TABLE = "contract_vectors"
A, B = UUID(int=1), UUID(int=2)


@pytest.fixture(params=["embedded", "pgvector"])
async def index(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[VectorIndex]:
    if request.param == "embedded":
        embedded = EmbeddedVectorIndex(tmp_path / "agentry.db-vectors", DIMENSION)
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


def unit(values: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def axis(i: int, tilt: float = 0.0) -> list[float]:
    """The i-th axis, tilted towards the next one."""
    values = [0.0] * DIMENSION
    values[i] = 1.0
    values[(i + 1) % DIMENSION] = tilt
    return values


def entry(vector: list[float], project: UUID = A, owner: UUID | None = None, **metadata: object) -> VectorEntry:
    return VectorEntry(id=uuid4(), project_id=project, owner_id=owner or uuid4(), vector=vector, metadata=metadata)  # type: ignore[arg-type]


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(unit(a), unit(b), strict=True))


async def test_nearest_first_with_cosine_scores_and_metadata(index: VectorIndex) -> None:
    near, middle, far = entry(axis(0, 0.1), ordinal=3, kind="chunk"), entry(axis(0, 1.0)), entry(axis(4))
    await index.upsert([far, near, middle])

    hits = await index.search(A, axis(0), 2)

    assert [hit.id for hit in hits] == [near.id, middle.id]
    assert hits[0].score == pytest.approx(cosine(axis(0, 0.1), axis(0)), abs=1e-5)
    assert hits[1].score == pytest.approx(math.sqrt(0.5), abs=1e-5)
    assert hits[0].owner_id == near.owner_id
    assert dict(hits[0].metadata) == {"ordinal": 3, "kind": "chunk"}
    assert (await index.search(A, axis(4), 1))[0].score == pytest.approx(1.0, abs=1e-5)


async def test_search_never_crosses_projects(index: VectorIndex) -> None:
    ours = [entry(axis(i, 0.2), A) for i in range(3)]
    theirs = [entry(axis(i, 0.1), B) for i in range(DIMENSION)]  # closer to every query than ours
    await index.upsert(ours + theirs)

    for i in range(DIMENSION):
        hits = await index.search(A, axis(i), 10)
        assert {hit.id for hit in hits} == {e.id for e in ours}
    assert await index.search(uuid4(), axis(0), 5) == []
    assert await index.count(A) == 3
    assert await index.count(B) == DIMENSION


async def test_a_small_project_beside_a_large_one_gets_its_k_nearest(index: VectorIndex) -> None:
    """HNSW filters after its walk: a project with few vectors among many must still get all of them."""
    rng = random.Random(7)
    crowd = [entry([rng.gauss(0, 1) for _ in range(DIMENSION)], B) for _ in range(400)]
    few = [entry([rng.gauss(0, 1) for _ in range(DIMENSION)], A) for _ in range(3)]
    await index.upsert(crowd)
    await index.upsert(few)

    hits = await index.search(A, crowd[0].vector, 3)  # type: ignore[arg-type]

    assert {hit.id for hit in hits} == {e.id for e in few}
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


async def test_k_nearest_agree_with_an_exact_scan(index: VectorIndex) -> None:
    rng = random.Random(11)
    entries = [entry([rng.gauss(0, 1) for _ in range(DIMENSION)], rng.choice([A, B])) for _ in range(300)]
    await index.upsert(entries)
    found = total = 0
    for _ in range(10):
        query = [rng.gauss(0, 1) for _ in range(DIMENSION)]
        exact = sorted((e for e in entries if e.project_id == A), key=lambda e: -cosine(e.vector, query))[:10]  # type: ignore[arg-type]
        hits = await index.search(A, query, 10)
        assert len(hits) == 10
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        by_id = {e.id: e for e in entries}
        for hit in hits:
            assert by_id[hit.id].project_id == A
            assert hit.score == pytest.approx(cosine(by_id[hit.id].vector, query), abs=1e-4)  # type: ignore[arg-type]
        found += len({h.id for h in hits} & {e.id for e in exact})
        total += 10
    assert found / total >= 0.9  # HNSW is approximate; the embedded index is exact


async def test_upsert_replaces_what_was_kept_under_the_id(index: VectorIndex) -> None:
    first = entry(axis(1), A, version=1)
    await index.upsert([first])
    moved_owner = uuid4()
    await index.upsert([VectorEntry(first.id, A, moved_owner, axis(5), {"version": 2})])

    hits = await index.search(A, axis(5), 5)

    assert [(h.id, h.owner_id, dict(h.metadata)) for h in hits] == [(first.id, moved_owner, {"version": 2})]
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert await index.count(A) == 1


async def test_an_upsert_can_move_an_id_to_another_project(index: VectorIndex) -> None:
    kept = entry(axis(2), A)
    await index.upsert([kept])
    assert len(await index.search(A, axis(2), 1)) == 1  # warms any cache of project A
    await index.upsert([VectorEntry(kept.id, B, kept.owner_id, axis(2))])

    assert await index.search(A, axis(2), 5) == []
    assert [h.id for h in await index.search(B, axis(2), 5)] == [kept.id]


async def test_deletes_are_scoped_to_the_project(index: VectorIndex) -> None:
    document, other_document = uuid4(), uuid4()
    ours = [entry(axis(i), A, document) for i in range(3)]
    other = entry(axis(3), A, other_document)
    theirs = [entry(axis(i), B, document) for i in range(2)]
    await index.upsert([*ours, other, *theirs])
    assert len(await index.search(A, axis(0), 10)) == 4  # warms any cache

    assert await index.delete(B, [ours[0].id]) == 0  # another project's id: nothing
    assert await index.delete(A, [ours[0].id, uuid4()]) == 1
    assert await index.delete_owner(A, document) == 2
    assert [h.id for h in await index.search(A, axis(0), 10)] == [other.id]
    assert await index.count(B) == 2  # the same owner in another project is untouched
    assert await index.delete_project(B) == 2
    assert await index.count(B) == 0
    assert await index.count(A) == 1
    assert await index.delete(A, []) == 0


async def test_a_deleted_project_is_forgotten_and_a_late_upsert_keeps_none_of_its_vectors(index: VectorIndex) -> None:
    """A writer that read before the project went (an ingestion step, the reindex) writes after it was
    forgotten: its entries are dropped, another project's in the same batch are kept."""
    await index.upsert([entry(axis(0), A), entry(axis(1), B)])
    assert await index.delete_project(A) == 1

    late, other = entry(axis(2), A), entry(axis(3), B)
    await index.upsert([late, other])
    await index.upsert([VectorEntry(other.id, A, other.owner_id, axis(3))])  # nor may an id move into it

    assert await index.count(A) == 0 and await index.search(A, axis(2), 5) == []
    assert await index.count(B) == 2
    assert await index.delete_project(A) == 0  # a repeated event: nothing more


async def test_a_project_forgotten_in_one_process_is_forgotten_in_another_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "agentry.db-entity-vectors"
    server, reindex = EmbeddedVectorIndex(path, DIMENSION), EmbeddedVectorIndex(path, DIMENSION)
    await server.delete_project(A)
    await reindex.upsert([entry(axis(0), A), entry(axis(1), B)])
    counts = await server.count(A), await server.count(B)
    server.close()
    reindex.close()
    assert counts == (0, 1)


async def test_a_search_sees_what_another_process_wrote_to_the_file_after_it_cached_the_project(
    tmp_path: Path,
) -> None:
    path = tmp_path / "agentry.db-entity-vectors"
    server, reindex = EmbeddedVectorIndex(path, DIMENSION), EmbeddedVectorIndex(path, DIMENSION)
    first = entry(axis(0), A)
    await server.upsert([first])
    assert [hit.id for hit in await server.search(A, axis(1), 5)] == [first.id]  # the project is cached now
    added = entry(axis(1), A)
    await reindex.upsert([added])
    await reindex.delete(A, [first.id])
    found = [hit.id for hit in await server.search(A, axis(1), 5)]
    server.close()
    reindex.close()
    assert found == [added.id]


async def test_a_vector_of_another_dimension_is_refused_and_nothing_is_kept(index: VectorIndex) -> None:
    good, bad = entry(axis(0)), entry([1.0, 0.0])
    with pytest.raises(VectorDimensionMismatch):
        await index.upsert([good, bad])
    assert await index.count(A) == 0
    with pytest.raises(VectorDimensionMismatch):
        await index.search(A, [1.0, 0.0, 0.0], 3)
    assert index.dimension == DIMENSION


async def test_fewer_than_k_and_k_zero(index: VectorIndex) -> None:
    await index.upsert([entry(axis(0)), entry(axis(1))])
    assert len(await index.search(A, axis(0), 10)) == 2
    assert await index.search(A, axis(0), 0) == []
    await index.upsert([])


async def test_embedded_vectors_survive_a_reopen_and_refuse_another_dimension(tmp_path: Path) -> None:
    path = tmp_path / "agentry.db-vectors"
    first = EmbeddedVectorIndex(path, DIMENSION)
    kept = entry(axis(3), A, note="kept")
    await first.upsert([kept])
    first.close()

    again = EmbeddedVectorIndex(path, DIMENSION)
    hits = await again.search(A, axis(3), 1)
    again.close()

    assert [(h.id, dict(h.metadata)) for h in hits] == [(kept.id, {"note": "kept"})]
    with pytest.raises(RuntimeError, match="holds 8-dimensional vectors, the embedder makes 16"):
        EmbeddedVectorIndex(path, 16)


async def test_pgvector_refuses_a_table_of_another_dimension(pgvector_url: str) -> None:
    engine = create_async_engine(pgvector_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}, {TABLE}_forgotten"))
        await PgVectorIndex(engine, DIMENSION, table=TABLE).count(A)
        with pytest.raises(RuntimeError, match=r"holds vector\(8\), the embedder makes vector\(16\)"):
            await PgVectorIndex(engine, 16, table=TABLE).count(A)
        async with engine.connect() as connection:
            indexes = (
                await connection.execute(text(f"SELECT indexdef FROM pg_indexes WHERE tablename = '{TABLE}'"))
            ).scalars()
            assert any("USING hnsw (embedding vector_cosine_ops)" in index for index in indexes)
    finally:
        await engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([A, B]), st.lists(st.integers(-4, 4), min_size=DIMENSION, max_size=DIMENSION)),
        min_size=1,
        max_size=40,
    ),
    query=st.lists(st.integers(-4, 4), min_size=DIMENSION, max_size=DIMENSION).filter(any),
    k=st.integers(1, 12),
)
async def test_embedded_search_is_the_exact_answer_within_the_project(
    rows: list[tuple[UUID, list[int]]], query: list[int], k: int
) -> None:
    """The embedded index is exact: its k hits are the project's k most similar (ties aside), nothing else."""
    rows = [(project, vector) for project, vector in rows if any(vector)]
    index = EmbeddedVectorIndex(":memory:", DIMENSION)
    entries = [entry([float(v) for v in vector], project) for project, vector in rows]
    await index.upsert(entries)
    hits = await index.search(A, [float(v) for v in query], k)
    index.close()

    ours = sorted((cosine(e.vector, [float(v) for v in query]) for e in entries if e.project_id == A), reverse=True)  # type: ignore[arg-type]
    assert [h.score for h in hits] == pytest.approx(ours[:k], abs=1e-5)
    assert {h.id for h in hits} <= {e.id for e in entries if e.project_id == A}


async def test_pgvector_repeats_exactly_when_hnsw_filters_a_small_project_away(pgvector_url: str) -> None:
    """With only the HNSW index to choose (the project index dropped, sequential scans discouraged), the
    walk's candidates are nearly all the crowd's: the search must notice and answer exactly."""
    engine = create_async_engine(pgvector_url, connect_args={"options": "-c enable_seqscan=off"})
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}, {TABLE}_forgotten"))
        index = PgVectorIndex(engine, DIMENSION, table=TABLE)
        await index.ensure_schema()
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP INDEX {TABLE}_owner"))
        rng = random.Random(5)
        crowd = [entry([rng.gauss(0, 1) for _ in range(DIMENSION)], B) for _ in range(600)]
        few = [entry([rng.gauss(0, 1) for _ in range(DIMENSION)], A) for _ in range(3)]
        await index.upsert(crowd + few)
        async with engine.begin() as connection:
            await connection.execute(text(f"ANALYZE {TABLE}"))
            plan = "\n".join(
                (
                    await connection.execute(
                        text(
                            f"EXPLAIN SELECT id FROM {TABLE} WHERE project_id = :p "
                            "ORDER BY embedding <=> CAST(:q AS vector) LIMIT 3"
                        ),
                        {"p": A, "q": str([float(v) for v in crowd[0].vector])},
                    )
                ).scalars()
            )
        assert f"{TABLE}_hnsw" in plan  # the situation this test is about

        hits = await index.search(A, crowd[0].vector, 3)

        assert {hit.id for hit in hits} == {e.id for e in few}
    finally:
        await engine.dispose()
