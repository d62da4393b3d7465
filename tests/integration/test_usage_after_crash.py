"""The usage roll-ups after a crash: the only worker process SIGKILLed mid-run, its executions recovered as
lost and run again by a worker started after; then the roll-ups equal a full recount of the executions,
and the usage report over HTTP says the same. Real `agentry` processes on PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import Service, free_port, migrated, running
from tests.integration.helpers import sign_in, submit_many, wait_for_stats
from tests.integration.test_lost_work import FAST_RECOVERY, SURVIVOR, WORKER, kill, query, running_on
from tests.integration.usage_recount import assert_roll_ups_equal_a_recount

pytestmark = pytest.mark.slow

SPENDER = {"script": [{"say": "working"}, {"spend": 0.125}, {"sleep": 2.0}, {"say": "done"}], "model": "model-x"}


async def test_after_workers_are_killed_mid_run_the_roll_ups_equal_a_recount(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    tasks = 12
    env = production_env | FAST_RECOVERY
    database = env["AGENTRY_DATABASE_URL"]
    migrated(env, tmp_path)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    workers: list[Service] = []
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url):
        try:
            workers.append(Service(WORKER, env, tmp_path, tmp_path / "victim.log"))  # the only worker, at first
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                await sign_in(client)
                await submit_many(client, tasks, options=SPENDER, max_attempts=10)
                await running_on(database, workers[0], within=60)
                await asyncio.sleep(random.uniform(0.2, 1.0))
                kill(workers[0])
                workers.append(Service(SURVIVOR, env, tmp_path, tmp_path / "survivor.log"))
                stats = await wait_for_stats(client, tasks, within=120)
                report = (await client.get("/api/v1/reports/usage", params={"group_by": "model"})).json()
        except BaseException:
            for worker in workers:
                print(f"--- {worker.log.name} ---\n{worker.output()}")
            raise
        finally:
            for worker in workers:
                worker.stop()

    assert stats["counts"]["succeeded"] == tasks, stats
    [(lost,)] = query(database, "SELECT count(*) FROM task_executions WHERE error_code = 'worker_lost'")
    assert lost > 0, "the kills hit running executions"
    assert_roll_ups_equal_a_recount(database)
    [(executions, succeeded, spent)] = query(
        database, "SELECT count(*), count(*) FILTER (WHERE status = 'succeeded'), sum(cost_usd) FROM task_executions"
    )
    (model,) = report["groups"]
    assert (model["key"], model["executions"], model["succeeded"]) == ("model-x", executions, succeeded)
    assert model["failed"] == executions - succeeded == lost
    assert model["cost_usd"] == pytest.approx(spent)
