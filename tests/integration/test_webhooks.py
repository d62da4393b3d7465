"""Webhooks on the real stack: `agentry serve` and `agentry worker` processes on PostgreSQL and Redis,
delivering to a real HTTP receiver on loopback (allowed by AGENTRY_WEBHOOK_ALLOW_PRIVATE, except in the
test of the refusal). Signatures are verified with the `standardwebhooks` package, as a receiver would.
Retries run on a short schedule (AGENTRY_WEBHOOK_RETRY_SCHEDULE) so each test takes seconds."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.conftest import Service, free_port, migrated, running
from tests.integration.helpers import TERMINAL, sign_in, wait_for_task
from tests.webhook_receiver import Receiver, receiving

pytestmark = pytest.mark.slow

WEBHOOKS = {
    "AGENTRY_RUNNER": "scripted",
    "AGENTRY_RELAY_POLL_INTERVAL_S": "0.2",
    "AGENTRY_WEBHOOK_ALLOW_PRIVATE": "true",
    "AGENTRY_WEBHOOK_ALLOW_HTTP": "true",
    "AGENTRY_WEBHOOK_RETRY_SCHEDULE": "0.3,0.3,0.3,0.3",
    "AGENTRY_WEBHOOK_TIMEOUT_S": "3",
    "AGENTRY_HEARTBEAT_INTERVAL_S": "0.5",
    "AGENTRY_WORKER_LOST_AFTER_S": "2",
    "AGENTRY_REDISPATCH_AFTER_S": "4",
}
WORKER = ["worker", "--processes", "1", "--threads", "4"]
EVERY_TYPE = [
    "task.queued",
    "task.started",
    "task.succeeded",
    "task.failed",
    "task.timed_out",
    "task.cancelled",
    "task.budget_exceeded",
    "project.member_added",
]
TERMINAL_TYPES = {"task.succeeded", "task.failed", "task.timed_out", "task.cancelled"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        yield receiver


async def project_of(client: httpx.AsyncClient) -> str:
    return str((await client.get("/api/v1/projects")).json()["items"][0]["id"])


async def register(client: httpx.AsyncClient, project_id: str, url: str, types: list[str]) -> dict[str, Any]:
    response = await client.post(f"/api/v1/projects/{project_id}/webhooks", json={"url": url, "event_types": types})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def submit(client: httpx.AsyncClient, script: list[dict[str, Any]], **body: Any) -> str:
    options = {"script": script, **body.pop("options", {})}
    response = await client.post("/api/v1/tasks", json={"title": "t", "prompt": "p", "options": options, **body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def deliveries(client: httpx.AsyncClient, project_id: str, hook_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/projects/{project_id}/webhooks/{hook_id}/deliveries")
    assert response.status_code == 200, response.text
    return list(response.json())


async def settled(client: httpx.AsyncClient, project_id: str, hook_id: str, within: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        log = await deliveries(client, project_id, hook_id)
        if log and all(d["status"] != "pending" for d in log):
            return log
        await asyncio.sleep(0.1)
    raise TimeoutError(f"deliveries still pending: {log}")


def stack(env: dict[str, str], tmp_path: Path, *extra: list[str]) -> Any:
    port = free_port()
    migrated(env, tmp_path)
    services = [(["serve", "--port", str(port)], env), (WORKER, env), *((args, env) for args in extra)]
    return f"http://127.0.0.1:{port}", running(*services, cwd=tmp_path, wait_for=f"http://127.0.0.1:{port}")


async def test_each_terminal_status_is_delivered_once_signed_retried_with_one_id_410_ends_and_rotation_signs_twice(
    production_env: dict[str, str], tmp_path: Path, receiver: Receiver
) -> None:
    env = production_env | WEBHOOKS
    base_url, services = stack(env, tmp_path)
    with services, receiving() as gone:
        gone.script = [410] * 10
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            project_id = await project_of(client)
            hook = await register(client, project_id, receiver.url, EVERY_TYPE)

            tasks = {
                "succeeded": await submit(client, [{"say": "done"}]),
                "failed": await submit(client, [{"fail": "broke"}], max_attempts=1),
                "timed_out": await submit(client, [{"sleep": 30}], options={"time_limit_s": 1}, max_attempts=1),
                "budget": await submit(
                    client, [{"spend": 0.4}, {"spend": 0.4}, {"say": "x"}], options={"max_budget_usd": 0.5}
                ),
                "cancelled": await submit(client, [{"say": "working"}, {"sleep": 30}]),
            }
            await wait_for_task(client, tasks["cancelled"], {"running"}, within=30)
            assert (await client.post(f"/api/v1/tasks/{tasks['cancelled']}/cancel")).status_code == 200
            for task_id in tasks.values():
                await wait_for_task(client, task_id, TERMINAL, within=30)

            def terminal_of(received: list[Any], task_id: str) -> list[Any]:
                return [r for r in received if r.json["type"] in TERMINAL_TYPES and r.json["data"]["id"] == task_id]

            await receiver.wait_for(lambda rs: all(terminal_of(rs, t) for t in tasks.values()), deadline_s=30)
            await asyncio.sleep(1.5)  # anything sent twice would have arrived by now
            expected = {
                "succeeded": "task.succeeded",
                "failed": "task.failed",
                "timed_out": "task.timed_out",
                "budget": "task.failed",
                "cancelled": "task.cancelled",
            }
            for name, task_id in tasks.items():
                [one] = terminal_of(receiver.received, task_id)
                body = one.verified_by(hook["secret"])
                assert body["type"] == expected[name], (name, body["type"])
                assert body["data"]["id"] == task_id and body["data"]["status"] == name.replace("budget", "failed")
            budget = [r for r in receiver.of_type("task.budget_exceeded") if r.json["data"]["id"] == tasks["budget"]]
            assert len(budget) == 1 and budget[0].json["data"]["error"]["code"] == "budget_exceeded"

            # a receiver down for the first three attempts gets it on the fourth, under the same webhook-id
            flaky = await register(client, project_id, receiver.url.replace("/hook", "/flaky"), ["task.queued"])
            receiver.script = [503, 502, 500]
            assert (await client.post(f"/api/v1/projects/{project_id}/webhooks/{flaky['id']}/ping")).status_code == 202
            [log] = await settled(client, project_id, flaky["id"])
            attempts = [r for r in receiver.received if r.path == "/flaky"]
            assert [a["status_code"] for a in log["attempt_log"]] == [503, 502, 500, 200]
            assert len(attempts) == 4 and {r.headers["webhook-id"] for r in attempts} == {log["webhook_id"]}
            attempts[-1].verified_by(flaky["secret"])

            # 410 ends the delivery, failed, after one attempt
            ended = await register(client, project_id, gone.url, ["task.queued"])
            assert (await client.post(f"/api/v1/projects/{project_id}/webhooks/{ended['id']}/ping")).status_code == 202
            [log] = await settled(client, project_id, ended["id"])
            assert (log["status"], log["attempts"], len(gone.received)) == ("failed", 1, 1)

            # after a rotation, each delivery carries both signatures, each verified by its secret
            rotated = (await client.post(f"/api/v1/projects/{project_id}/webhooks/{flaky['id']}/rotate-secret")).json()
            assert (await client.post(f"/api/v1/projects/{project_id}/webhooks/{flaky['id']}/ping")).status_code == 202
            await receiver.wait_for(lambda rs: len([r for r in rs if r.path == "/flaky"]) == 5)
            last = [r for r in receiver.received if r.path == "/flaky"][-1]
            assert len(last.headers["webhook-signature"].split()) == 2
            last.verified_by(flaky["secret"])
            last.verified_by(rotated["secret"])


async def test_a_worker_killed_mid_run_still_produces_the_worker_lost_failure_delivery(
    production_env: dict[str, str], tmp_path: Path, receiver: Receiver
) -> None:
    env = production_env | WEBHOOKS
    base_url, services = stack(env, tmp_path)
    with services as started:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            project_id = await project_of(client)
            hook = await register(client, project_id, receiver.url, ["task.failed"])
            victim = Service(WORKER, env, tmp_path, tmp_path / "victim.log")
            started[1].stop()  # the victim alone takes the run
            try:
                task_id = await submit(client, [{"say": "working"}, {"sleep": 30}], max_attempts=1)
                await wait_for_task(client, task_id, {"running"}, within=30)
                os.killpg(victim.process.pid, signal.SIGKILL)
                victim.process.wait()
            finally:
                victim.stop()
            survivor = Service(WORKER, env, tmp_path, tmp_path / "survivor.log")  # it sends the delivery
            try:
                task = await wait_for_task(client, task_id, {"failed"}, within=30)
                assert task["error"]["code"] == "worker_lost"
                got = await receiver.wait_for(lambda rs: any(r.json["data"]["id"] == task_id for r in rs), 30)
                await asyncio.sleep(1.0)
                mine = [r for r in receiver.received if r.json["data"]["id"] == task_id]
                assert len(mine) == 1, got
                body = mine[0].verified_by(hook["secret"])
                assert body["type"] == "task.failed" and body["data"]["error"]["code"] == "worker_lost"
            finally:
                survivor.stop()


async def test_a_private_address_is_refused_without_the_operators_allowance(
    production_env: dict[str, str], tmp_path: Path, receiver: Receiver
) -> None:
    env = production_env | WEBHOOKS | {"AGENTRY_WEBHOOK_ALLOW_PRIVATE": "false"}
    base_url, services = stack(env, tmp_path)
    with services:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            project_id = await project_of(client)
            body = {"url": receiver.url, "event_types": ["task.succeeded"]}
            refused = await client.post(f"/api/v1/projects/{project_id}/webhooks", json=body)
            assert refused.status_code == 422 and "127.0.0.1 is a loopback address" in refused.json()["detail"]
            # A name checked at registration may resolve to loopback later: each attempt checks again.
            hook = await register(client, project_id, "http://hooks.example.com/in", ["task.succeeded"])
            with psycopg.connect(env["AGENTRY_DATABASE_URL"], autocommit=True) as db:
                db.execute("UPDATE webhook_endpoints SET url = %s", (receiver.url,))
            assert (await client.post(f"/api/v1/projects/{project_id}/webhooks/{hook['id']}/ping")).status_code == 202
            [log] = await settled(client, project_id, hook["id"])
    assert (log["status"], log["attempts"]) == ("failed", 1)
    assert "127.0.0.1 is a loopback address" in log["last_error"]
    assert receiver.received == []
    with psycopg.connect(env["AGENTRY_DATABASE_URL"]) as db:
        [(sealed,)] = db.execute("SELECT secret FROM webhook_endpoints").fetchall()
    assert sealed.startswith("aesgcm1:") and hook["secret"] not in sealed
