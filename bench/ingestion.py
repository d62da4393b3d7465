"""Ingestion throughput of one worker with the local model, through every step (parse, chunk, embed,
extract, link): documents per minute and chunks per second.

    uv run python bench/ingestion.py [--documents 40] [--words 600] [--database sqlite|postgres]

The embedded profile's adapters from the real container (all-MiniLM-L6-v2 on numpy, the offline
extractor, entity resolution by name embedding), on a SQLite file (default: the embedded profile, vectors
in the embedded index) or a scratch database on the local PostgreSQL (`BENCH_POSTGRES_URL`, made, migrated
and dropped) with the vectors in pgvector on a PostgreSQL 16 from `pgserver` (AGENTRY_VECTOR_DATABASE_URL,
as the integration tests have it: the machine's PostgreSQL has no pgvector). Synthetic English
documents of `--words` words (default chunking: 1,200 characters, about 4 chunks a document), each naming
people, places and organisations so that extraction and linking have work; names repeat across
documents, so the link step resolves most by name and embeds the rest. One worker: the jobs are leased
and run one after the other with `RunIngestion`, as the documents actor does. Also printed: the share of
the pipeline's time spent in the embedder (chunks, and the entity names the link step embeds). Baseline
in the same run: the bare embedder over the same chunk texts, after the pipeline (what the embed step
alone costs; on a shared machine the load moves between the two).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg
from dramatiq.brokers.stub import StubBroker
from tests.contract.builders import make_user
from tests.pgvector_server import pgvector_server

from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.application.documents.ingest import IngestBatch, NewDocument
from agentry.application.documents.ports import ChunkRepository, IngestionJobRepository
from agentry.application.documents.run_ingestion import RunIngestion
from agentry.application.identity.ports.users import UserRepository
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.search.ports import Embedder, Vector
from agentry.domain.documents.document import MediaType
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-only-secret-key-of-sufficient-length"
PEOPLE = ["Ada Lovelace", "Charles Babbage", "Grace Hopper", "Alan Turing", "Margaret Hamilton", "Dr. Grace Hopper"]
PLACES = ["London", "Paris", "Cambridge", "New York", "Boston", "Geneva"]
ORGS = ["Acme Corporation", "Acme Corp.", "Microsoft Corporation", "World Health Organization", "Initech Ltd"]
TEXT = (
    "the team reviewed a report about the new system and found that the database needed an index "
    "before the release so they met again on monday to plan the work and write tests for the search"
)
WORDS = TEXT.split()


def document(rng: random.Random, words: int) -> str:
    out: list[str] = []
    while len(out) < words:
        sentence = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        sentence.insert(rng.randrange(len(sentence)), rng.choice(PEOPLE))
        if rng.random() < 0.6:
            sentence.insert(rng.randrange(len(sentence)), "in " + rng.choice(PLACES))
        if rng.random() < 0.5:
            sentence.insert(rng.randrange(len(sentence)), "at " + rng.choice(ORGS))
        text = " ".join(sentence)
        out.extend((text[0].upper() + text[1:] + ".").split())
    paragraphs = [" ".join(out[i : i + 80]) for i in range(0, len(out), 80)]
    return "\n\n".join(paragraphs)


async def measure(url: str, documents: int, words: int, run: int, vector_url: str | None = None) -> None:
    env = {
        "AGENTRY_DATABASE_URL": url,
        "AGENTRY_SECRET_KEY": SECRET,
        "AGENTRY_METRICS": "false",
        "AGENTRY_LOG_LEVEL": "WARNING",
        "AGENTRY_EMBEDDER": "local",
        "AGENTRY_EXTRACTOR": "offline",
    } | ({"AGENTRY_VECTOR_DATABASE_URL": vector_url} if vector_url else {})
    container = make_container(load_settings(env), StubBroker(), RelayWakeup())
    rng = random.Random(16 + run)
    texts = [document(rng, words) for _ in range(documents)]
    try:
        async with container() as request:
            users = await request.get(UserRepository)  # the mappers are started by now
            user = make_user()  # the documents' submitter and the project's owner, as signing up makes them
            await users.add(user)
            await (await request.get(UnitOfWork)).commit()
            creator = Principal(user.id, user.display_name)
            project = await (await request.get(CreateProject))(creator, NewProject("Bench", f"bench-{run}"))
            owner = Principal(user.id, user.display_name, memberships={project.id: ProjectRole.OWNER})
            embedder = await request.get(Embedder)
            await embedder.embed(["warm up the model"])
        async with container() as request:
            batch = await request.get(IngestBatch)
            items = [NewDocument(f"doc {n}", MediaType.TEXT, t.encode()) for n, t in enumerate(texts)]
            await batch(owner, project.id, items)
        async with container() as request:
            jobs, clock = await request.get(IngestionJobRepository), await request.get(Clock)
            token, now = uuid.uuid4(), clock.now()
            taken = await jobs.take_due(now, now + timedelta(hours=1), token, documents)
            await (await request.get(UnitOfWork)).commit()
        in_embedder = [0.0]  # seconds the pipeline spent in the embedder (chunks and entity names)
        embed = embedder.embed

        async def timed_embed(texts: Sequence[str]) -> list[Vector]:
            began = time.perf_counter()
            try:
                return await embed(texts)
            finally:
                in_embedder[0] += time.perf_counter() - began

        embedder.embed = timed_embed  # type: ignore[method-assign]  # the container's one instance
        started = time.perf_counter()
        ended = []
        for job in taken:
            async with container() as request:
                ended.append(await (await request.get(RunIngestion))(SYSTEM_PRINCIPAL, job.id, token))
        elapsed = time.perf_counter() - started
        embedder.embed = embed  # type: ignore[method-assign]
        chunk_texts: list[str] = []
        async with container() as request:
            chunks = await request.get(ChunkRepository)
            for job in taken:
                chunk_texts += [c.text for c in await chunks.of_document(job.document_id)]
        started = time.perf_counter()
        for at in range(0, len(chunk_texts), 32):  # the embed step's batch
            await embedder.embed(chunk_texts[at : at + 32])
        bare = time.perf_counter() - started
    finally:
        await container.close()
    done = sum(1 for status in ended if status is not None and status.value == "succeeded")
    n = len(chunk_texts)
    print(
        f"run {run}: {done}/{len(taken)} documents succeeded, {n} chunks in {elapsed:.1f} s: "
        f"{60 * len(taken) / elapsed:.1f} documents/min, {n / elapsed:.1f} chunks/s"
    )
    share = in_embedder[0] / elapsed
    print(f"  of which in the embedder (chunks and entity names): {in_embedder[0]:.1f} s ({share:.0%})")
    print(f"  baseline: the bare embedder over the same chunks {n / bare:.1f} chunks/s")
    print(f"  pipeline / bare embedder (chunks/s): {bare / elapsed:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    print(f"{args.documents} documents of {args.words} words, one worker, the local model ({args.database})")
    print("(a shared, loaded 2-core machine: compare the ratio, not the absolute figures)")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            if args.database == "sqlite":
                url = f"sqlite:///{folder}/agentry.db"
                upgrade(url)
                asyncio.run(measure(url, args.documents, args.words, run))
                continue
            name = f"bench_ingest_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(POSTGRES, autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {name}")
            url = POSTGRES.rsplit("/", 1)[0] + "/" + name
            try:
                upgrade(url)
                with pgvector_server() as vector_url:
                    asyncio.run(measure(url, args.documents, args.words, run, vector_url))
            finally:
                with psycopg.connect(POSTGRES, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
