"""Never lose a task, whatever dies: real `agentry` processes on PostgreSQL and Redis.

- a worker process SIGKILLed mid-run, again and again, while another keeps running;
- the same message delivered more than once;
- the Redis server restarted mid-run (a private one, keeping nothing on disk: its queue vanishes).

Recovery runs on short settings here (heartbeat 0.5 s, lost after 2 s, messages sent again after
4 s), so each test takes seconds, not minutes.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import statistics
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis

from agentry.adapters.dramatiq.brokers import EXECUTIONS_QUEUE, make_broker
from agentry.adapters.dramatiq.publisher import order_message
from agentry.domain.tasks.orders import ExecutionOrder
from tests.conftest import drop_database
from tests.integration.conftest import SECRET_KEY, Service, clean_env, free_port, migrated, migrated_database, running
from tests.integration.helpers import TERMINAL, sign_in, submit_many, wait_for_stats, wait_for_task
from tests.integration.private_redis import PrivateRedis

pytestmark = pytest.mark.slow

LOST_AFTER_S = 2.0
FAST_RECOVERY = {
    "AGENTRY_RUNNER": "scripted",
    "AGENTRY_HEARTBEAT_INTERVAL_S": "0.5",
    "AGENTRY_WORKER_LOST_AFTER_S": str(LOST_AFTER_S),
    "AGENTRY_REDISPATCH_AFTER_S": "4",
    "AGENTRY_RELAY_POLL_INTERVAL_S": "0.2",
    "AGENTRY_RETRY_BACKOFF_MIN_S": "0.2",
    "AGENTRY_RETRY_BACKOFF_MAX_S": "1",
}
WORKER = ["worker", "--processes", "1", "--threads", "4"]
SURVIVOR = ["worker", "--processes", "1", "--threads", "2"]
HOST = socket.gethostname()


def sleeper(seconds: float) -> dict[str, Any]:
    return {"script": [{"say": "working"}, {"sleep": seconds}, {"say": "done"}]}


def worker_ids(service: Service) -> set[str]:
    """The worker ids (host:pid) of the processes in a service's process group."""
    pgid, found = service.process.pid, set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                found.add(f"{HOST}:{entry.name}")
    return found


def kill(service: Service) -> None:
    """SIGKILL the whole process group: the worker and its Dramatiq children die at once, unwarned."""
    os.killpg(service.process.pid, signal.SIGKILL)
    service.process.wait()


def query(database_url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url) as db:
        return db.execute(sql, params).fetchall()  # type: ignore[arg-type]


async def running_on(database_url: str, service: Service | None = None, within: float = 20) -> set[str]:
    """Wait until an execution runs on the service's processes (any worker, without one); their ids."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        ids = worker_ids(service) if service is not None else set()
        [(count,)] = query(
            database_url,
            "SELECT count(*) FROM task_executions WHERE status = 'running' AND (%s OR worker_id = ANY(%s))",
            service is None,
            list(ids),
        )
        if count:
            return ids
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no execution started on {service.process.args if service else 'any worker'}")


def assert_each_task_succeeded_exactly_once(database_url: str, tasks: int) -> None:
    assert query(database_url, "SELECT status, count(*) FROM tasks GROUP BY status") == [("succeeded", tasks)]
    twice = query(
        database_url,
        "SELECT task_id FROM task_executions WHERE status = 'succeeded' GROUP BY task_id HAVING count(*) > 1",
    )
    assert twice == [], "a task succeeded twice"
    assert query(database_url, "SELECT count(*) FROM task_executions WHERE status = 'running'") == [(0,)]
    assert query(database_url, "SELECT count(*) FROM task_results") == [(tasks,)]


async def test_workers_killed_mid_run_lose_no_task_and_run_none_twice(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    tasks, kills = 100, 4
    env = production_env | FAST_RECOVERY
    database = env["AGENTRY_DATABASE_URL"]
    migrated(env, tmp_path)
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    victims: list[Service] = []
    killed_at: list[datetime] = []
    killed_ids: set[str] = set()
    started = time.monotonic()
    with running((["serve", "--port", str(port)], env), (SURVIVOR, env), cwd=tmp_path, wait_for=base_url) as services:
        survivor = services[1]
        try:
            victims.append(Service(WORKER, env, tmp_path, tmp_path / "victim-0.log"))
            async with httpx.AsyncClient(
                base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=32)
            ) as client:
                await sign_in(client)
                await submit_many(client, tasks, options=sleeper(2.0), max_attempts=10)
                for round_ in range(kills):
                    ids = await running_on(database, victims[-1])
                    await asyncio.sleep(rng.uniform(0.2, 1.5))
                    kill(victims[-1])
                    killed_at.append(datetime.now(UTC))
                    killed_ids |= ids
                    victims.append(Service(WORKER, env, tmp_path, tmp_path / f"victim-{round_ + 1}.log"))
                stats = await wait_for_stats(client, tasks, within=90)
        except BaseException:
            for victim in victims:
                print(f"--- {victim.log.name} ---\n{victim.output()}")
            raise
        finally:
            for victim in victims:
                victim.stop()
        survivor_ids = worker_ids(survivor)
    elapsed = time.monotonic() - started

    assert stats["counts"]["succeeded"] == tasks, stats
    assert_each_task_succeeded_exactly_once(database, tasks)
    lost = query(
        database,
        "SELECT lost.worker_id, lost.finished_at, next.started_at FROM task_executions lost "
        "LEFT JOIN task_executions next ON next.task_id = lost.task_id AND next.number = lost.number + 1 "
        "WHERE lost.error_code = 'worker_lost' ORDER BY lost.finished_at",
    )
    assert lost, "the kills hit running executions"
    assert {worker for worker, _, _ in lost} <= killed_ids, "only the killed workers' executions were taken for lost"
    assert not {worker for worker, _, _ in lost} & survivor_ids

    def since_kill(moment: datetime) -> float:
        kill_time = max(k for k in killed_at if k <= moment)
        return (moment - kill_time).total_seconds()

    requeued = [since_kill(finished) for _, finished, _ in lost]
    rerun = [since_kill(next_start) for _, _, next_start in lost if next_start is not None]
    print(
        f"\ncrash test (seed {seed}): {tasks} tasks, {kills} kills, {len(lost)} executions lost and recovered, "
        f"0 tasks lost, 0 duplicated, in {elapsed:.1f}s\n"
        f"recovery after a kill: re-queued in {statistics.median(requeued):.2f}s median, {max(requeued):.2f}s max; "
        f"running again in {statistics.median(rerun):.2f}s median, {max(rerun):.2f}s max (behind the queue); "
        f"goal < {2 * LOST_AFTER_S:g}s (2 x the {LOST_AFTER_S:g}s time-out)"
    )
    assert max(requeued) < 2 * LOST_AFTER_S


async def test_the_same_message_delivered_three_times_runs_once(
    production_env: dict[str, str], redis_url: str, redis_namespace: str, tmp_path: Path
) -> None:
    env = production_env | FAST_RECOVERY
    database = env["AGENTRY_DATABASE_URL"]
    migrated(env, tmp_path)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    broker = make_broker(redis_url, namespace=redis_namespace)
    with running((["serve", "--port", str(port)], env), (WORKER, env), (WORKER, env), cwd=tmp_path, wait_for=base_url):
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            [task_id] = await submit_many(client, 1, options=sleeper(1.0))
            message = order_message(ExecutionOrder(uuid.UUID(task_id), 1))
            broker.enqueue(message)  # besides the relay's own: a redelivery, while the first copy runs
            broker.enqueue(message.copy(message_id=str(uuid.uuid4())))
            task = await wait_for_task(client, task_id, TERMINAL, within=30)
            broker.enqueue(message.copy(message_id=str(uuid.uuid4())))  # and one after it ended
            await drained(redis_url, redis_namespace)
            executions = (await client.get(f"/api/v1/tasks/{task_id}/executions")).json()["items"]
    broker.close()
    assert (task["status"], task["attempts"], task["execution_count"]) == ("succeeded", 1, 1)
    assert [e["status"] for e in executions] == ["succeeded"]
    assert query(database, "SELECT count(*) FROM task_results") == [(1,)]


async def drained(redis_url: str, namespace: str, within: float = 15) -> None:
    """Every message on the queue taken and acknowledged."""
    client = redis.Redis.from_url(redis_url)
    queue = f"{namespace}:{EXECUTIONS_QUEUE}"
    deadline = time.monotonic() + within
    try:
        while client.llen(queue) or client.hlen(f"{queue}.msgs"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{queue} still holds messages")
            await asyncio.sleep(0.1)
    finally:
        client.close()


async def test_a_redis_restart_mid_run_loses_no_task(
    postgres_server: str, private_redis: PrivateRedis, tmp_path: Path
) -> None:
    tasks = 40
    database = migrated_database(postgres_server)
    env = clean_env(
        AGENTRY_PROFILE="production",
        AGENTRY_DATABASE_URL=database,
        AGENTRY_REDIS_URL=private_redis.url,
        AGENTRY_SECRET_KEY=SECRET_KEY,
        AGENTRY_LOG_LEVEL="WARNING",
        AGENTRY_SCRIPTED_RUNNER="true",
        **FAST_RECOVERY,
    )
    try:
        migrated(env, tmp_path)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        with running(
            (["serve", "--port", str(port)], env), (WORKER, env), (WORKER, env), cwd=tmp_path, wait_for=base_url
        ):
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                await sign_in(client)
                await submit_many(client, tasks - 10, options=sleeper(0.5))
                await running_on(database)
                private_redis.stop()  # its queue, and the messages in it, are gone
                await asyncio.sleep(1.5)
                more = [
                    (
                        await client.post(
                            "/api/v1/tasks", json={"title": f"late {i}", "prompt": "p", "options": sleeper(0.5)}
                        )
                    )
                    for i in range(10)
                ]
                assert [r.status_code for r in more] == [201] * 10, (
                    "tasks created while Redis is down wait in the outbox"
                )
                private_redis.start()
                started = time.monotonic()
                stats = await wait_for_stats(client, tasks, within=60)
                ended_after = time.monotonic() - started
        assert stats["counts"]["succeeded"] == tasks, stats
        assert_each_task_succeeded_exactly_once(database, tasks)
        [(resent,)] = query(database, "SELECT count(*) FROM queue_jobs WHERE last_error LIKE 'sent again%%'")
        print(
            f"\nRedis restart: {tasks} tasks, {resent} messages vanished with the queue and were sent again; "
            f"all ended {ended_after:.1f}s after Redis came back"
        )
        assert resent, "the restart emptied the queue: the tasks that waited in it were sent again"
    finally:
        drop_database(database)
