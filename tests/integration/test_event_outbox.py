"""A crash between a commit and the relay loses no event: a process that submits a task and is killed
at once (SIGKILL, before any relay of its own could run) leaves the task's event in the outbox, and the
service started afterwards (an API process, whose relay delivers events, and a worker) delivers it,
then the events of the run, in order, to the live channels."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
import redis

from tests.integration.conftest import migrated, serving_with_worker

pytestmark = pytest.mark.slow

# Submits through the use case, as the API does, in a process that runs no relay, then dies at once.
SUBMIT_AND_DIE = """
import asyncio, os, signal
from agentry.adapters.dramatiq.brokers import make_broker
from agentry.application.tasks.submit_task import SubmitTask, SubmitTaskCommand
from agentry.domain.tasks.spec import TaskSpec
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.di.container import make_container
from agentry.entrypoints.relay.wakeup import RelayWakeup
from agentry.entrypoints.seed import demo_principal, ensure_demo_user

async def main():
    settings = load_settings()
    container = make_container(settings, make_broker("stub://"), RelayWakeup())
    await ensure_demo_user(container)
    actor = await demo_principal(container)
    async with container() as request:
        submit = await request.get(SubmitTask)
        done = await submit(actor, SubmitTaskCommand(TaskSpec("Crash test", "say hello")))
    print(done.task.id, done.task.project_id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def outbox(database: str, task_id: str) -> list[tuple[str, bool]]:
    with psycopg.connect(database) as db:
        rows = db.execute(
            "SELECT type, delivered_at IS NOT NULL FROM domain_events WHERE aggregate_id = %s ORDER BY position",
            (UUID(task_id),),
        ).fetchall()
    return [(kind, delivered) for kind, delivered in rows]


def next_message(pubsub: Any, until: float) -> dict[str, Any] | None:
    while time.monotonic() < until:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is not None:
            return dict(json.loads(message["data"]))
    return None


def test_an_event_committed_by_a_process_killed_before_its_relay_ran_is_delivered_by_the_next_relay(
    production_env: dict[str, str], redis_url: str, redis_namespace: str, tmp_path: Path
) -> None:
    migrated(production_env, tmp_path)
    died = subprocess.run(
        [sys.executable, "-c", SUBMIT_AND_DIE], env=production_env, cwd=tmp_path, capture_output=True, text=True
    )
    assert died.returncode == -9, died.stderr
    task_id, project_id = died.stdout.split()
    database = production_env["AGENTRY_DATABASE_URL"]
    assert outbox(database, task_id) == [("task.queued", False)], "committed with the task, not yet delivered"

    listener = redis.Redis.from_url(redis_url).pubsub()
    listener.subscribe(f"{redis_namespace}:live:project:{project_id}")
    with serving_with_worker(production_env, tmp_path, threads=1):
        statuses: list[str] = []
        until = time.monotonic() + 60
        while not statuses or statuses[-1] != "succeeded":
            event = next_message(listener, until)
            assert event is not None, f"heard only {statuses}"
            if event["type"] == "task.status_changed" and event["task_id"] == task_id:
                statuses.append(event["status"])
    listener.close()

    assert statuses == ["queued", "running", "succeeded"]
    assert outbox(database, task_id) == [("task.queued", True), ("task.started", True), ("task.succeeded", True)]
