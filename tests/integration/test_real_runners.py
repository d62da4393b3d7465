"""The embedded service on the real gateways, configured as an operator would: the real Claude Code CLI
and the Anthropic API runner, both sent to the Messages API double, driven over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.doubles.claude_cli import claude_binary
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text
from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task

RUN_LIMIT_S = 90


@pytest.fixture
def messages_api() -> Iterator[MessagesApiDouble]:
    with MessagesApiDouble() as double:
        yield double


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
    assert [path.name for path in (tmp_path / "work").iterdir()] == [first["id"]], "the chain shares one directory"
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
