"""SIGTERM to a worker during a run (production profile, real PostgreSQL and Redis): a run longer than the
grace period is interrupted, recorded (failed, worker_shutdown) and requeued without spending its attempt,
then completed by another worker process; a run shorter than the grace period finishes normally. Either
way the SIGTERMed process exits soon after, and no execution is left running. The embedded `serve` does
the same with its in-process workers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.integration.conftest import (
    Service,
    clean_env,
    free_port,
    migrated,
    running,
    serving_with_worker,
    wait_until_live,
)
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task

pytestmark = pytest.mark.slow
EXIT_MARGIN_S = 6.0  # Dramatiq notices the signal within 1 s; its threads and consumers then stop


def long_run(seconds: float) -> dict[str, Any]:
    return {"title": "Long", "prompt": "p", "options": {"script": [{"say": "working"}, {"sleep": seconds}]}}


def terminate(service: Service, within: float) -> float:
    """SIGTERM, as `docker stop` sends it; how long the process took to exit."""
    sent = time.monotonic()
    service.process.send_signal(signal.SIGTERM)
    try:
        service.process.wait(within)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not exit within {within}s of SIGTERM:\n{service.output()}")
    return time.monotonic() - sent


async def executions(client: httpx.AsyncClient, task_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await client.get(f"/api/v1/tasks/{task_id}/executions")).json()["items"]
    return sorted(items, key=lambda e: e["number"])


async def test_a_run_longer_than_the_grace_is_interrupted_requeued_and_completed_by_another_worker(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    grace = 1.0
    env = production_env | {"AGENTRY_SHUTDOWN_GRACE_S": str(grace)}
    migrated(env, tmp_path)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    worker = ["worker", "--processes", "1", "--threads", "2"]
    with running((["serve", "--port", str(port)], env), (worker, env), cwd=tmp_path, wait_for=base_url) as started:
        first_worker = started[1]
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            task_id = str((await submit(client, long_run(4) | {"max_attempts": 1}, key="long"))["id"])
            await wait_for_task(client, task_id, {"running"}, within=30)
            second_worker = Service(worker, env, tmp_path, tmp_path / "second-worker.log")
            try:
                took = terminate(first_worker, within=grace + EXIT_MARGIN_S + 10)
                said = first_worker.output()
                task = await wait_for_task(client, task_id, TERMINAL, within=60)
                runs = await executions(client, task_id)
                params = {"execution": 1, "limit": 1000}
                log = (await client.get(f"/api/v1/tasks/{task_id}/logs", params=params)).json()["items"]
            finally:
                second_worker.stop()

    print(f"\nSIGTERM → worker exited in {took:.1f}s (grace {grace:g}s); the requeued run completed elsewhere")
    assert took < grace + EXIT_MARGIN_S, f"exit took {took:.1f}s"
    assert "get up to 1s to finish" in said and "interrupting 1 execution(s)" in said, said
    assert task["status"] == "succeeded", task
    first, second = runs
    assert (first["status"], first["error"]["code"]) == ("failed", "worker_shutdown"), first
    assert "worker shut down" in first["error"]["message"]
    assert (second["status"], second["number"], second["attempt"]) == ("succeeded", 2, 1), "the attempt was given back"
    assert first["worker_id"] != second["worker_id"]
    assert all(run["status"] != "running" for run in runs)
    interrupted = [line for line in log if line["kind"] == "result" and "worker_shutdown" in line["message"]]
    assert interrupted and interrupted[0]["level"] == "warning"


async def test_a_run_shorter_than_the_grace_finishes_normally_while_its_worker_shuts_down(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    grace = 10.0
    env = production_env | {"AGENTRY_SHUTDOWN_GRACE_S": str(grace)}
    with serving_with_worker(env, tmp_path, threads=2) as stack:
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
            await sign_in(client)
            task_id = str((await submit(client, long_run(2), key="short"))["id"])
            await wait_for_task(client, task_id, {"running"}, within=30)
            took = terminate(stack.services[1], within=grace + EXIT_MARGIN_S)
            task = (await client.get(f"/api/v1/tasks/{task_id}")).json()
            runs = await executions(client, task_id)

    print(f"\nSIGTERM → worker exited in {took:.1f}s after its 2s run finished (grace {grace:g}s)")
    assert task["status"] == "succeeded", task
    [run] = runs
    assert (run["status"], run["attempt"]) == ("succeeded", 1)
    assert took < 2 + EXIT_MARGIN_S, f"exit took {took:.1f}s: it waited for the run, not for the whole grace"


async def test_the_embedded_service_interrupts_its_runs_on_sigterm_and_runs_them_again_when_it_starts(
    tmp_path: Path,
) -> None:
    grace = 1.0
    env = clean_env(AGENTRY_LOG_LEVEL="WARNING", AGENTRY_SHUTDOWN_GRACE_S=str(grace))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url) as [service]:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            token = client.headers["Authorization"]
            task_id = str((await submit(client, long_run(3), key="long"))["id"])
            await wait_for_task(client, task_id, {"running"}, within=30)
        took = terminate(service, within=grace + EXIT_MARGIN_S + 10)
        said = service.output()

    print(f"\nSIGTERM → embedded serve exited in {took:.1f}s (grace {grace:g}s)")
    assert took < grace + EXIT_MARGIN_S, f"exit took {took:.1f}s"
    assert "interrupting 1 execution(s)" in said, said
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=None) as [again]:
        wait_until_live(base_url, [again])
        async with httpx.AsyncClient(base_url=base_url, timeout=30, headers={"Authorization": token}) as client:
            task = await wait_for_task(client, task_id, TERMINAL, within=60)
            runs = await executions(client, task_id)

    assert task["status"] == "succeeded", task
    first, second = runs
    assert (first["status"], first["error"]["code"]) == ("failed", "worker_shutdown")
    assert (second["status"], second["attempt"]) == ("succeeded", 1)


async def test_open_streams_end_themselves_and_do_not_hold_up_the_embedded_services_shutdown(
    tmp_path: Path,
) -> None:
    """On SIGTERM an SSE stream ends after the event it is sending and a WebSocket closes with 1001 (their
    clients resume elsewhere or later), so the server need not wait out its drain time, nor cut them with
    an error; then the workers' grace period starts."""
    from agentry.entrypoints.cli.serve import REQUEST_DRAIN_S

    grace = 1.0
    env = clean_env(AGENTRY_LOG_LEVEL="WARNING", AGENTRY_SHUTDOWN_GRACE_S=str(grace))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url) as [service]:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            await sign_in(client)
            token = client.headers["Authorization"].removeprefix("Bearer ")
            task_id = str((await submit(client, long_run(60), key="long"))["id"])
            await wait_for_task(client, task_id, {"running"}, within=30)
            async with (
                connect(f"ws://127.0.0.1:{port}/api/v1/ws?access_token={token}") as socket,
                client.stream("GET", f"/api/v1/tasks/{task_id}/events") as events,
            ):
                assert events.status_code == 200
                assert json.loads(await socket.recv()) == {"type": "authenticated"}
                stopping = asyncio.ensure_future(asyncio.to_thread(terminate, service, REQUEST_DRAIN_S + 20))
                body = (await asyncio.wait_for(events.aread(), REQUEST_DRAIN_S)).decode()
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(socket.recv(), REQUEST_DRAIN_S)
                took = await stopping
        said = service.output()

    print(f"\nSIGTERM with SSE and WebSocket clients attached → embedded serve exited in {took:.1f}s")
    assert "event: status" in body, "the stream was whole up to its end"
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
    assert took < REQUEST_DRAIN_S + grace, f"exit took {took:.1f}s: the streams held it up"
    assert "Exception in ASGI application" not in said, said


async def test_an_idle_worker_exits_within_its_grace_when_its_whole_process_group_gets_sigterm(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    """systemd's default (KillMode=control-group), `kill -TERM -<pgid>`: every process of `agentry worker`
    gets SIGTERM, and each worker process a second one from the main process."""
    grace = 30.0
    env = production_env | {"AGENTRY_LOG_LEVEL": "INFO", "AGENTRY_SHUTDOWN_GRACE_S": str(grace)}
    migrated(env, tmp_path)
    with running((["worker", "--processes", "2", "--threads", "2"], env), cwd=tmp_path, wait_for=None) as [worker]:
        deadline = time.monotonic() + 120
        while worker.log.read_text(errors="replace").count("Worker process is ready for action") < 2:
            assert worker.process.poll() is None, worker.output()
            assert time.monotonic() < deadline, f"the worker processes did not boot:\n{worker.output()}"
            await asyncio.sleep(0.2)
        sent = time.monotonic()
        os.killpg(worker.process.pid, signal.SIGTERM)
        try:
            worker.process.wait(grace)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker did not exit within its grace ({grace:g}s) of a group SIGTERM:\n{worker.output()}")
        took = time.monotonic() - sent
    print(f"\nSIGTERM to the process group → idle worker (2 processes) exited in {took:.1f}s (grace {grace:g}s)")
    assert worker.process.returncode == 0, worker.output()
    assert took < EXIT_MARGIN_S, worker.output()
