"""Two `agentry serve` processes on one production database and Redis, each listening for the changes
that clear what the API processes cache (`<namespace>:caches-changed`): a client for each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import redis

from tests.integration.conftest import free_port, migrated, running


def listeners(env: dict[str, str]) -> int:
    channel = f"{env['AGENTRY_REDIS_NAMESPACE']}:caches-changed"
    client = redis.Redis.from_url(env["AGENTRY_REDIS_URL"])
    return int(dict(client.pubsub_numsub(channel)).get(channel.encode(), 0))


@asynccontextmanager
async def two_api_processes(
    env: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
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
            yield a, b
