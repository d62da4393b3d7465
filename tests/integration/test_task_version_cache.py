"""Each API process keeps the tasks' validators for conditional reads (production); a 304 is still never
sent for a task changed by a write that has answered (an edit on another API process) or whose change
the worker has committed, and a task the caller may no longer read is refused."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.integration.conftest import running
from tests.integration.helpers import TERMINAL, sign_in
from tests.integration.two_api_processes import two_api_processes


async def conditional(client: httpx.AsyncClient, task_id: str, tag: str) -> httpx.Response:
    return await client.get(f"/api/v1/tasks/{task_id}", headers={"If-None-Match": tag})


async def test_a_write_on_one_process_or_by_the_worker_ends_the_304s_of_another(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RATE_LIMITING": "false", "AGENTRY_TASK_VERSION_CACHE_TTL_S": "3600"}
    async with two_api_processes(env, tmp_path) as (a, b):
        await sign_in(a)
        b.headers["Authorization"] = a.headers["Authorization"]
        script = {"script": [{"say": "hi"}]}
        body = {"title": "t", "prompt": "p", "options": script}
        task, run = [(await a.post("/api/v1/tasks", json=body)).json() for _ in range(2)]
        url = f"/api/v1/tasks/{task['id']}"
        first = (await b.get(url)).headers["ETag"]
        for _ in range(3):  # B reads the validator once, then keeps it
            assert (await conditional(b, task["id"], first)).status_code == 304

        cancelled = await a.post(f"{url}/cancel")  # answered by A: B knows at once
        assert cancelled.status_code == 200, cancelled.text
        changed = await conditional(b, task["id"], first)
        assert (changed.status_code, changed.json()["status"]) == (200, "cancelled")
        final = changed.headers["ETag"]
        assert (await conditional(b, task["id"], final)).status_code == 304

        # Deleted on A: B does not answer 304 for it, nor say it exists.
        assert (await a.delete(url)).status_code == 204
        assert (await conditional(b, task["id"], final)).status_code == 404

        # The worker runs the other task: once its commits are announced, B answers with what they wrote.
        queued = (await b.get(f"/api/v1/tasks/{run['id']}")).headers["ETag"]
        assert (await conditional(b, run["id"], queued)).status_code == 304
        with running((["worker", "--processes", "1", "--threads", "2"], env), cwd=tmp_path, wait_for=None):
            for _ in range(600):
                if (await a.get(f"/api/v1/tasks/{run['id']}")).json()["status"] in TERMINAL:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # the worker's last commit has been announced
            done = await conditional(b, run["id"], queued)
            assert done.status_code == 200, done.text
            assert done.json()["status"] in TERMINAL
