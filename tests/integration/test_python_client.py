"""The generated Python client (clients/python/agentry_client) drives the live service, on both profiles:
register, log in, submit, watch, read the result, cancel, and a 409 and a 422 answered as typed problem
documents. It is generated from openapi.json by clients/generate and imported through pytest's
`pythonpath`; tests/contract/test_clients.py holds it to the document."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentry_client import AuthenticatedClient, Client
from agentry_client.api.auth import api_v1_auth_login_login, api_v1_auth_register_register
from agentry_client.api.tasks import (
    api_v1_tasks_submit,
    api_v1_tasks_task_id_cancel_cancel,
    api_v1_tasks_task_id_get_task,
    api_v1_tasks_task_id_logs_logs,
    api_v1_tasks_task_id_result_result,
)
from agentry_client.models import (
    LoginBody,
    LogPageBody,
    Problem,
    RegisterBody,
    ResultBody,
    TaskBody,
    TaskCreate,
    TaskStatus,
    TokenPairBody,
    UserBody,
)

from tests.integration.conftest import clean_env, free_port, running, serving_with_worker

PASSWORD = "correct horse battery staple"
TERMINAL = {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.CANCELLED}


@pytest.fixture(params=["embedded", "production"])
def base_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "embedded":
        port = free_port()
        env = clean_env(
            AGENTRY_DATABASE_URL=f"sqlite:///{tmp_path}/client.db",
            AGENTRY_RUNNER="scripted",
            AGENTRY_LOG_LEVEL="WARNING",
        )
        url = f"http://127.0.0.1:{port}"
        with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=url):
            yield url
    else:
        env: dict[str, str] = request.getfixturevalue("production_env")
        with serving_with_worker(env, tmp_path) as stack:
            yield stack.base_url


def task(title: str, script: list[dict[str, Any]], **more: Any) -> TaskCreate:
    return TaskCreate.from_dict({"title": title, "prompt": "do it", "options": {"script": script}, **more})


def watch(client: AuthenticatedClient, task_id: Any, until: set[TaskStatus], within: float = 60) -> TaskBody:
    deadline = time.monotonic() + within
    while True:
        current = api_v1_tasks_task_id_get_task.sync(task_id, client=client)
        assert isinstance(current, TaskBody), current
        if current.status in until:
            return current
        assert time.monotonic() < deadline, f"task still {current.status}"
        time.sleep(0.1)


def test_the_generated_client_registers_logs_in_submits_watches_reads_and_cancels(base_url: str) -> None:
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    registered = api_v1_auth_register_register.sync(
        client=anonymous, body=RegisterBody(email="client@example.com", password=PASSWORD, display_name="Client")
    )
    assert isinstance(registered, UserBody), registered
    pair = api_v1_auth_login_login.sync(client=anonymous, body=LoginBody(email="client@example.com", password=PASSWORD))
    assert isinstance(pair, TokenPairBody), pair
    client = AuthenticatedClient(base_url=base_url, token=pair.access_token, raise_on_unexpected_status=True)

    submitted = api_v1_tasks_submit.sync(
        client=client, body=task("Says hello", [{"say": "hello from the script"}]), idempotency_key="client-1"
    )
    assert isinstance(submitted, TaskBody), submitted
    done = watch(client, submitted.id, TERMINAL)
    assert done.status == TaskStatus.SUCCEEDED
    result = api_v1_tasks_task_id_result_result.sync(submitted.id, client=client)
    assert isinstance(result, ResultBody), result
    logs = api_v1_tasks_task_id_logs_logs.sync(submitted.id, client=client)
    assert isinstance(logs, LogPageBody)
    assert any("hello from the script" in line.message for line in logs.items), logs

    # a 409, typed: a finished task cannot be cancelled
    refused = api_v1_tasks_task_id_cancel_cancel.sync(submitted.id, client=client)
    assert isinstance(refused, Problem), refused
    assert refused.status == 409

    # cancel a running task
    hanging = api_v1_tasks_submit.sync(client=client, body=task("Hangs", [{"hang": True}]))
    assert isinstance(hanging, TaskBody), hanging
    watch(client, hanging.id, {TaskStatus.RUNNING})
    cancelled = api_v1_tasks_task_id_cancel_cancel.sync(hanging.id, client=client)
    assert isinstance(cancelled, TaskBody), cancelled
    assert watch(client, hanging.id, TERMINAL).status == TaskStatus.CANCELLED

    # a 422, typed, naming the field: a title of nothing but spaces
    invalid = api_v1_tasks_submit.sync(client=client, body=task("   ", [{"say": "x"}]))
    assert isinstance(invalid, Problem), invalid
    assert invalid.status == 422
    assert invalid.errors and invalid.errors[0].field == "title", invalid
