"""Documents on the real stack: `agentry serve` and `agentry worker` on PostgreSQL and Redis; a document
posted to the API is ingested by the worker process (the relay leases its job and sends it on the
documents queue) into chunks, and a corrupt PDF ends in a failed job with its reason."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import serving_with_worker
from tests.integration.helpers import sign_in

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


async def test_the_worker_ingests_a_posted_document_and_fails_a_corrupt_pdf(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RELAY_POLL_INTERVAL_S": "0.2"}
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
