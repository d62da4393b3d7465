"""Each API process keeps the callers' principals between requests (production); a logout still takes
effect at once in every process: the process that commits it publishes the change on Redis before it
answers, and the others forget what they kept."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import redis

from tests.integration.conftest import free_port, migrated, running
from tests.integration.helpers import sign_in


def channel(env: dict[str, str]) -> str:
    return f"{env['AGENTRY_REDIS_NAMESPACE']}:caches-changed"


def listeners(env: dict[str, str]) -> int:
    client = redis.Redis.from_url(env["AGENTRY_REDIS_URL"])
    return int(dict(client.pubsub_numsub(channel(env))).get(channel(env).encode(), 0))


async def test_a_logout_on_one_process_refuses_the_token_on_another_at_once(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RATE_LIMITING": "false"}
    migrated(env, tmp_path)
    ports = free_port(), free_port()
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    services = [(["serve", "--port", str(port)], env) for port in ports]
    with running(*services, cwd=tmp_path, wait_for=bases[0]):
        async with (
            httpx.AsyncClient(base_url=bases[0], timeout=30) as a,
            httpx.AsyncClient(base_url=bases[1], timeout=30) as b,
        ):
            for _ in range(300):  # the second process is up, and both listen for changes
                try:
                    if (await b.get("/health/live")).status_code == 200 and listeners(env) == 2:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
            assert listeners(env) == 2
            await sign_in(a)
            b.headers["Authorization"] = a.headers["Authorization"]
            task = (await a.post("/api/v1/tasks", json={"title": "t", "prompt": "p"})).json()
            for _ in range(3):  # B reads the principal once, then keeps it
                assert (await b.get(f"/api/v1/tasks/{task['id']}")).status_code == 200

            assert (await a.post("/api/v1/auth/logout")).status_code == 204
            refused = await b.get(f"/api/v1/tasks/{task['id']}")
            assert refused.status_code == 401, refused.text

            # A new login is served by B at once: nothing about the ended session is kept.
            await sign_in(a)
            b.headers["Authorization"] = a.headers["Authorization"]
            assert (await b.get(f"/api/v1/tasks/{task['id']}")).status_code == 200
