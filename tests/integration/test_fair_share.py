"""Fair share on the real stack: one user's 20 hanging tasks do not keep another user's task waiting beyond
one slot's turn. In the embedded profile (`agentry serve` alone: SQLite, four in-process worker threads) and
in production (PostgreSQL, Redis, `agentry serve` and one `agentry worker` process of four threads), with
the per-user quotas at their defaults (two running per user)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import LIFTED_QUOTAS, clean_env, free_port, migrated, running
from tests.integration.helpers import sign_in, submit, wait_for_task

pytestmark = pytest.mark.slow
HANGING = 20
USER_MAX_RUNNING = 2  # AGENTRY_USER_MAX_RUNNING's default
HANG = {"script": [{"hang": True}], "inactivity_timeout_s": 3600, "time_limit_s": 3600}
# One slot's turn: B's task, once submitted, starts as soon as a free worker takes it. It never waits for
# A's queue; the bound leaves room for a slow machine (its run takes a few milliseconds).
PROMPT_S = 5.0


@pytest.fixture(params=["embedded", "production"])
def base_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    settings = {"AGENTRY_RUNNER": "scripted", "AGENTRY_LOG_LEVEL": "WARNING", "AGENTRY_SHUTDOWN_GRACE_S": "1"}
    if request.param == "embedded":
        env = at_defaults(clean_env(**settings))
        services = [(["serve", "--port", str(port)], env)]
    else:
        env = at_defaults(request.getfixturevalue("production_env") | settings)
        migrated(env, tmp_path)
        worker = ["worker", "--processes", "1", "--threads", "4"]
        services = [(["serve", "--port", str(port)], env), (worker, env)]
    with running(*services, cwd=tmp_path, wait_for=f"http://127.0.0.1:{port}"):
        yield f"http://127.0.0.1:{port}"


def at_defaults(env: dict[str, str]) -> dict[str, str]:
    """The environment with the per-user quotas the other integration tests lift taken out again."""
    return {name: value for name, value in env.items() if name not in LIFTED_QUOTAS}


async def running_of(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    page = (await client.get("/api/v1/tasks", params={"status": ["running"], "limit": 100})).json()
    return list(page["items"])


async def test_one_user_s_20_hanging_tasks_do_not_keep_another_user_s_task_waiting(base_url: str) -> None:
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=30) as ada,
        httpx.AsyncClient(base_url=base_url, timeout=30) as bob,
    ):
        await sign_in(ada, "ada@example.com")
        await sign_in(bob, "bob@example.com")
        hanging = [
            await submit(ada, {"title": f"hang {i}", "prompt": "Wait.", "options": HANG}, key=f"hang-{i}")
            for i in range(HANGING)
        ]
        deadline = time.monotonic() + 30
        while len(await running_of(ada)) < USER_MAX_RUNNING:
            assert time.monotonic() < deadline, "ada's first tasks did not start"
            await asyncio.sleep(0.05)

        submitted = time.monotonic()
        quick = await submit(bob, {"title": "quick", "prompt": "Say hi.", "options": {"script": [{"say": "hi"}]}}, "q")
        done = await wait_for_task(bob, quick["id"], {"succeeded", "failed"}, within=60)
        waited = time.monotonic() - submitted
        assert done["status"] == "succeeded"
        assert waited < PROMPT_S, f"bob's task waited {waited:.1f}s behind ada's queue"

        assert len(await running_of(ada)) == USER_MAX_RUNNING, "ada runs two at a time, the rest wait"
        statuses = [(await ada.get(f"/api/v1/tasks/{task['id']}")).json()["status"] for task in hanging]
        assert statuses.count("queued") == HANGING - USER_MAX_RUNNING, statuses
        for task in hanging:  # nothing is left hanging for the shutdown
            cancelled = await ada.post(f"/api/v1/tasks/{task['id']}/cancel")
            assert cancelled.status_code == 200, cancelled.text
        for task in hanging:
            await wait_for_task(ada, task["id"], {"cancelled"}, within=30)
