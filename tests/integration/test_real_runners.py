"""The embedded service on the real gateways, configured as an operator would: the real Claude Code CLI
and the Anthropic API runner, both sent to the Messages API double, driven over HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.doubles.claude_cli import claude_binary
from tests.doubles.messages_api import MessagesApiDouble, Reply, Stall, Text
from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task
from tests.integration.processes import MARKER_VARIABLE, processes_marked

RUN_LIMIT_S = 90


def gateway_env(messages_api: MessagesApiDouble, home: Path, **settings: str) -> dict[str, str]:
    """The service's environment: the gateway settings, and a throwaway HOME for the CLI's sessions."""
    home.mkdir(parents=True, exist_ok=True)
    env = clean_env(
        HOME=str(home),
        ANTHROPIC_BASE_URL=messages_api.base_url,
        ANTHROPIC_API_KEY="test-key",
        AGENTRY_LOG_LEVEL="INFO",
        AGENTRY_CLAUDE_ENV=json.dumps({"CLAUDE_CONFIG_DIR": str(home / ".claude"), "CLAUDE_CODE_MAX_RETRIES": "0"}),
        **settings,
    )
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # no `claude` but the configured one
    return env


async def finished(client: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
    task = await wait_for_task(client, task_id, TERMINAL, within=RUN_LIMIT_S)
    assert task["status"] == "succeeded", task
    return dict(task)


async def test_auto_runs_tasks_on_the_claude_code_cli_and_a_follow_up_resumes_the_session_in_its_directory(
    messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    binary = claude_binary()
    env = gateway_env(
        messages_api, tmp_path / "home", AGENTRY_CLAUDE_PATH=binary, AGENTRY_WORK_DIR=str(tmp_path / "work")
    )
    messages_api.enqueue(Reply(Text("The login test races the writer.")), Reply(Text("Yes: flush before reading.")))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url) as [service]:
        said = service.output()
        assert f"AI gateway: claude-code (AGENTRY_RUNNER=auto found the Claude Code CLI at {binary})" in said
        assert "tasks may also name anthropic, scripted" in said
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            body = {"title": "Flaky login test", "prompt": "Why does the login test fail?"}
            first = await finished(client, (await submit(client, body, key="first"))["id"])
            result = (await client.get(f"/api/v1/tasks/{first['id']}/result")).json()
            [execution] = (await client.get(f"/api/v1/tasks/{first['id']}/executions")).json()["items"]

            asked = await client.post(f"/api/v1/tasks/{first['id']}/follow-up", json={"prompt": "Can it be fixed?"})
            assert asked.status_code == 201, asked.text
            follow_up = await finished(client, asked.json()["id"])
            [resumed] = (await client.get(f"/api/v1/tasks/{follow_up['id']}/executions")).json()["items"]
            answer = (await client.get(f"/api/v1/tasks/{follow_up['id']}/result")).json()

    assert result["output"] == "The login test races the writer."
    assert (follow_up["follows_task_id"], follow_up["options"]["runner"]) == (first["id"], "claude-code")
    assert answer["output"] == "Yes: flush before reading."
    assert resumed["agent_session_id"] == execution["agent_session_id"] is not None
    first_request, second_request = messages_api.message_requests
    conversation = json.dumps(second_request.body["messages"])
    assert all(
        text in conversation for text in ("Why does the login test fail?", "races the writer", "Can it be fixed?")
    )
    work = tmp_path / "work"
    assert sorted(path.name for path in work.iterdir()) == [".homes", first["id"]], "the chain shares one directory"
    assert [path.name for path in (work / ".homes").iterdir()] == [first["id"]], "and one HOME"
    workspace = str(tmp_path / "work" / first["id"])
    assert workspace in json.dumps(first_request.body) and workspace in json.dumps(second_request.body)


async def test_the_anthropic_runner_answers_a_task_with_the_apis_text_and_its_cost(
    messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    env = gateway_env(messages_api, tmp_path / "home", AGENTRY_RUNNER="anthropic")
    messages_api.enqueue(Reply(Text("It races ", "the writer."), input_tokens=1_000, output_tokens=100))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url) as [service]:
        assert "AI gateway: anthropic (AGENTRY_RUNNER=anthropic); tasks may also name scripted" in service.output()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            body = {"title": "Flaky", "prompt": "Why?", "options": {"append_system_prompt": "Answer in one line."}}
            task = await finished(client, (await submit(client, body, key="anthropic"))["id"])
            result = (await client.get(f"/api/v1/tasks/{task['id']}/result")).json()

    assert result["output"] == "It races the writer."
    assert result["usage"] == {"input_tokens": 1_000, "output_tokens": 100, "cost_usd": pytest.approx(0.0045)}
    [asked] = messages_api.message_requests
    assert "test-key" in (asked.headers.get("x-api-key", ""), asked.headers.get("authorization", "")[7:])
    assert asked.body["system"] == "Answer in one line."


@pytest.fixture
def stalling_service(messages_api: MessagesApiDouble, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The embedded service on the real CLI, whose every reply stalls after its first event; yields
    its URL and the marker its Claude processes carry."""
    marker = uuid4().hex
    env = gateway_env(messages_api, tmp_path / "home", AGENTRY_CLAUDE_PATH=claude_binary(), AGENTRY_CLAUDE_GRACE_S="2")
    claude_env = json.loads(env["AGENTRY_CLAUDE_ENV"]) | {MARKER_VARIABLE: marker}
    env["AGENTRY_CLAUDE_ENV"] = json.dumps(claude_env)
    messages_api.enqueue(Reply(Text("never", " sent"), interrupted=Stall(after=1)))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url):
        yield base_url, marker


async def started_claude(
    client: httpx.AsyncClient, messages_api: MessagesApiDouble, marker: str, **options: Any
) -> str:
    """Submit a task, and wait until its CLI has asked the double and is left waiting."""
    body = {"title": "Stalls", "prompt": "Why?", "options": options}
    task_id = str((await submit(client, body, key=uuid4().hex))["id"])
    deadline = time.monotonic() + RUN_LIMIT_S
    while not (messages_api.message_requests and processes_marked(marker)):
        assert time.monotonic() < deadline, "the CLI never asked the Messages API"
        await asyncio.sleep(0.05)
    return task_id


async def no_claude_left(marker: str, within_s: float = 10.0) -> None:
    deadline = time.monotonic() + within_s
    while processes_marked(marker):
        assert time.monotonic() < deadline, f"Claude processes left: {processes_marked(marker)}"
        await asyncio.sleep(0.05)


async def test_the_inactivity_watchdog_ends_a_cli_run_whose_stream_stalls_and_stops_its_processes(
    messages_api: MessagesApiDouble, stalling_service: tuple[str, str]
) -> None:
    base_url, marker = stalling_service
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await sign_in(client)
        task_id = await started_claude(client, messages_api, marker, inactivity_timeout_s=3)
        task = await wait_for_task(client, task_id, TERMINAL, within=RUN_LIMIT_S)
        [execution] = (await client.get(f"/api/v1/tasks/{task_id}/executions")).json()["items"]
        log = (await client.get(f"/api/v1/tasks/{task_id}/logs?limit=1000")).json()["items"]
    await no_claude_left(marker)

    assert (task["status"], task["error"]["code"]) == ("timed_out", "inactivity_timeout"), task
    assert execution["status"] == "timed_out" and 3 <= execution["duration_s"] < 3 + RUN_LIMIT_S / 3
    assert log[-1]["kind"] == "result" and "sent nothing for 3s" in log[-1]["message"]


async def test_cancelling_a_running_cli_task_stops_its_processes(
    messages_api: MessagesApiDouble, stalling_service: tuple[str, str]
) -> None:
    base_url, marker = stalling_service
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await sign_in(client)
        task_id = await started_claude(client, messages_api, marker)
        asked = time.monotonic()
        assert (await client.post(f"/api/v1/tasks/{task_id}/cancel")).status_code == 200
        task = await wait_for_task(client, task_id, TERMINAL, within=RUN_LIMIT_S)
        ended = time.monotonic() - asked
        await no_claude_left(marker)

    assert task["status"] == "cancelled", task
    assert ended < 5.0, f"the cancel took {ended:.1f}s to end the run"
