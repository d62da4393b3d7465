"""Each API process keeps the callers' principals between requests (production); a logout still takes
effect at once in every process: the process that commits it publishes the change on Redis before it
answers, and the others forget what they kept."""

from __future__ import annotations

from pathlib import Path

from tests.integration.helpers import sign_in
from tests.integration.two_api_processes import two_api_processes


async def test_a_logout_on_one_process_refuses_the_token_on_another_at_once(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    env = production_env | {"AGENTRY_RATE_LIMITING": "false"}
    async with two_api_processes(env, tmp_path) as (a, b):
        await sign_in(a)
        b.headers["Authorization"] = a.headers["Authorization"]
        task = (await a.post("/api/v1/tasks", json={"title": "t", "prompt": "p"})).json()
        for _ in range(3):  # B reads the principal once, then keeps it
            assert (await b.get(f"/api/v1/tasks/{task['id']}")).status_code == 200

        assert (await a.post("/api/v1/auth/logout")).status_code == 204
        refused = await b.get(f"/api/v1/tasks/{task['id']}")
        assert refused.status_code == 401, refused.text

        # A new login is served by B at once: nothing about the ended session is kept.
        await sign_in(a)
        b.headers["Authorization"] = a.headers["Authorization"]
        assert (await b.get(f"/api/v1/tasks/{task['id']}")).status_code == 200
