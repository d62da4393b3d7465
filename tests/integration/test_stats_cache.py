"""The stats cache on the real stack: two `agentry serve` on one PostgreSQL and one Redis. A reader on
one process is served the cached stats until a change made on the other; then fresh within a
bound (the relay of the process that committed the change is woken by the commit and empties the cache
in Redis for every process): measured here from the change's answer to the first fresh read, under
AGENTRY_RELAY_POLL_INTERVAL_S (0.5 s), the most a lost wake-up adds. Nothing crosses readers' scopes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import free_port, migrated, running, wait_until_live

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
STATS = "/api/v1/tasks/stats"
FRESH_WITHIN_S = 0.5


async def sign_up(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    person = {"email": email, "password": PASSWORD}
    assert (await client.post("/api/v1/auth/register", json=person | {"display_name": email})).status_code == 201
    token = (await client.post("/api/v1/auth/login", json=person)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def test_a_change_on_one_process_makes_the_other_s_cached_stats_fresh_within_the_bound(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_METRICS": "false"}
    migrated(env, tmp_path)
    port_a, port_b = free_port(), free_port()
    api_a, api_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    with running(
        (["serve", "--port", str(port_a)], env), (["serve", "--port", str(port_b)], env), cwd=tmp_path, wait_for=api_a
    ) as services:
        wait_until_live(api_b, services)
        async with (
            httpx.AsyncClient(base_url=api_a, timeout=30) as a,
            httpx.AsyncClient(base_url=api_b, timeout=30) as b,
        ):
            ada, bob = await sign_up(a, "ada@example.com"), await sign_up(a, "bob@example.com")
            task = (await a.post("/api/v1/tasks", json={"title": "t", "prompt": "p"}, headers=ada)).json()
            await asyncio.sleep(FRESH_WITHIN_S)  # the submission's event is delivered
            first = (await b.get(STATS, headers=ada)).json()
            assert first["counts"]["queued"] == 1, first
            assert (await b.get(STATS, headers=bob)).json()["counts"]["queued"] == 0, "Ada's entry is not Bob's"

            cancelled = await a.post(f"/api/v1/tasks/{task['id']}/cancel", headers=ada)
            assert cancelled.status_code == 200, cancelled.text
            answered = time.monotonic()
            while True:
                counts = (await b.get(STATS, headers=ada)).json()["counts"]
                stale_for = time.monotonic() - answered
                if counts["cancelled"] == 1:
                    break
                assert counts["queued"] == 1, counts  # the old figures whole, or the new ones
                assert stale_for < FRESH_WITHIN_S, f"still stale {stale_for * 1000:.0f} ms after the cancel"
                await asyncio.sleep(0.005)
            assert counts["queued"] == 0
            print(f"fresh {stale_for * 1000:.0f} ms after the cancel's answer")
            assert (await b.get(STATS, headers=bob)).json()["counts"]["cancelled"] == 0
