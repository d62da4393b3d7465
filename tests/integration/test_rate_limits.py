"""Rate limits hold across API processes: two `agentry serve` on one PostgreSQL and one Redis, the
requests of one client spread over both, on the default quotas (reads lowered to be reached quickly)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import free_port, migrated, running, wait_until_live

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
LOGIN = "/api/v1/auth/login"


async def test_limits_hold_across_two_api_processes_sharing_redis(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RATE_LIMITS": json.dumps({"reads": {"limit": 4, "window_s": 10}})}
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
            ada = {"email": "ada@example.com", "password": PASSWORD}
            assert (await a.post("/api/v1/auth/register", json=ada | {"display_name": "Ada"})).status_code == 201

            # Failed logins: five free ones, made on either process, then a wait that both enforce.
            wrong = ada | {"password": "not the password at all"}
            for client in (a, b, a, b, a):
                assert (await client.post(LOGIN, json=wrong)).status_code == 401
            refused = await b.post(LOGIN, json=ada)
            assert refused.status_code == 429, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.headers["Retry-After"] == "1"
            assert '"login-failures";q=5;w=86400' in refused.headers["RateLimit-Policy"]
            assert '"login-failures";r=0;t=1' in refused.headers["RateLimit"]
            assert (await a.post(LOGIN, json=ada)).status_code == 429
            await asyncio.sleep(1.1)
            logged_in = await a.post(LOGIN, json=ada)
            assert logged_in.status_code == 200, "the right password works once the wait is over"
            token = {"Authorization": f"Bearer {logged_in.json()['access_token']}"}

            # Registrations from one address: ten per hour, however they are spread.
            answers = []
            for i in range(10):
                body = {"email": f"u{i}@example.com", "password": PASSWORD, "display_name": f"U{i}"}
                answers.append((await (a if i % 2 else b).post("/api/v1/auth/register", json=body)).status_code)
            assert answers == [201] * 9 + [429], "ada's registration was the first of the ten"

            # Reads per token: four in ten seconds, on either process.
            statuses = [(await c.get("/api/v1/auth/me", headers=token)).status_code for c in (a, b, a, b, a)]
            assert statuses == [200, 200, 200, 200, 429]
            last = await b.get("/api/v1/auth/me", headers=token)
            assert last.status_code == 429 and last.headers["RateLimit"].startswith('"reads";r=0;t=')
