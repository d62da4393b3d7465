"""The public publication list's text filter (`q`) on PostgreSQL, with the pg_trgm GIN index on
`title || ' ' || body` (migration 0018) and without it, in the same run, through the repository itself.

    uv run python bench/publication_search.py [--items 10000] [--words 300] [--repeat 30]

One throwaway database, migrated; one project with `--items` published publications written by the
database (INSERT ... SELECT over generate_series): a title of 4 and a body of `--words` words drawn from
a vocabulary of 5,000 made-up words (zipf-like: a few common, most rare), plus one planted phrase in 1
of 1,000 bodies. Each query is one page of 20 as the public list asks it; printed: p50 and p99 per query,
and whether both runs found the same ids.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg
from sqlalchemy.ext.asyncio import async_sessionmaker

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.mapping import start_mappers
from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.adapters.sqlalchemy.publishing.repository import SqlAlchemyPublications
from agentry.application.publishing.ports import PublicationQuery
from agentry.domain.publishing.publication import PublicationStatus

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
QUERIES = ["zebracorn", "vok", "kal", "vokabi telmu", "planted phrase", "nothing-like-this"]

FILL = """
WITH vocabulary AS (
    SELECT array_agg(w ORDER BY n) AS words FROM (
        SELECT (ARRAY['ka','vo','tel','mu','bi','ra','zen','lo','pri','dax'])[1 + n %% 10]
            || (ARRAY['kal','vok','abi','tel','mun','ori','sef','uli','nar','gop'])[1 + (n / 10) %% 10]
            || (n / 100)::text AS w, n
        FROM generate_series(0, 4999) AS n) v
)
INSERT INTO publications (id, project_id, author_id, title, body, categories, tags, entity_ids, status,
    history, created_at, updated_at, published_at)
SELECT gen_random_uuid(), %(project)s, %(project)s,
    (SELECT string_agg(words[1 + floor(5000 * random() ^ 3)::int + 0 * g], ' ') FROM generate_series(1, 4) g
        WHERE i > 0),
    (SELECT string_agg(words[1 + floor(5000 * random() ^ 3)::int + 0 * g], ' ')
        FROM generate_series(1, %(words)s) g WHERE i > 0)
        || CASE WHEN i %% 1000 = 0 THEN ' planted phrase zebracorn' ELSE '' END,
    '[]', '[]', '[]', 'published', '[]', now(), now(), now() - (i || ' seconds')::interval
FROM vocabulary, generate_series(1, %(items)s) AS i
"""
PROJECT = """
INSERT INTO projects (id, name, slug, settings, personal, created_at, updated_at)
VALUES (%(project)s, 'Bench', 'bench', '{"public_publications": true}', false, now(), now())
"""


async def measure(url: str, project: uuid.UUID, repeat: int) -> dict[str, tuple[float, float, list[uuid.UUID]]]:
    engine = create_async_database(url, pool_size=1)
    results: dict[str, tuple[float, float, list[uuid.UUID]]] = {}
    try:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        for q in QUERIES:
            times: list[float] = []
            ids: list[uuid.UUID] = []
            query = PublicationQuery(project, PublicationStatus.PUBLISHED, published=True, text=q, limit=20)
            for _ in range(repeat):
                async with sessions() as s:
                    started = time.perf_counter()
                    page = await SqlAlchemyPublications(s).page(query)
                    times.append((time.perf_counter() - started) * 1000)
                ids = [p.id for p in page]
            results[q] = (statistics.median(times), sorted(times)[int(0.99 * (len(times) - 1))], ids)
    finally:
        await engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    start_mappers()
    name = f"agentry_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        project = uuid.uuid4()
        with psycopg.connect(url, autocommit=True) as db:
            db.execute(PROJECT, {"project": project})
            db.execute(FILL, {"project": project, "items": args.items, "words": args.words})
            db.execute("ANALYZE publications")
        indexed = asyncio.run(measure(url, project, args.repeat))
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("DROP INDEX ix_publications_text_trgm")
            db.execute("ANALYZE publications")
        scanned = asyncio.run(measure(url, project, args.repeat))
        print(f"{args.items} published publications of {args.words} words; {args.repeat} runs per query (ms)")
        print(f"{'q':<20} {'found':>5} {'trgm p50':>9} {'trgm p99':>9} {'scan p50':>9} {'scan p99':>9}  same")
        for q in QUERIES:
            (p50, p99, ids), (s50, s99, sids) = indexed[q], scanned[q]
            print(f"{q:<20} {len(ids):>5} {p50:>9.1f} {p99:>9.1f} {s50:>9.1f} {s99:>9.1f}  {ids == sids}")
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
