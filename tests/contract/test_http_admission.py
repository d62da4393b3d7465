"""Admission control over HTTP on the embedded service (SQLite): past what one process admits and queues,
requests get a 503 problem document with Retry-After at once, as the OpenAPI document says; health is not
counted; and a refused submission leaves nothing behind (the same Idempotency-Key creates the task later)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.contract.http_app import OpenApiContract, build_embedded_api
from tests.contract.http_client import bearer, sign_up

TASKS = "/api/v1/tasks"
FLOOD = 40


async def test_a_flood_is_refused_quickly_with_retry_after_and_refused_submissions_leave_nothing(
    tmp_path: Path,
) -> None:
    app = build_embedded_api(tmp_path, http_concurrency=1, http_queue=2, http_queue_wait_ms=50)
    # Litestar's test client hands the app one request at a time, on a loop of its own: httpx's ASGI
    # transport sends them all at once, on this loop, where the app's lifespan runs too.
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        contract = OpenApiContract((await client.get("/schema/openapi.json")).json())
        headers = bearer(await sign_up(client, "ada@example.com"))  # type: ignore[arg-type]

        async def submit(i: int) -> httpx.Response:
            body = {"title": f"flood {i}", "prompt": "p"}
            return await client.post(TASKS, json=body, headers=headers | {"Idempotency-Key": f"k{i}"})

        *answers, health = await asyncio.gather(*(submit(i) for i in range(FLOOD)), client.get("/health/live"))
        assert health.status_code == 200
        refused = [i for i, answer in enumerate(answers) if answer.status_code == 503]
        assert {answer.status_code for answer in answers} == {201, 503}
        for i in refused:
            problem = contract.check("post", TASKS, answers[i])
            assert problem["type"] == "/problems/overloaded"
            assert int(answers[i].headers["Retry-After"]) >= 1
        for i in refused:  # the refused ones were never written: their keys make new tasks now
            again = await submit(i)
            assert again.status_code == 201, again.text
        listed = (await client.get(TASKS, params={"limit": 100}, headers=headers)).json()["items"]
        assert sorted(task["title"] for task in listed) == sorted(f"flood {i}" for i in range(FLOOD))


def test_the_document_lists_the_503_on_counted_operations_only() -> None:
    from tests.contract.http_app import openapi_document

    paths = openapi_document()["paths"]
    assert "503" in paths["/api/v1/tasks/{task_id}"]["get"]["responses"]
    assert "503" in paths["/api/v1/tasks"]["post"]["responses"]
    assert "503" not in paths["/health/live"]["get"]["responses"]
    # the stream is not counted: its 503 is the database's (it reads the task first), never overload
    stream = paths["/api/v1/tasks/{task_id}/events"]["get"]["responses"]
    assert "overloaded" not in stream.get("503", {}).get("description", "")
    assert "overloaded" in paths["/api/v1/tasks"]["post"]["responses"]["503"]["description"]
