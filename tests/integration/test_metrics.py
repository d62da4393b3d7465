"""Prometheus metrics of real `agentry` processes (production profile, PostgreSQL, Redis, a worker
process of its own): /metrics scraped before and after scripted runs, parsed with prometheus-client's
parser; each counter moved by exactly what the runs did, and no label value holds an id."""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import ROUTE_CLASSES, free_port, migrated, running
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

TOKEN = "metrics-test-token-0123456789"
UUID_LIKE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
LOGIN_LIMIT = 3
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(port: int) -> Samples:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("the metrics did not settle")
        await asyncio.sleep(0.2)


def script(*steps: dict[str, object]) -> dict[str, object]:
    return {"runner": "scripted", "script": list(steps)}


async def test_counters_move_by_exactly_what_the_runs_did_and_no_label_holds_an_id(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    api_port, api_metrics, worker_metrics = free_port(), free_port(), free_port()
    limits = {name: {"limit": 100_000, "window_s": 60} for name in ROUTE_CLASSES} | {
        "login": {"limit": LOGIN_LIMIT, "window_s": 600}
    }
    env = production_env | {
        "AGENTRY_METRICS": "true",
        "AGENTRY_METRICS_HOST": "127.0.0.1",
        "AGENTRY_METRICS_PORT": str(api_metrics),
        "AGENTRY_WORKER_METRICS_PORT": str(worker_metrics),
        "AGENTRY_METRICS_TOKEN": TOKEN,
        "AGENTRY_METRICS_DIR": str(tmp_path / "metrics"),
        "AGENTRY_RATE_LIMITS": json.dumps(limits),
        "AGENTRY_RETRY_BACKOFF_MIN_S": "0.2",
        "AGENTRY_RETRY_BACKOFF_MAX_S": "0.5",
        "AGENTRY_RELAY_POLL_INTERVAL_S": "0.2",
    }
    migrated(env, tmp_path)
    base = f"http://127.0.0.1:{api_port}"
    worker = ["worker", "--processes", "1", "--threads", "2"]
    with running((["serve", "--port", str(api_port)], env), (worker, env), cwd=tmp_path, wait_for=base):
        await eventually(lambda: _answers(worker_metrics))
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            # Not on the API's port, and not without the token.
            assert (await client.get("/metrics")).status_code == 404
            assert (await client.get(f"http://127.0.0.1:{api_metrics}/metrics")).status_code == 401
            await sign_in(client)  # one login of LOGIN_LIMIT
            demo = {"name": "Metrics demo", "slug": "metrics-demo", "settings": {"monthly_budget_usd": 10.0}}
            project = await client.post("/api/v1/projects", json=demo)
            assert project.status_code == 201, project.text
            project_id = project.json()["id"]
            api_before, worker_before = await scrape(api_metrics), await scrape(worker_metrics)

            ok = script({"say": "abcdefgh"}, {"spend": 0.25})  # 2 output tokens
            prompt = "Say twelve!!"  # 3 input tokens
            ids = []
            for i in range(3):
                body = {"title": f"ok {i}", "prompt": prompt, "project_id": project_id, "options": ok}
                ids.append((await submit(client, body, key=f"ok-{i}"))["id"])
            failing = {"title": "fails", "prompt": prompt, "options": script({"fail": "no"}), "max_attempts": 1}
            ids.append((await submit(client, failing, key="fails"))["id"])
            flaky = script({"fail": "flaky", "retryable": True, "times": 1}, {"spend": 0.5})
            body = {"title": "flaky", "prompt": prompt, "project_id": project_id, "options": flaky, "max_attempts": 2}
            ids.append((await submit(client, body, key="flaky"))["id"])
            ended = [await wait_for_task(client, task_id, TERMINAL, within=60) for task_id in ids]
            assert [task["status"] for task in ended] == ["succeeded"] * 3 + ["failed", "succeeded"]
            # The usage every execution stored, per project label, to check the counters against.
            usage: dict[str, list[float]] = {"metrics-demo": [0, 0, 0.0], "personal": [0, 0, 0.0]}
            for task_id in ids:
                page = (await client.get(f"/api/v1/tasks/{task_id}/executions")).json()
                label = "personal" if task_id == ids[3] else "metrics-demo"
                for execution in page["items"]:
                    for i, key in enumerate(("input_tokens", "output_tokens", "cost_usd")):
                        usage[label][i] += execution["usage"][key]
            assert usage["metrics-demo"][2] == pytest.approx(3 * 0.25 + 0.5)

            reads = 7
            before_reads = await scrape(api_metrics)
            for _ in range(reads):
                assert (await client.get(f"/api/v1/tasks/{ids[0]}")).status_code == 200
            after_reads = await scrape(api_metrics)

            bad = {"email": "ada@example.com", "password": "wrong password!"}
            answers = [(await client.post("/api/v1/auth/login", json=bad)).status_code for _ in range(LOGIN_LIMIT + 1)]
            refused = answers.count(429)
            assert refused >= 1

        route = "/api/v1/tasks/{task_id}"
        assert moved(before_reads, after_reads, "agentry_http_requests_total", route=route, method="GET") == reads
        assert (
            moved(before_reads, after_reads, "agentry_http_request_duration_seconds_count", route=route, method="GET")
            == reads
        )

        async def settled() -> bool:
            return moved(api_before, await scrape(api_metrics), "agentry_tasks_ended_total") >= 5

        await eventually(settled)
        await asyncio.sleep(1)  # nothing more may come
        api_after, worker_after = await scrape(api_metrics), await scrape(worker_metrics)

    def api(name: str, **labels: str) -> float:
        return moved(api_before, api_after, name, **labels)

    assert api("agentry_tasks_submitted_total") == 5
    assert api("agentry_tasks_submitted_total", priority="normal", cause="submitted") == 5
    assert api("agentry_tasks_ended_total") == 5
    assert api("agentry_tasks_ended_total", status="succeeded", runner="scripted") == 4
    assert api("agentry_tasks_ended_total", status="failed", runner="scripted") == 1
    assert api("agentry_executions_started_total", runner="scripted") == 6
    assert api("agentry_executions_retried_total", how="automatic") == 1
    assert api("agentry_executions_recovered_total") == 0
    assert api("agentry_executions_dead_lettered_total") == 0
    for label, (tokens_in, tokens_out, cost) in usage.items():
        assert api("agentry_tokens_total", project=label, model="default", direction="input") == tokens_in
        assert api("agentry_tokens_total", project=label, model="default", direction="output") == tokens_out
        assert math.isclose(api("agentry_cost_usd_total", project=label, model="default"), cost, abs_tol=1e-9)
    assert usage["metrics-demo"][0] > 0
    assert api("agentry_rate_limit_refusals_total", policy="login") == refused
    assert api("agentry_http_requests_total", route="/api/v1/tasks", method="POST", status="201") == 5
    assert value(api_after, "agentry_executions_running") == 0
    assert value(api_after, "agentry_tasks_waiting_total") == 0
    used = value(api_after, "agentry_project_budget_used_ratio", project="metrics-demo")
    assert used == pytest.approx(usage["metrics-demo"][2] / 10.0)
    # The worker process's own samples reach its exposition server.
    assert moved(worker_before, worker_after, "agentry_worker_messages_total", actor="run_execution") == 6
    assert value(worker_after, "agentry_worker_messages_in_progress") == 0
    # Every process watches its pool: the gauges exist, and nothing is left checked out or waiting.
    for samples in (api_after, worker_after):
        assert ("agentry_db_pool_in_use", ()) in samples
        assert value(samples, "agentry_db_pool_waiting") == 0

    for samples in (api_before, api_after, worker_before, worker_after):
        for name, labels in samples:
            for label, text in labels:
                assert not UUID_LIKE.search(text), f"{name}{{{label}={text!r}}} holds an id"
                assert not re.search(r"[0-9a-f]{16,}", text), f"{name}{{{label}={text!r}}} holds an id"


async def _answers(port: int) -> bool:
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            return (await client.get(f"http://127.0.0.1:{port}/metrics")).status_code == 401
    except httpx.HTTPError:
        return False


async def test_the_metrics_port_in_use_stops_the_start_in_one_line(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    import socket

    migrated(production_env, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = production_env | {"AGENTRY_METRICS": "true", "AGENTRY_METRICS_HOST": "127.0.0.1"}
        env |= {"AGENTRY_METRICS_PORT": str(port)}
        process = await asyncio.create_subprocess_exec(
            str(Path(__import__("sys").executable).parent / "agentry"),
            "serve",
            "--port",
            str(free_port()),
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert f"metrics port 127.0.0.1:{port} cannot be used" in err.decode()
