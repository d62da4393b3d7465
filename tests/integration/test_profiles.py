"""Both deployment profiles end to end: 200 tasks submitted at once all succeed, each with exactly
one execution and one result."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.integration.conftest import clean_env, free_port, migrated, running
from tests.integration.helpers import sign_in, submit_many, wait_for_stats

TASKS = 200
pytestmark = pytest.mark.slow


async def check_every_task_ran_once(base_url: str, ids: list[str]) -> None:
    limits = httpx.Limits(max_connections=32)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        await sign_in(client)

        async def check(task_id: str) -> None:
            task = (await client.get(f"/api/v1/tasks/{task_id}")).json()
            assert (task["status"], task["attempts"], task["execution_count"]) == ("succeeded", 1, 1)
            executions = (await client.get(f"/api/v1/tasks/{task_id}/executions")).json()["items"]
            assert [e["status"] for e in executions] == ["succeeded"]
            result = await client.get(f"/api/v1/tasks/{task_id}/result")
            assert result.status_code == 200
            assert result.json()["execution_id"] == executions[0]["id"]
            log = (await client.get(f"/api/v1/tasks/{task_id}/logs")).json()["items"]
            assert log[0]["kind"] == "system" and log[-1]["kind"] == "result"

        await asyncio.gather(*(check(i) for i in ids))


async def test_the_production_profile_runs_200_tasks_on_two_worker_processes(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    migrated(production_env, tmp_path)
    worker = ["worker", "--processes", "1", "--threads", "8"]
    with running(
        (["serve", "--port", str(port)], production_env),
        (worker, production_env),
        (worker, production_env),
        cwd=tmp_path,
        wait_for=base_url,
    ):
        async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64)) as client:
            await sign_in(client)
            ids = await submit_many(client, TASKS)
            stats = await wait_for_stats(client, TASKS)
        assert stats["counts"]["succeeded"] == TASKS, stats
        await check_every_task_ran_once(base_url, ids)

    with psycopg.connect(production_env["AGENTRY_DATABASE_URL"]) as db:
        per_task = db.execute("SELECT count(*) FROM task_executions GROUP BY task_id").fetchall()
        workers = db.execute("SELECT count(DISTINCT worker_id) FROM task_executions").fetchone()
        results = db.execute("SELECT count(*) FROM task_results").fetchone()
        undispatched = db.execute("SELECT count(*) FROM queue_jobs WHERE dispatched_at IS NULL").fetchone()
    assert per_task == [(1,)] * TASKS
    assert results == (TASKS,)
    assert undispatched == (0,)
    assert workers is not None and workers[0] == 2, "both worker processes took work"


async def test_the_embedded_profile_runs_200_tasks_in_one_process(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = clean_env(AGENTRY_LOG_LEVEL="WARNING")
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url):
        assert (tmp_path / "agentry.db").exists(), "the embedded database lives in the working directory"
        async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64)) as client:
            await sign_in(client)
            ids = await submit_many(client, TASKS)
            stats = await wait_for_stats(client, TASKS)
        assert stats["counts"]["succeeded"] == TASKS, stats
        await check_every_task_ran_once(base_url, ids)
