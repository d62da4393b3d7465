"""Semantic search's adapters: the Embedder (AGENTRY_EMBEDDER: the local all-MiniLM-L6-v2, or an
OpenAI-compatible server) and the VectorIndex (pgvector on PostgreSQL, or on the PostgreSQL that
AGENTRY_VECTOR_DATABASE_URL names; on SQLite, the embedded index in a file beside the database); entity
resolution's index of names the same way, in a table or file of its own (with
AGENTRY_VECTOR_DATABASE_URL, both on one engine)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dishka import Provider, Scope, provide
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex, vectors_path
from agentry.adapters.http_client.openai_embeddings import OpenAiCompatibleEmbedder
from agentry.adapters.minilm.embedder import MiniLmEmbedder
from agentry.adapters.pgvector.index import PgVectorIndex
from agentry.adapters.sqlalchemy.engine import backend_of, create_async_database
from agentry.adapters.sqlalchemy.sqlite_file import sqlite_path
from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.search.ports import Embedder, VectorIndex
from agentry.entrypoints.config import Settings


@dataclass(frozen=True, slots=True)
class VectorDatabase:
    """The engine of the PostgreSQL that AGENTRY_VECTOR_DATABASE_URL names, shared by the chunks' index and
    the names'; None: the vectors live in the database itself (or beside it, on SQLite)."""

    engine: AsyncEngine | None


class SearchProvider(Provider):
    scope = Scope.APP

    @provide
    async def embedder(self, settings: Settings) -> AsyncIterator[Embedder]:
        if settings.embedder == "local":
            yield MiniLmEmbedder()  # the model loads at the first batch
            return
        # load_settings requires these three with AGENTRY_EMBEDDER=openai
        assert settings.embeddings_url is not None
        assert settings.embeddings_model is not None
        assert settings.embeddings_dimension is not None
        client = OpenAiCompatibleEmbedder(
            base_url=settings.embeddings_url,
            model=settings.embeddings_model,
            dimension=settings.embeddings_dimension,
            api_key=settings.embeddings_api_key,
            batch_size=settings.embeddings_batch,
            timeout_s=settings.embeddings_timeout_s,
        )
        yield client
        await client.aclose()

    @provide
    async def vector_database(self, settings: Settings) -> AsyncIterator[VectorDatabase]:
        if settings.vector_database_url is None:
            yield VectorDatabase(None)
            return
        engine = create_async_database(settings.vector_database_url, pool_size=5)
        yield VectorDatabase(engine)
        await engine.dispose()

    @provide
    async def vector_index(
        self, settings: Settings, engine: AsyncEngine, vectors: VectorDatabase, embedder: Embedder
    ) -> AsyncIterator[VectorIndex]:
        with _index(settings, vectors.engine or engine, embedder, PG_CHUNKS, FILE_CHUNKS) as index:
            yield index

    @provide
    async def entity_name_vectors(
        self, settings: Settings, engine: AsyncEngine, vectors: VectorDatabase, embedder: Embedder
    ) -> AsyncIterator[EntityNameVectors]:
        with _index(settings, vectors.engine or engine, embedder, PG_NAMES, FILE_NAMES) as index:
            yield index


PG_CHUNKS, FILE_CHUNKS = "search_vectors", ""
PG_NAMES, FILE_NAMES = "entity_name_vectors", "-entity"  # agentry.db-entity-vectors


@contextmanager
def _index(
    settings: Settings, engine: AsyncEngine, embedder: Embedder, table: str, file_infix: str
) -> Iterator[PgVectorIndex | EmbeddedVectorIndex]:
    """`engine`: the vector database's, or the database's."""
    if settings.vector_database_url is not None or backend_of(settings.database) != "sqlite":
        yield PgVectorIndex(engine, embedder.dimension, table=table)  # creates its table at first use
        return
    database = sqlite_path(make_url(settings.database))
    path = vectors_path(database.with_name(database.name + file_infix)) if database else ":memory:"
    index = EmbeddedVectorIndex(path, embedder.dimension)
    yield index
    index.close()
