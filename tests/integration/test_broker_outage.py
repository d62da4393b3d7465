"""Redis (the broker) stopped in the middle of a run, on a private server this test owns: the API
still accepts tasks (they wait in the outbox), readiness names the broker, and once Redis is back
(empty: it kept nothing) every task runs, exactly once."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from uuid import UUID

import httpx
import psycopg
import pytest
from websockets.asyncio.client import connect

from tests.integration.conftest import serving_with_worker
from tests.integration.helpers import TERMINAL, sign_in, submit, submit_many, wait_for_task
from tests.integration.private_redis import PrivateRedis

pytestmark = pytest.mark.slow
BEFORE, DURING = 16, 10
ANSWER_WITHIN_S = 3.0


async def test_tasks_submitted_while_redis_is_down_wait_in_the_outbox_and_all_run_once_it_is_back(
    private_redis: PrivateRedis, production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {
        "AGENTRY_REDIS_URL": private_redis.url,
        # The restarted Redis is empty: the messages it held are sent again this long after.
        "AGENTRY_REDISPATCH_AFTER_S": "4",
    }
    database = production_env["AGENTRY_DATABASE_URL"]
    with serving_with_worker(env, tmp_path, threads=4) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            with psycopg.connect(database) as db:  # an admin, who is shown the readiness checks
                db.execute("UPDATE users SET role = 'admin' WHERE email = 'ada@example.com'")
            assert (await client.get("/health/ready")).status_code == 200
            token = client.headers["Authorization"].removeprefix("Bearer ")
            watcher = await connect(f"ws://127.0.0.1:{stack.port}/api/v1/ws?access_token={token}")
            # A run in progress: some tasks running, the rest waiting in Redis.
            long = await submit(
                client, {"title": "long", "prompt": "p", "options": {"script": [{"sleep": 60}]}}, "long"
            )
            await wait_for_task(client, long["id"], {"running"})
            before = await submit_many(client, BEFORE, options={"script": [{"sleep": 0.5}]})
            await wait_for_task(client, before[0], {"running"})
            project = (await client.get(f"/api/v1/tasks/{before[0]}")).json()["project_id"]
            await watcher.send(json.dumps({"type": "subscribe", "project_id": project}))

            private_redis.stop()
            during: list[str] = []
            for i in range(DURING):
                started = time.monotonic()
                task = await submit(client, {"title": f"during {i}", "prompt": "p"}, key=f"during-{i}")
                assert time.monotonic() - started < ANSWER_WITHIN_S, "a submission does not wait for Redis"
                during.append(task["id"])
            assert (await client.get(f"/api/v1/tasks/{during[0]}")).status_code == 200
            started = time.monotonic()
            cancel = await client.post(f"/api/v1/tasks/{long['id']}/cancel")
            assert cancel.status_code == 200, cancel.text
            assert time.monotonic() - started < ANSWER_WITHIN_S, "a cancel does not wait for Redis"
            ready = await client.get("/health/ready")
            assert ready.status_code == 503
            checks = ready.json()["checks"]
            assert checks["broker"]["ok"] is False and checks["database"]["ok"] is True
            await asyncio.sleep(1.5)  # the relay tries, and fails, to send them
            with psycopg.connect(database) as db:
                waiting = db.execute(
                    "SELECT count(*) FROM queue_jobs WHERE task_id = ANY(%s) AND dispatched_at IS NULL",
                    ([UUID(t) for t in during],),
                ).fetchone()
            assert waiting == (DURING,), "they wait in the outbox"

            private_redis.start()
            # The worker's heartbeat reads the cancel from the database: the stop request sent over
            # Redis was lost.
            assert (await wait_for_task(client, long["id"], TERMINAL, within=30))["status"] == "cancelled"
            for task_id in before + during:
                ended = await wait_for_task(client, task_id, TERMINAL, within=90)
                assert ended["status"] == "succeeded", ended
            assert (await client.get("/health/ready")).status_code == 200

            # The API process relays live events again, to the subscription made before the outage.
            last = await submit(client, {"title": "watched", "prompt": "p"}, key="watched")
            async with asyncio.timeout(30):
                while True:
                    event = json.loads(await watcher.recv())
                    if event.get("task_id") == last["id"] and event.get("status") == "succeeded":
                        break
            await watcher.close()

    with psycopg.connect(database) as db:
        successes = db.execute(
            "SELECT count(*) FROM task_executions WHERE status = 'succeeded' GROUP BY task_id"
        ).fetchall()
        running_left = db.execute("SELECT count(*) FROM task_executions WHERE status = 'running'").fetchone()
        undispatched = db.execute("SELECT count(*) FROM queue_jobs WHERE dispatched_at IS NULL").fetchone()
    assert successes == [(1,)] * (BEFORE + DURING + 1), "every task succeeded exactly once"
    assert running_left == (0,)
    assert undispatched == (0,)
