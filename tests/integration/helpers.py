"""Driving the API like a client would."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

TERMINAL = {"succeeded", "failed", "timed_out", "cancelled"}


async def submit(client: httpx.AsyncClient, body: dict[str, Any], key: str) -> dict[str, Any]:
    """Submit as a careful client does: with an Idempotency-Key, retried once if the connection broke,
    and again after `Retry-After` while the service answers 503 (busy: admission control)."""
    broken = 0
    for _ in range(20):
        try:
            response = await client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": key})
        except httpx.TransportError:
            broken += 1
            if broken == 2:
                raise
            continue
        if response.status_code != 503 or "retry-after" not in response.headers:
            break
        await asyncio.sleep(float(response.headers["retry-after"]))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def submit_many(client: httpx.AsyncClient, count: int, **body: Any) -> list[str]:
    async def one(i: int) -> str:
        task = await submit(client, {"title": f"task {i}", "prompt": f"Say {i}", **body}, key=f"bulk-{i}")
        return str(task["id"])

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def wait_for_stats(client: httpx.AsyncClient, done: int, within: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + within
    stats: dict[str, Any] = {}
    while time.monotonic() < deadline:
        stats = (await client.get("/api/v1/tasks/stats")).json()
        if sum(stats["counts"][s] for s in TERMINAL) >= done:
            return stats
        await asyncio.sleep(0.25)
    raise TimeoutError(f"only {stats.get('counts')} after {within}s")


async def wait_for_task(client: httpx.AsyncClient, task_id: str, statuses: set[str], within: float = 30) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        task = (await client.get(f"/api/v1/tasks/{task_id}")).json()
        if task["status"] in statuses:
            return task
        await asyncio.sleep(0.05)
    raise TimeoutError(f"task {task_id} stayed {task['status']}")


async def sign_in(client: Any, email: str = "ada@example.com", password: str = "correct horse battery") -> None:
    """Register (if need be) and log in; the client sends the access token from then on."""
    await client.post("/api/v1/auth/register", json={"email": email, "password": password, "display_name": "Ada"})
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
