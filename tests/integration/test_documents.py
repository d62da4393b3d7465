"""Documents on the real stack: `agentry serve` and `agentry worker` on PostgreSQL and Redis; a document
posted to the API is ingested by the worker process (the relay leases its job and sends it on the
documents queue) into chunks and their vectors (the local model, pgvector), and a corrupt PDF ends in a
failed job with its reason; hybrid search finds a paraphrased question's document first and never shows
another project's chunk.

The machine's PostgreSQL has no pgvector: the vectors go to the PostgreSQL 16 with pgvector that the PyPI
package pgserver ships (tests/pgvector_server.py, started once for the module), named by
AGENTRY_VECTOR_DATABASE_URL; everything else stays on the machine's PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.conftest import serving_with_worker
from tests.integration.helpers import sign_in
from tests.pgvector_server import pgvector_url_for_tests

pytestmark = pytest.mark.slow
TEXT = "The Analytical Engine weaves algebraic patterns.\n\nJust as the Jacquard loom weaves flowers and leaves."


async def finished(client: httpx.AsyncClient, job_id: str, within: float = 30) -> dict[str, Any]:
    until = time.monotonic() + within
    while True:
        response = await client.get(f"/api/v1/documents/status/{job_id}")
        assert response.status_code == 200, response.text
        status: dict[str, Any] = response.json()
        if status["job"]["status"] in ("succeeded", "failed"):
            return status
        assert time.monotonic() < until, f"job {job_id} is still {status['job']['status']}"
        await asyncio.sleep(0.1)


@pytest.fixture(scope="module")
def pgvector_url() -> Iterator[str]:
    yield from pgvector_url_for_tests()


async def test_the_worker_ingests_a_posted_document_and_fails_a_corrupt_pdf(
    production_env: dict[str, str], pgvector_url: str, tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RELAY_POLL_INTERVAL_S": "0.2", "AGENTRY_VECTOR_DATABASE_URL": pgvector_url}
    with serving_with_worker(env, tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as client:
            await sign_in(client)
            made = await client.post("/api/v1/documents", json={"title": "Lovelace", "text": TEXT})
            assert made.status_code == 202, made.text
            status = await finished(client, made.json()["job"]["id"])
            assert status["job"]["status"] == "succeeded", status
            document = (await client.get(f"/api/v1/documents/{made.json()['document']['id']}")).json()
            assert document["status"] == "ready" and document["chunks"]
            assert all(TEXT[c["start"] : c["end"]] == c["text"] for c in document["chunks"])
            files = {"file": ("broken.pdf", b"%PDF-1.4\nnot a pdf at all", "application/pdf")}
            broken = await client.post("/api/v1/documents", files=files)
            assert broken.status_code == 202, broken.text
            failed = await finished(client, broken.json()["job"]["id"])
            assert failed["job"]["status"] == "failed" and "PDF" in failed["job"]["error"]


PLANTED = {
    "Backup": "The nightly database backup failed because the disk on the storage server ran out of free space.",
    "Cat": "Our office cat, Miso, sleeps on the warm printer every afternoon and ignores everyone.",
    "Lunch": "The team lunch on Friday will be at the Italian restaurant near the train station, at noon.",
    "Flight": "The flight to Lisbon was cancelled because of a strike by air traffic controllers.",
    "Toner": "The printer on the second floor needs a new toner cartridge.",
    "Schema": "The database schema migration added an index on the orders table.",
}


async def test_ingested_documents_are_searched_by_meaning_and_words_within_their_project_only(
    production_env: dict[str, str], pgvector_url: str, tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RELAY_POLL_INTERVAL_S": "0.2", "AGENTRY_VECTOR_DATABASE_URL": pgvector_url}
    with serving_with_worker(env, tmp_path) as stack:
        async with (
            httpx.AsyncClient(base_url=stack.base_url, timeout=30) as ada,
            httpx.AsyncClient(base_url=stack.base_url, timeout=30) as eve,
        ):
            await sign_in(ada, "ada.search@example.com")
            await sign_in(eve, "eve.search@example.com")
            made = {}
            for title, text in PLANTED.items():
                response = await ada.post("/api/v1/documents", json={"title": title, "text": text})
                assert response.status_code == 202, response.text
                made[title] = response.json()
            theirs = await eve.post(
                "/api/v1/documents", json={"title": "Eve's backup", "text": "Why the backup did not complete."}
            )
            for job_id in [m["job"]["id"] for m in made.values()]:
                assert (await finished(ada, job_id, within=90))["job"]["status"] == "succeeded"
            assert (await finished(eve, theirs.json()["job"]["id"], within=90))["job"]["status"] == "succeeded"
            project = made["Backup"]["document"]["project_id"]
            search = f"/api/v1/projects/{project}/search"

            # by meaning: the question shares almost no words with its document
            for question, title in [
                ("Why did last night's backup job not complete?", "Backup"),
                ("Which pet naps on top of office equipment?", "Cat"),
                ("Why couldn't the plane to Portugal take off?", "Flight"),
            ]:
                found = (await ada.get(search, params={"q": question, "limit": 3})).json()
                assert found["hits"][0]["title"] == title, (question, found)
                assert all(hit["title"] != "Eve's backup" for hit in found["hits"])
            # by words: both lists agree on the toner document
            [top, *_] = (await ada.get(search, params={"q": "toner cartridge"})).json()["hits"]
            assert top["title"] == "Toner" and top["scores"]["text"] > 0 and top["scores"]["vector"] > 0.3
            assert top["snippet"] == PLANTED["Toner"][top["start"] : top["end"]]

            assert (await eve.get(search, params={"q": "backup"})).status_code == 404
            assert (await ada.get(search, params={"q": " "})).status_code == 422

            gone = made["Backup"]["document"]["id"]
            assert (await ada.delete(f"/api/v1/documents/{gone}")).status_code == 204
            after = (await ada.get(search, params={"q": "Why did last night's backup job not complete?"})).json()
            assert all(hit["document_id"] != gone for hit in after["hits"])
            with psycopg.connect(pgvector_url.replace("+psycopg", "")) as connection:
                left = connection.execute("SELECT count(*) FROM search_vectors WHERE owner_id = %s", (gone,))
                assert left.fetchone() == (0,)
