"""Who may do what, on the production stack: two `agentry serve` processes and one `agentry worker` on
PostgreSQL and Redis, driven over real HTTP.

The story of a team: an owner makes a project, adds a member and a viewer; the member's task runs on a
worker; the viewer reads it but may not cancel it; an outsider learns nothing of it. Sessions are then
rotated and ended on one API process and checked on the other, so what holds is kept in the database
that every process shares, not in one process's memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import free_port, migrated, running, wait_until_live
from tests.integration.helpers import wait_for_task

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
# Long enough for the viewer to try a cancel while the task runs; the worker then finishes it.
SCRIPT = [{"say": "Reading the failing test. "}, {"sleep": 1.5}, {"say": "The read now waits for the flush."}]


@dataclass
class Account:
    """One person's HTTP client (sending their access token) and what login gave them."""

    client: httpx.AsyncClient
    id: str
    email: str
    refresh_token: str


@asynccontextmanager
async def account(base_url: str, email: str) -> AsyncIterator[Account]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        registered = await client.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": email.split("@")[0]}
        )
        assert registered.status_code == 201, registered.text
        login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        yield Account(client, registered.json()["id"], email, login.json()["refresh_token"])


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def expect(response: Awaitable[httpx.Response], status: int) -> Any:
    """The awaited response, which must have this status; its JSON body (None for a 204)."""
    answer = await response
    assert answer.status_code == status, f"{answer.request.method} {answer.request.url}: {answer.text}"
    if status >= 400:
        assert answer.headers["content-type"].startswith("application/problem+json")
    return answer.json() if answer.content else None


async def test_a_team_shares_a_project_and_sessions_end_on_every_api_process(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    migrated(production_env, tmp_path)
    port_a, port_b = free_port(), free_port()
    api_a, api_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    with running(
        (["serve", "--port", str(port_a)], production_env),
        (["serve", "--port", str(port_b)], production_env),
        (["worker", "--processes", "1", "--threads", "2"], production_env),
        cwd=tmp_path,
        wait_for=api_a,
    ) as services:
        wait_until_live(api_b, services)
        async with (
            account(api_a, "owner@team.example") as owner,
            account(api_a, "member@team.example") as member,
            account(api_b, "viewer@team.example") as viewer,
            account(api_b, "outsider@elsewhere.example") as outsider,
        ):
            project = await expect(owner.client.post("/api/v1/projects", json={"name": "Team", "slug": "team"}), 201)
            assert project["your_role"] == "owner"
            members = f"/api/v1/projects/{project['id']}/members"
            invite = f"/api/v1/projects/{project['id']}/invitations"
            for joining, role in (
                (member, "member"),
                (viewer, "viewer"),
            ):  # the viewer answers on the other process
                await expect(owner.client.post(invite, json={"email": joining.email, "role": role}), 202)
                [received] = await expect(joining.client.get("/api/v1/invitations"), 200)
                accepted = joining.client.post(f"/api/v1/invitations/{received['id']}/accept")
                assert (await expect(accepted, 200))["role"] == role
            listed = await expect(viewer.client.get(members), 200)
            assert sorted((m["email"], m["role"]) for m in listed) == [
                ("member@team.example", "member"),
                ("owner@team.example", "owner"),
                ("viewer@team.example", "viewer"),
            ]

            body = {"title": "Fix the flaky test", "prompt": "Find the race.", "options": {"script": SCRIPT}}
            submitted = await member.client.post(
                "/api/v1/tasks", json={**body, "project_id": project["id"]}, headers={"Idempotency-Key": "team-1"}
            )
            assert submitted.status_code == 201, submitted.text
            task = submitted.json()
            assert (task["project_id"], task["owner_id"]) == (project["id"], member.id)
            path = f"/api/v1/tasks/{task['id']}"

            # The viewer, on the other API process, watches it run and may not cancel it.
            running_task = await wait_for_task(viewer.client, task["id"], {"running"})
            assert running_task["project_id"] == project["id"]
            await expect(viewer.client.post(f"{path}/cancel"), 403)
            await expect(viewer.client.post("/api/v1/tasks", json={**body, "project_id": project["id"]}), 403)
            done = await wait_for_task(viewer.client, task["id"], {"succeeded", "failed", "cancelled", "timed_out"})
            assert done["status"] == "succeeded", "the refused cancel changed nothing"
            log = (await expect(viewer.client.get(f"{path}/logs"), 200))["items"]
            assert log[0]["kind"] == "system" and log[-1]["kind"] == "result"
            result = await expect(viewer.client.get(f"{path}/result"), 200)
            assert result["output"] == "Reading the failing test. The read now waits for the flush."

            # The outsider learns nothing: not the task, its log, the project, nor a listing of either.
            own = await expect(outsider.client.post("/api/v1/tasks", json={"title": "mine", "prompt": "hi"}), 201)
            for hidden in (path, f"{path}/logs", f"{path}/result", f"/api/v1/projects/{project['id']}", members):
                await expect(outsider.client.get(hidden), 404)
            await expect(outsider.client.post(f"{path}/cancel"), 404)
            seen = await expect(outsider.client.get("/api/v1/tasks"), 200)
            assert [t["id"] for t in seen["items"]] == [own["id"]]
            filtered = await expect(outsider.client.get("/api/v1/tasks", params={"project_id": project["id"]}), 200)
            assert filtered["items"] == []
            projects = await expect(outsider.client.get("/api/v1/projects"), 200)
            assert project["id"] not in [p["id"] for p in projects["items"]]

            # Refresh rotation: the new pair works on process B; the spent refresh token, shown again
            # to process A, is a 401 that ends the session, so the new pair stops working on B too.
            on_a = member.client
            async with httpx.AsyncClient(base_url=api_b, timeout=30) as on_b:
                first = member.refresh_token
                second = await expect(on_b.post("/api/v1/auth/refresh", json={"refresh_token": first}), 200)
                assert second["refresh_token"] != first
                assert (await expect(on_b.get(path, headers=bearer(second)), 200))["id"] == task["id"]
                await expect(on_a.post("/api/v1/auth/refresh", json={"refresh_token": first}), 401)
                again = {"refresh_token": second["refresh_token"]}
                await expect(on_b.post("/api/v1/auth/refresh", json=again), 401)
                await expect(on_b.get(path, headers=bearer(second)), 401)
                await expect(on_a.get("/api/v1/auth/me"), 401)  # the first access token was of the same session

                # Logout on process A: the access token is refused at once, on B as on A.
                await expect(viewer.client.get("/api/v1/auth/me"), 200)
                token = viewer.client.headers["Authorization"]
                async with httpx.AsyncClient(base_url=api_a, timeout=30, headers={"Authorization": token}) as leaving:
                    await expect(leaving.post("/api/v1/auth/logout"), 204)
                    await expect(leaving.get(path), 401)
                await expect(viewer.client.get(path), 401)
                ended = {"refresh_token": viewer.refresh_token}
                await expect(on_b.post("/api/v1/auth/refresh", json=ended), 401)

            # The other sessions are untouched.
            await expect(owner.client.get(path), 200)
            await expect(outsider.client.get(path), 404)
