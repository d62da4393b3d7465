"""Cancel reaches a run on another process within a second: the API process publishes a stop request on
Redis pub/sub, the worker process that runs the task hears it and stops the runner. The workers here
re-read task statuses only every 10 s, so only the stop request can explain a stop within a second."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
import redis

from tests.doubles.claude_cli import claude_binary, offline_env
from tests.doubles.messages_api import MessagesApiDouble, Reply, Stall, Text
from tests.integration.conftest import serving_with_worker
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task
from tests.integration.private_redis import PrivateRedis
from tests.integration.processes import MARKER_VARIABLE, processes_marked

pytestmark = pytest.mark.slow
SLOW_POLL = {"AGENTRY_HEARTBEAT_INTERVAL_S": "10", "AGENTRY_WORKER_LOST_AFTER_S": "60"}
TASKS = 6
GOAL_S = 1.0


async def running_now(client: httpx.AsyncClient, task_ids: list[str], within: float = 60) -> None:
    for task_id in task_ids:
        await wait_for_task(client, task_id, {"running"}, within=within)


async def cancel_and_time(client: httpx.AsyncClient, task_id: str) -> float:
    """Cancel; then how long after the cancel's answer the worker had stopped the runner and ended
    the execution (its finish time is written once the runner's stream is closed)."""
    response = await client.post(f"/api/v1/tasks/{task_id}/cancel")
    answered = time.time()
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelling"
    task = await wait_for_task(client, task_id, TERMINAL, within=30)
    assert task["status"] == "cancelled", task
    [execution] = (await client.get(f"/api/v1/tasks/{task_id}/executions")).json()["items"]
    assert execution["status"] == "cancelled"
    return datetime.fromisoformat(execution["finished_at"]).timestamp() - answered


async def test_a_cancel_on_the_api_process_stops_a_run_on_a_worker_process_within_a_second(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | SLOW_POLL
    with serving_with_worker(env, tmp_path, threads=TASKS) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            body = {"title": "Long", "prompt": "p", "options": {"script": [{"say": "working"}, {"sleep": 120}]}}
            task_ids = [str((await submit(client, body, key=f"long-{i}"))["id"]) for i in range(TASKS)]
            await running_now(client, task_ids)
            latencies = [await cancel_and_time(client, task_id) for task_id in task_ids]

    print(
        f"\ncancel → runner stopped, {TASKS} runs across processes via Redis: "
        f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    assert max(latencies) < GOAL_S, latencies


async def subscribers(server: PrivateRedis, channel: str, count: int, within: float = 30) -> None:
    client = redis.Redis.from_url(server.url)
    deadline = time.monotonic() + within
    while dict(client.pubsub_numsub(channel)).get(channel.encode(), 0) < count:
        assert time.monotonic() < deadline, f"no worker subscribed to {channel} again"
        await asyncio.sleep(0.1)


async def test_after_redis_restarts_the_worker_subscribes_again_and_cancels_reach_it_at_once(
    production_env: dict[str, str], private_redis: PrivateRedis, tmp_path: Path
) -> None:
    env = production_env | SLOW_POLL | {"AGENTRY_REDIS_URL": private_redis.url}
    channel = f"{env['AGENTRY_REDIS_NAMESPACE']}:stop-requests"
    with serving_with_worker(env, tmp_path, threads=2) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            body = {"title": "Long", "prompt": "p", "options": {"script": [{"say": "working"}, {"sleep": 120}]}}
            task_id = str((await submit(client, body, key="long"))["id"])
            await running_now(client, [task_id])
            await subscribers(private_redis, channel, 1)
            private_redis.stop()
            await asyncio.sleep(1)
            private_redis.start()
            await subscribers(private_redis, channel, 1)
            latency = await cancel_and_time(client, task_id)

    print(f"\ncancel after a Redis restart → runner stopped: {latency * 1000:.0f} ms")
    assert latency < GOAL_S, latency


async def test_a_cancel_stops_a_claude_code_run_on_a_worker_process_and_its_process_group_within_a_second(
    production_env: dict[str, str], messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    marker = uuid4().hex
    claude_env: dict[str, Any] = offline_env(messages_api, tmp_path / "home") | {MARKER_VARIABLE: marker}
    env = production_env | SLOW_POLL
    env |= {
        "AGENTRY_RUNNER": "claude-code",
        "AGENTRY_CLAUDE_PATH": claude_binary(),
        "AGENTRY_CLAUDE_ENV": json.dumps(claude_env),
        "AGENTRY_WORK_DIR": str(tmp_path / "work"),
    }
    messages_api.enqueue(Reply(Text("never", " sent"), interrupted=Stall(after=1)))
    with serving_with_worker(env, tmp_path, threads=1) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            task_id = str((await submit(client, {"title": "Stalls", "prompt": "Why?"}, key="claude"))["id"])
            deadline = time.monotonic() + 90
            while not (messages_api.message_requests and processes_marked(marker)):
                assert time.monotonic() < deadline, "the CLI never asked the Messages API"
                await asyncio.sleep(0.05)
            groups = set(processes_marked(marker).values())
            latency = await cancel_and_time(client, task_id)
            left = processes_marked(marker)

    print(f"\ncancel → Claude Code process group gone and execution ended: {latency * 1000:.0f} ms")
    assert left == {}, f"Claude processes left after the execution ended: {left}"
    assert groups and all(not _group_alive(group) for group in groups)
    assert latency < GOAL_S, latency


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
