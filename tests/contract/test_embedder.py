"""The Embedder contract, over the local all-MiniLM-L6-v2 (numpy) and the OpenAI-compatible client (against
tests/doubles/embeddings_api.py); then each adapter's own behaviour."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator

import pytest

from agentry.adapters.http_client.openai_embeddings import OpenAiCompatibleEmbedder
from agentry.adapters.minilm.embedder import MiniLmEmbedder
from agentry.application.search.ports import Embedder, EmbeddingFailed, Vector
from tests.doubles.embeddings_api import EmbeddingsApiDouble, Failure

SECRET = "sk-test-not-to-be-leaked"


@pytest.fixture(scope="session")
def minilm() -> MiniLmEmbedder:
    return MiniLmEmbedder()  # loads at its first batch, once for the session


@pytest.fixture(scope="module")
def embeddings_api() -> Iterator[EmbeddingsApiDouble]:
    with EmbeddingsApiDouble(dimension=64) as double:
        yield double


@pytest.fixture
async def openai(embeddings_api: EmbeddingsApiDouble) -> AsyncIterator[OpenAiCompatibleEmbedder]:
    client = OpenAiCompatibleEmbedder(
        base_url=embeddings_api.base_url, model="double-embed", dimension=64, api_key=SECRET, batch_size=4
    )
    yield client
    await client.aclose()


@pytest.fixture(params=["local", "openai"])
def embedder(request: pytest.FixtureRequest) -> Embedder:
    return request.getfixturevalue("minilm" if request.param == "local" else "openai")  # type: ignore[no-any-return]


def dot(a: Vector, b: Vector) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


async def test_one_unit_vector_per_text_in_order(embedder: Embedder) -> None:
    texts = [f"note {i}: the build of service {i} failed on step {i * 3}" for i in range(10)]

    batch = await embedder.embed(texts)
    one_by_one = [(await embedder.embed([text]))[0] for text in (texts[0], texts[7])]

    assert len(batch) == len(texts)
    for vector in batch:
        assert len(vector) == embedder.dimension
        assert math.sqrt(dot(vector, vector)) == pytest.approx(1.0, abs=1e-5)
    assert dot(batch[0], one_by_one[0]) == pytest.approx(1.0, abs=1e-5)
    assert dot(batch[7], one_by_one[1]) == pytest.approx(1.0, abs=1e-5)
    assert embedder.model


async def test_an_empty_batch_is_an_empty_list(embedder: Embedder) -> None:
    assert await embedder.embed([]) == []


async def test_related_texts_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    cat, cat_again, revenue = await embedder.embed(
        ["the cat sat on the mat", "a cat sat on a mat", "quarterly revenue grew by four percent"]
    )
    assert dot(cat, cat_again) > dot(cat, revenue) + 0.2


# The local model --------------------------------------------------------------------------------------


async def test_minilm_matches_the_reference_model(minilm: MiniLmEmbedder) -> None:
    """Reference values of sentence-transformers/all-MiniLM-L6-v2 (its README's similarity example, and the
    first components of "This is an example sentence" as the reference implementation gives them)."""
    weather, sunny, stadium, example = await minilm.embed(
        [
            "The weather is lovely today.",
            "It's so sunny outside!",
            "He drove to the stadium.",
            "This is an example sentence",
        ]
    )
    assert dot(weather, sunny) == pytest.approx(0.6660, abs=5e-4)
    assert dot(weather, stadium) == pytest.approx(0.1046, abs=5e-4)
    assert dot(sunny, stadium) == pytest.approx(0.1411, abs=5e-4)
    assert list(example[:5]) == pytest.approx([0.0677, 0.0635, 0.0487, 0.0793, 0.0374], abs=2e-4)
    assert (minilm.model, minilm.dimension) == ("sentence-transformers/all-MiniLM-L6-v2", 384)


async def test_minilm_truncates_long_texts_and_pads_per_batch(minilm: MiniLmEmbedder) -> None:
    long_text = "an agent reviewed the pull request and left comments. " * 200  # far past 256 word pieces
    short, long_vector = await minilm.embed(["a short note", long_text])
    (alone,) = await minilm.embed(["a short note"])
    assert dot(short, alone) == pytest.approx(1.0, abs=1e-5)  # padding beside a long text changes nothing
    assert len(long_vector) == 384


# The OpenAI-compatible client ------------------------------------------------------------------------


async def test_openai_sends_the_model_and_key_in_batches(
    openai: OpenAiCompatibleEmbedder, embeddings_api: EmbeddingsApiDouble
) -> None:
    before = len(embeddings_api.requests)
    await openai.embed([f"text {i}" for i in range(10)])
    requests = embeddings_api.requests[before:]
    assert [len(r.body["input"]) for r in requests] == [4, 4, 2]
    assert {r.body["model"] for r in requests} == {"double-embed"}
    assert {r.headers["authorization"] for r in requests} == {f"Bearer {SECRET}"}
    assert {r.path for r in requests} == {"/v1/embeddings"}


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (Failure(401, "Incorrect API key provided"), "answered 401: Incorrect API key provided"),
        (Failure(503, body=b"upstream overloaded"), "answered 503: upstream overloaded"),
        (Failure(200, body=b'{"data": "nope"}'), "reply is not usable"),
        (Failure(200, body=b"<html>"), "reply is not usable"),
    ],
)
async def test_openai_failures_say_what_went_wrong_without_the_key(
    openai: OpenAiCompatibleEmbedder, embeddings_api: EmbeddingsApiDouble, failure: Failure, expected: str
) -> None:
    embeddings_api.fail_next(failure)
    with pytest.raises(EmbeddingFailed, match=expected) as raised:
        await openai.embed(["hello"])
    assert SECRET not in str(raised.value)


async def test_openai_refuses_vectors_of_another_dimension(
    openai: OpenAiCompatibleEmbedder, embeddings_api: EmbeddingsApiDouble
) -> None:
    embeddings_api.wrong_dimension = True
    try:
        with pytest.raises(EmbeddingFailed, match="63 dimensions, 64 were configured"):
            await openai.embed(["hello"])
    finally:
        embeddings_api.wrong_dimension = False


async def test_openai_unreachable_server() -> None:
    client = OpenAiCompatibleEmbedder(base_url="http://127.0.0.1:9/v1", model="m", dimension=8, timeout_s=2)
    try:
        with pytest.raises(EmbeddingFailed, match="could not be reached"):
            await client.embed(["hello"])
    finally:
        await client.aclose()
