"""Fair under load, on the production profile (real PostgreSQL and Redis): a flood larger than one API
process admits gets quick 503s with Retry-After (never a 500, never a 10 s wait), health answers
throughout, and what was refused left nothing behind; `agentry serve --workers N` answers from N processes."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import free_port, migrated, running
from tests.integration.helpers import sign_in

pytestmark = pytest.mark.slow
FLOOD = 120
SMALL = {"AGENTRY_HTTP_CONCURRENCY": "2", "AGENTRY_HTTP_QUEUE": "4", "AGENTRY_HTTP_QUEUE_WAIT_MS": "200"}


async def test_a_flood_gets_quick_503s_with_retry_after_and_nothing_half_written(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | SMALL
    migrated(env, tmp_path)

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    serve = ["serve", "--port", str(port), "--workers", "1"]
    limits = httpx.Limits(max_connections=FLOOD + 10, max_keepalive_connections=FLOOD + 10)
    with running((serve, env), cwd=tmp_path, wait_for=base_url):
        async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
            await sign_in(client)

            async def submit(i: int) -> tuple[httpx.Response, float]:
                sent = time.monotonic()
                body = {"title": f"flood {i}", "prompt": "p"}
                response = await client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": f"flood-{i}"})
                return response, time.monotonic() - sent

            async def health_during() -> list[int]:
                statuses = []
                for _ in range(5):
                    statuses.append((await client.get("/health/live")).status_code)
                    await asyncio.sleep(0.05)
                return statuses

            flood = asyncio.gather(*(submit(i) for i in range(FLOOD)))
            health, answers = await asyncio.gather(health_during(), flood)

            statuses = [response.status_code for response, _ in answers]
            assert set(statuses) <= {201, 503}, sorted(set(statuses))
            refused = [(i, response, took) for i, (response, took) in enumerate(answers) if response.status_code == 503]
            assert refused, "the flood was larger than what one process admits: some should have been refused"
            for _, response, took in refused:
                assert response.headers["content-type"].startswith("application/problem+json")
                assert response.json()["type"] == "/problems/overloaded"
                assert int(response.headers["Retry-After"]) >= 1
                assert took < 5, f"a refusal took {took:.1f}s: it should come in milliseconds, at most the queue's wait"
            assert health == [200] * 5

            # Nothing half-written: the refused submissions left no task and no spent key behind.
            for i, _, _ in refused:
                body = {"title": f"flood {i}", "prompt": "p"}
                again = await client.post("/api/v1/tasks", json=body, headers={"Idempotency-Key": f"flood-{i}"})
                assert again.status_code == 201, again.text
            titles: list[str] = []
            cursor: str | None = None
            while True:
                page = await client.get("/api/v1/tasks", params={"limit": 100} | ({"cursor": cursor} if cursor else {}))
                assert page.status_code == 200, page.text
                titles += [task["title"] for task in page.json()["items"]]
                cursor = page.json().get("next_cursor")
                if not cursor:
                    break
            assert sorted(titles) == sorted(f"flood {i}" for i in range(FLOOD))
    print(
        f"\nflood of {FLOOD} submissions on 2 admitted + 4 queued: {len(refused)} refused with 503, in at most "
        f"{max(took for _, _, took in refused) * 1000:.0f} ms"
    )


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def children_of(pid: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def connection_owners(port: int, pids: set[int]) -> dict[int, int]:
    """How many established connections to `port` each process holds (its accepted sockets)."""
    inodes: dict[str, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # ESTABLISHED, on the server's side
                inodes[fields[9]] = local_port
    owners: dict[int, int] = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = fd.readlink().as_posix()
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                owners[pid] = owners.get(pid, 0) + 1
    return owners


async def test_serve_with_two_workers_answers_from_two_processes_counts_in_one_metrics_and_stops_on_sigterm(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    migrated(production_env, tmp_path)

    port, metrics_port = free_port(), free_port()
    env = production_env | {
        "AGENTRY_METRICS": "true",
        "AGENTRY_METRICS_HOST": "127.0.0.1",
        "AGENTRY_METRICS_PORT": str(metrics_port),
        "AGENTRY_WORKER_METRICS_PORT": str(free_port()),
    }
    base_url = f"http://127.0.0.1:{port}"
    serve = ["serve", "--port", str(port), "--workers", "2"]
    with running((serve, env), cwd=tmp_path, wait_for=base_url) as [service]:
        main = service.process.pid
        deadline = time.monotonic() + 60
        while len(children_of(main)) < 2:
            assert time.monotonic() < deadline, service.output()
            await asyncio.sleep(0.2)
        children = children_of(main)
        assert len(children) == 2
        owners: dict[int, int] = {}
        sent_requests = 0
        limits = httpx.Limits(max_connections=40, max_keepalive_connections=40)
        for _ in range(10):  # each round opens 40 connections at once; the kernel hands them out
            async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
                answers = await asyncio.gather(*(client.get("/health/ready") for _ in range(40)))
                sent_requests += len(answers)
                assert {a.status_code for a in answers} == {200}
                for pid, count in connection_owners(port, children).items():
                    owners[pid] = owners.get(pid, 0) + count
            if len(owners) == 2:
                break
        assert set(owners) == children, f"connections held per process: {owners}"
        # One /metrics for the service (only the first process listens on the port), summing both.
        async with httpx.AsyncClient(timeout=10) as client:
            scraped = (await client.get(f"http://127.0.0.1:{metrics_port}/metrics")).text
        counted = sum(
            sample.value
            for family in text_string_to_metric_families(scraped)
            for sample in family.samples
            if sample.name == "agentry_http_requests_total" and sample.labels.get("route") == "/health/ready"
        )
        assert counted >= sent_requests, f"{counted} of {sent_requests} requests counted"
        assert children_of(main) == children, "a process of the service died (both may not serve /metrics)"

        sent = time.monotonic()
        service.process.send_signal(signal.SIGTERM)
        try:
            code = service.process.wait(30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve --workers 2 did not stop within 30s of SIGTERM:\n{service.output()}")
        assert code == 0, service.output()
        assert not any(alive(pid) for pid in children)
    print(
        f"\nserve --workers 2: connections per process {owners}; stopped {time.monotonic() - sent:.1f}s after SIGTERM"
    )
