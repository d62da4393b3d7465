"""AGENTRY_EMBEDDER and the embeddings settings, and which adapters the container wires for each profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.http_client.openai_embeddings import OpenAiCompatibleEmbedder
from agentry.adapters.minilm.embedder import MiniLmEmbedder
from agentry.adapters.pgvector.index import PgVectorIndex
from agentry.application.knowledge.ports.name_vectors import EntityNameVectors
from agentry.application.knowledge.similar_names import SimilarNames
from agentry.application.search.entities import SearchEntities
from agentry.application.search.hybrid import SearchChunks
from agentry.application.search.ports import Embedder, VectorIndex
from agentry.application.search.query_embedding import OnceEmbedder
from agentry.entrypoints.config import ConfigError, load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.wakeup import RelayWakeup

OPENAI = {
    "AGENTRY_EMBEDDER": "openai",
    "AGENTRY_EMBEDDINGS_URL": "http://127.0.0.1:11434/v1",
    "AGENTRY_EMBEDDINGS_MODEL": "nomic-embed-text",
    "AGENTRY_EMBEDDINGS_DIMENSION": "768",
    "AGENTRY_EMBEDDINGS_API_KEY": "sk-secret-embeddings-key",
}


def test_the_local_model_is_the_default() -> None:
    assert load_settings({}).embedder == "local"


@pytest.mark.parametrize(
    "missing", ["AGENTRY_EMBEDDINGS_URL", "AGENTRY_EMBEDDINGS_MODEL", "AGENTRY_EMBEDDINGS_DIMENSION"]
)
def test_the_openai_embedder_needs_its_url_model_and_dimension(missing: str) -> None:
    env = {name: value for name, value in OPENAI.items() if name != missing}
    with pytest.raises(ConfigError, match=f"^{missing}: required when AGENTRY_EMBEDDER=openai$"):
        load_settings(env)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"AGENTRY_EMBEDDER": "onnx"}, "AGENTRY_EMBEDDER"),
        ({"AGENTRY_EMBEDDINGS_URL": "localhost:11434"}, "AGENTRY_EMBEDDINGS_URL"),
        ({"AGENTRY_EMBEDDINGS_DIMENSION": "0"}, "AGENTRY_EMBEDDINGS_DIMENSION"),
        (
            {"AGENTRY_EMBEDDINGS_DIMENSION": "3072", "AGENTRY_DATABASE_URL": "postgresql://db/agentry"},
            "AGENTRY_EMBEDDINGS_DIMENSION",
        ),
        ({"AGENTRY_VECTOR_DATABASE_URL": "sqlite:///vectors.db"}, "AGENTRY_VECTOR_DATABASE_URL"),
        ({"AGENTRY_VECTOR_DATABASE_URL": "mysql://db/vectors"}, "AGENTRY_VECTOR_DATABASE_URL"),
        (
            {"AGENTRY_EMBEDDINGS_DIMENSION": "3072", "AGENTRY_VECTOR_DATABASE_URL": "postgresql://db/vectors"},
            "AGENTRY_EMBEDDINGS_DIMENSION",
        ),
    ],
)
def test_bad_values_stop_with_a_line_naming_the_setting(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name}"):
        load_settings(env)


def test_the_key_is_masked_when_settings_are_shown() -> None:
    assert "sk-secret-embeddings-key" not in repr(load_settings(OPENAI))


async def test_the_embedded_profile_keeps_vectors_beside_its_database_with_the_local_model(tmp_path: Path) -> None:
    settings = load_settings({"AGENTRY_DATABASE_URL": f"sqlite:///{tmp_path}/agentry.db"})
    container = make_container(settings, StubBroker(), RelayWakeup())
    try:
        embedder = await container.get(Embedder)
        index = await container.get(VectorIndex)
        assert isinstance(embedder, MiniLmEmbedder)
        assert isinstance(index, EmbeddedVectorIndex)
        assert index.dimension == 384
        assert (tmp_path / "agentry.db-vectors").exists()
        names = await container.get(EntityNameVectors)  # entity resolution's names: a file of their own
        assert isinstance(names, EmbeddedVectorIndex) and names is not index
        assert (tmp_path / "agentry.db-entity-vectors").exists()
    finally:
        await container.close()


async def test_postgresql_gets_pgvector_and_openai_its_client() -> None:
    settings = load_settings({**OPENAI, "AGENTRY_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/agentry"})
    container = make_container(settings, StubBroker(), RelayWakeup())
    try:
        embedder = await container.get(Embedder)
        index = await container.get(VectorIndex)  # nothing connects until the first use
        assert isinstance(embedder, OpenAiCompatibleEmbedder)
        assert (embedder.model, embedder.dimension) == ("nomic-embed-text", 768)
        assert isinstance(index, PgVectorIndex)
        assert index.dimension == 768
        names = await container.get(EntityNameVectors)
        assert isinstance(names, PgVectorIndex) and names is not index and names.dimension == 768
    finally:
        await container.close()


async def test_a_vector_database_of_its_own_serves_both_indexes_on_one_engine_even_beside_sqlite(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        {
            "AGENTRY_DATABASE_URL": f"sqlite:///{tmp_path}/agentry.db",
            "AGENTRY_VECTOR_DATABASE_URL": "postgresql://nobody:hunter2@127.0.0.1:1/vectors",
        }
    )
    assert "hunter2" not in repr(settings)
    container = make_container(settings, StubBroker(), RelayWakeup())
    try:
        index = await container.get(VectorIndex)  # nothing connects until the first use
        assert isinstance(index, PgVectorIndex) and index.dimension == 384
        assert not (tmp_path / "agentry.db-vectors").exists()
        names = await container.get(EntityNameVectors)  # its own table, on the same engine (one pool)
        assert isinstance(names, PgVectorIndex) and names is not index
        assert names._engine is index._engine
        assert names._engine.url.database == "vectors"
    finally:
        await container.close()


async def test_the_entity_similarity_threshold_is_a_setting_between_zero_and_one(tmp_path: Path) -> None:
    settings = load_settings({"AGENTRY_DATABASE_URL": f"sqlite:///{tmp_path}/agentry.db"})
    assert settings.entity_similarity_threshold == 0.94
    settings = load_settings(
        {"AGENTRY_DATABASE_URL": f"sqlite:///{tmp_path}/agentry.db", "AGENTRY_ENTITY_SIMILARITY_THRESHOLD": "0.9"}
    )
    container = make_container(settings, StubBroker(), RelayWakeup())
    try:
        assert (await container.get(SimilarNames)).threshold == 0.9
    finally:
        await container.close()
    with pytest.raises(ConfigError, match="ENTITY_SIMILARITY_THRESHOLD"):
        load_settings({"AGENTRY_ENTITY_SIMILARITY_THRESHOLD": "1.5"})


async def test_one_request_embeds_the_query_once_for_the_chunks_and_the_entities(tmp_path: Path) -> None:
    settings = load_settings({"AGENTRY_DATABASE_URL": f"sqlite:///{tmp_path}/agentry.db"})
    container = make_container(settings, StubBroker(), RelayWakeup())
    try:
        embedder = await container.get(Embedder)
        names = await container.get(EntityNameVectors)
        async with container() as request:
            chunks, entities = await request.get(SearchChunks), await request.get(SearchEntities)
            assert isinstance(chunks.embedder, OnceEmbedder) and chunks.embedder is entities.embedder
            assert chunks.embedder.embedder is embedder and entities.names is names
        async with container() as request:
            assert (await request.get(SearchChunks)).embedder is not entities.embedder
    finally:
        await container.close()
