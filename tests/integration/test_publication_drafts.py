"""A publication drafted by an agent task, on the real stack: `agentry serve` and `agentry worker` on
PostgreSQL and Redis. A document is ingested (the offline extractor finds its people); a member asks for
a draft about one of them; the scripted runner answers Markdown citing [1] and [99]; the relay's
subscriber makes the draft, which the publication API shows with one citation (the source [1] named:
its quote is the chunk's text at its span) and a note that [99] was dropped.

The vectors go to pgserver's PostgreSQL with pgvector (tests/pgvector_server.py), as in test_documents."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import serving_with_worker
from tests.integration.helpers import sign_in
from tests.pgvector_server import pgvector_url_for_tests

pytestmark = pytest.mark.slow
TEXT = "Dr. Ada Lovelace wrote the first program. Prof. Charles Babbage designed the Analytical Engine."
ANSWER = "Ada Lovelace wrote the first program [1]. She also flew to the Moon [99]."


@pytest.fixture(scope="module")
def pgvector_url() -> Iterator[str]:
    yield from pgvector_url_for_tests()


async def eventually(client: httpx.AsyncClient, url: str, done: Any, within: float = 60, **params: Any) -> Any:
    until = time.monotonic() + within
    while True:
        response = await client.get(url, params=params)
        assert response.status_code == 200, response.text
        if done(body := response.json()):
            return body
        assert time.monotonic() < until, f"{url} is still {body}"
        await asyncio.sleep(0.2)


async def test_a_drafting_tasks_answer_becomes_a_draft_citing_the_sources_it_was_given(
    production_env: dict[str, str], pgvector_url: str, tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RELAY_POLL_INTERVAL_S": "0.2", "AGENTRY_VECTOR_DATABASE_URL": pgvector_url}
    with serving_with_worker(env, tmp_path) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as ada:
            await sign_in(ada, "ada.drafts@example.com")
            made = (await ada.post("/api/v1/documents", json={"title": "Lovelace", "text": TEXT})).json()
            job = f"/api/v1/documents/status/{made['job']['id']}"
            status = await eventually(ada, job, lambda s: s["job"]["status"] in ("succeeded", "failed"), within=90)
            assert status["job"]["status"] == "succeeded", status
            project = made["document"]["project_id"]
            document = (await ada.get(f"/api/v1/documents/{made['document']['id']}")).json()
            chunks = {c["id"]: c["text"] for c in document["chunks"]}
            entities = await eventually(
                ada, f"/api/v1/projects/{project}/entities", lambda page: page["entities"], q="Ada Lovelace"
            )
            ada_id = entities["entities"][0]["id"]

            script = [{"say": ANSWER}]
            asked = await ada.post(
                f"/api/v1/projects/{project}/publications/drafts",
                json={"about": ada_id, "options": {"runner": "scripted", "script": script}},
            )
            assert asked.status_code == 202, asked.text
            drafting = asked.json()
            assert drafting["sources"] and drafting["sources"][0]["number"] == 1
            task_id = drafting["task"]["id"]
            ended = ("succeeded", "failed", "timed_out", "cancelled")
            task = await eventually(ada, f"/api/v1/tasks/{task_id}", lambda t: t["status"] in ended)
            assert task["status"] == "succeeded", task

            listed = await eventually(
                ada,
                f"/api/v1/projects/{project}/publications",
                lambda page: page["publications"],
                task_id=task_id,
            )
            [draft] = listed["publications"]
            read = (await ada.get(f"/api/v1/projects/{project}/publications/{draft['id']}")).json()
            assert read["status"] == "draft" and read["task_id"] == task_id
            assert read["title"] == "What we know about Ada Lovelace" and read["entity_ids"][0] == ada_id
            [citation] = read["citations"]
            assert citation["number"] == 1 and citation["document_id"] == made["document"]["id"]
            assert citation["quote"] == chunks[citation["chunk_id"]][citation["start"] : citation["end"]]
            assert "Lovelace" in citation["quote"]
            assert read["body"].startswith("Ada Lovelace wrote the first program [1]. She also flew to the Moon .")
            assert "[99] cited no source given to the agent and was dropped" in read["body"]
