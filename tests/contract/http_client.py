"""A signed-in client of one embedded service, whose every answer is checked against the OpenAPI document."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.contract.http_app import OpenApiContract

TASKS = "/api/v1/tasks"
TASK = "/api/v1/tasks/{task_id}"
PASSWORD = "correct horse battery"


def new_task(**fields: Any) -> dict[str, Any]:
    return {"title": "Fix the flaky test", "prompt": "Make tests/test_x.py pass", **fields}


class Api:
    """Requests whose answers are checked against the document as they arrive."""

    def __init__(self, client: AsyncTestClient[Any], contract: OpenApiContract) -> None:
        self.client = client
        self.contract = contract

    async def call(self, method: str, template: str, *, expect: int, **kwargs: Any) -> Any:
        """`template` may hold {task_id}, {project_id}, {user_id}: pass them as keyword arguments."""
        names = set(re.findall(r"\{(\w+)\}", template))
        url = template.format(**{name: kwargs.pop(name) for name in names})
        response = await self.client.request(method.upper(), url, **kwargs)
        body = self.contract.check(method, template, response)
        assert response.status_code == expect, f"{method.upper()} {url}: {response.status_code} {response.text}"
        return body

    async def submit(self, **fields: Any) -> dict[str, Any]:
        task: dict[str, Any] = await self.call("post", TASKS, expect=201, json=new_task(**fields))
        return task

    async def wait_for(self, task_id: str, statuses: set[str], deadline_s: float = 15.0) -> dict[str, Any]:
        until = time.monotonic() + deadline_s
        while True:
            task: dict[str, Any] = await self.call("get", TASK, task_id=task_id, expect=200)
            if task["status"] in statuses:
                return task
            if time.monotonic() > until:
                pytest.fail(f"task {task_id} is still {task['status']} after {deadline_s} s, not {sorted(statuses)}")
            await asyncio.sleep(0.05)


async def sign_up(client: AsyncTestClient[Any], email: str, name: str = "Ada") -> dict[str, Any]:
    """Register and log in; returns the token pair."""
    body = {"email": email, "password": PASSWORD, "display_name": name}
    registered = await client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    pair: dict[str, Any] = login.json()
    return pair


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}
