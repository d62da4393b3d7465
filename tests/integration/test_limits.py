"""A project's concurrency limit and monthly budget on the real stack: PostgreSQL, Redis, one API process
and two `agentry worker` processes of four threads each (eight runs could go on at once)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest
import redis

from tests.conftest import drop_database
from tests.integration.conftest import SECRET_KEY, clean_env, free_port, migrated, migrated_database, running
from tests.integration.helpers import sign_in, submit, wait_for_task

pytestmark = pytest.mark.slow
TASKS = 10
LIMIT = 2
RUNNING_NOW = """
    SELECT count(*) FROM task_executions e JOIN tasks t ON t.id = e.task_id
    WHERE e.status = 'running' AND t.project_id = %s
"""
SUCCEEDED = "SELECT count(*) FROM tasks WHERE project_id = %s AND status = 'succeeded'"
WHERE_THE_OTHERS_ARE = """
    SELECT t.status, t.error_code, t.execution_count, t.attempts, j.execution_number, j.dispatched_at, j.leased_until,
           j.attempts, j.last_error, (SELECT string_agg(e.status::text || ':' || coalesce(e.error_code, ''), ', ')
                                      FROM task_executions e WHERE e.task_id = t.id)
    FROM tasks t LEFT JOIN queue_jobs j ON j.task_id = t.id
    WHERE t.project_id = %s AND t.status <> 'succeeded'
"""
EXECUTIONS = """
    SELECT e.task_id, e.started_at, e.finished_at FROM task_executions e JOIN tasks t ON t.id = e.task_id
    WHERE t.project_id = %s
"""


@dataclass
class Stack:
    base_url: str
    database_url: str


@pytest.fixture(scope="module")
def stack(postgres_server: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    database = migrated_database(postgres_server)
    namespace = f"agentry-test-{uuid.uuid4().hex[:10]}"
    env = clean_env(
        AGENTRY_PROFILE="production",
        AGENTRY_DATABASE_URL=database,
        AGENTRY_REDIS_URL=redis_url,
        AGENTRY_REDIS_NAMESPACE=namespace,
        AGENTRY_SECRET_KEY=SECRET_KEY,
        AGENTRY_LOG_LEVEL="WARNING",
        AGENTRY_RUNNER="scripted",
        AGENTRY_SCRIPTED_RUNNER="true",
        AGENTRY_LIMIT_WAIT_S="0.2",
        AGENTRY_RELAY_POLL_INTERVAL_S="0.1",
    )
    cwd = tmp_path_factory.mktemp("limits")
    migrated(env, cwd)
    port = free_port()
    worker = ["worker", "--processes", "1", "--threads", "4"]
    try:
        with running(
            (["serve", "--port", str(port)], env),
            (worker, env),
            (worker, env),
            cwd=cwd,
            wait_for=f"http://127.0.0.1:{port}",
        ):
            yield Stack(f"http://127.0.0.1:{port}", database)
    finally:
        drop_database(database)
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{namespace}*"))
        if keys:
            client.delete(*keys)


async def project_with(client: httpx.AsyncClient, slug: str, **settings: Any) -> str:
    created = await client.post("/api/v1/projects", json={"name": slug, "slug": slug, "settings": settings})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def most_at_once(intervals: list[tuple[Any, Any]]) -> int:
    """The most intervals that overlap at any moment (at the same instant, an end comes before a start)."""
    edges = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


async def test_a_limit_of_two_keeps_ten_tasks_to_two_running_at_any_moment_and_all_finish(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
        await sign_in(client, "limits@example.com")
        project = await project_with(client, "two-at-a-time", max_running=LIMIT)
        script = [{"say": "working"}, {"sleep": 0.6}, {"say": "done"}]
        body = {"prompt": "Take your time", "project_id": project, "options": {"script": script}}
        ids = await asyncio.gather(
            *(submit(client, {**body, "title": f"task {i}"}, key=f"limit-{i}") for i in range(TASKS))
        )

        samples: list[int] = []
        deadline = time.monotonic() + 40
        async with await psycopg.AsyncConnection.connect(stack.database_url, autocommit=True) as db:

            async def scalar(query: str) -> int:
                row = await (await db.execute(query, (project,))).fetchone()
                assert row is not None
                return int(row[0])

            while await scalar(SUCCEEDED) < TASKS:
                if time.monotonic() > deadline:
                    rows = await (await db.execute(WHERE_THE_OTHERS_ARE, (project,))).fetchall()
                    raise AssertionError(f"only {await scalar(SUCCEEDED)} of {TASKS} finished; the others: {rows}")
                samples.append(await scalar(RUNNING_NOW))
                await asyncio.sleep(0.01)
            rows = await (await db.execute(EXECUTIONS, (project,))).fetchall()
        for task in ids:
            assert (await wait_for_task(client, task["id"], {"succeeded"}, within=5))["attempts"] == 1

    assert max(samples) <= LIMIT, f"sampled {max(samples)} running at once"
    assert LIMIT in samples, "the two slots were used side by side"
    assert len(samples) > 100, "sampled often"
    assert sorted(str(r[0]) for r in rows) == sorted(task["id"] for task in ids), "one execution per task"
    assert most_at_once([(r[1], r[2]) for r in rows]) <= LIMIT


async def test_once_the_monthly_budget_is_spent_new_tasks_are_refused_with_the_budget_and_the_spend(
    stack: Stack,
) -> None:
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
        await sign_in(client, "budget@example.com")
        project = await project_with(client, "on-a-budget", monthly_budget_usd=1.0)
        body = {
            "title": "Costs 40 cents",
            "prompt": "Spend",
            "project_id": project,
            "options": {"script": [{"spend": 0.4}]},
        }
        for i in range(3):  # 0.40, 0.80, 1.20: the third still got in (0.80 < 1.00) and went over
            task = await submit(client, body, key=f"budget-{i}")
            assert (await wait_for_task(client, task["id"], {"succeeded", "failed"}))["status"] == "succeeded"

        refused = await client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": "budget-3"})
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert problem["type"] == "/problems/budget-exhausted"
        assert (problem["project_id"], problem["cap_usd"]) == (project, 1.0)
        assert problem["spent_usd"] == pytest.approx(1.2)
        assert "spent $1.2 this month, at or over its monthly budget of $1;" in problem["detail"]

        replayed = await client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": "budget-0"})
        assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
        raised = await client.patch(f"/api/v1/projects/{project}", json={"settings": {"monthly_budget_usd": 5}})
        assert raised.status_code == 200, raised.text
        assert (await client.post("/api/v1/tasks", json=body)).status_code == 201
