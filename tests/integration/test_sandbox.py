"""The real Claude Code CLI in the bubblewrap sandbox, made by the Messages API double to call Bash for
what an agent must never do: each is refused there, and nothing of it outlives the run. The same
calls unconfined (AGENTRY_SANDBOX=none) succeed, so the sandbox is what stops them. The limits are
test_sandbox_limits.py's."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from agentry.adapters.runners.claude_code import INHERITED, ClaudeCodeRunner
from agentry.application.tasks.ports.agent_gateway import AgentRun, RunCompleted
from agentry.domain.tasks.spec import TaskOptions
from tests.doubles.claude_cli import PROXY, claude_binary, offline_env, sandbox
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text
from tests.integration.processes import processes_marked
from tests.integration.sandboxed import DATABASE, LIMITS, RUN_LIMIT_S, SECRET, Host, bash, tool_output


def a_variable_of_the_service_only() -> str:
    """An entry of this process's (the worker's) environment that no run is given."""
    own = Path(f"/proc/{os.getpid()}/environ").read_bytes().decode().split("\0")
    kept = set(INHERITED) | {"CLAUDECODE", "PWD", "SHLVL", "_"}
    return next(entry for entry in own if entry and entry.split("=", 1)[0] not in kept)


def sleeping(marker: str) -> list[int]:
    found = []
    for pid in processes_marked(marker):
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"sleep"):
                found.append(pid)
    return found


@pytest.mark.parametrize("confined", [True, False], ids=["bubblewrap", "none"])
async def test_another_workspace_and_the_database_are_out_of_sight_and_reach(
    host: Host, messages_api: MessagesApiDouble, confined: bool
) -> None:
    secret, database = host.other / "secret.txt", host.database
    command = f"cat {secret} {database}; echo changed >> {secret}; echo changed >> {database}; ls {host.work}"
    events = await bash(host, messages_api, confined, command)

    said = tool_output(events)
    assert isinstance(events[-1], RunCompleted)
    if confined:
        assert SECRET.strip() not in said and "the service's database" not in said
        assert said.splitlines()[-1] == str(UUID(int=1)), "the work directory holds the run's workspace only"
        assert (secret.read_text(), database.read_text()) == (SECRET, DATABASE)
    else:
        assert SECRET.strip() in said and "the service's database" in said and host.other.name in said
        assert secret.read_text().endswith("changed\n") and database.read_text().endswith("changed\n")


@pytest.mark.parametrize("confined", [True, False], ids=["bubblewrap", "none"])
async def test_the_hosts_processes_and_the_services_environment_are_out_of_sight_and_reach(
    host: Host, messages_api: MessagesApiDouble, confined: bool
) -> None:
    service_only = a_variable_of_the_service_only()
    environs = f"/proc/1/environ /proc/{os.getpid()}/environ"
    nested = "unshare --user true 2>/dev/null && echo nested-namespace"
    who = "echo uid=$(id -u); grep NoNewPrivs /proc/self/status"
    command = f"cat {environs} | tr '\\0' '\\n'; env; {who}; {nested}; ps -e | wc -l"
    events = await bash(host, messages_api, confined, command)

    said = tool_output(events)
    assert isinstance(events[-1], RunCompleted)
    assert (service_only in said) is not confined
    assert ("nested-namespace" in said) is not confined, "the sandbox makes no namespaces of its own"
    if confined:
        assert "uid=1000" in said and re.search(r"NoNewPrivs:\s+1", said), "not root, no new privileges"
        assert "test-key" not in said, "the real key was meant to stay with the egress proxy"
        assert "ANTHROPIC_API_KEY=agentry-egress-" in said
        assert int(said.split()[-1]) < 20, "the sandbox sees its own few processes only"


@pytest.mark.parametrize("confined", [True, False], ids=["bubblewrap", "none"])
async def test_a_local_port_cannot_be_reached(host: Host, messages_api: MessagesApiDouble, confined: bool) -> None:
    command = f"exec 3<>/dev/tcp/127.0.0.1/{host.port} && echo connected"
    events = await bash(host, messages_api, confined, command)

    assert isinstance(events[-1], RunCompleted)
    assert ("connected" in tool_output(events)) is not confined
    assert host.accepted() is not confined


@pytest.mark.parametrize("confined", [True, False], ids=["bubblewrap", "none"])
async def test_a_process_started_in_a_session_of_its_own_does_not_outlive_the_run(
    host: Host, messages_api: MessagesApiDouble, confined: bool
) -> None:
    events = await bash(host, messages_api, confined, "setsid sleep 600 >/dev/null 2>&1 < /dev/null & echo started")

    assert isinstance(events[-1], RunCompleted) and "started" in tool_output(events)
    await asyncio.sleep(0.5)
    assert bool(sleeping(host.marker)) is not confined


async def test_the_egress_token_works_during_the_run_only_and_the_run_never_holds_the_key(
    host: Host, messages_api: MessagesApiDouble
) -> None:
    ask = 'curl -s -o /dev/null -w "%{http_code} " -H "x-api-key: $ANTHROPIC_API_KEY"'
    other_apis = f'{ask} "$ANTHROPIC_BASE_URL/v1/models"; {ask} -X POST "$ANTHROPIC_BASE_URL/v1/messages/batches"'
    counted = f'{ask} -X POST -d "{{}}" "$ANTHROPIC_BASE_URL/v1/messages/count_tokens"'
    events = await bash(host, messages_api, True, f'{other_apis}; {counted}; echo "$ANTHROPIC_API_KEY"')

    *statuses, token = tool_output(events).split()
    assert isinstance(events[-1], RunCompleted) and token.startswith("agentry-egress-")
    assert statuses == ["403", "403", "200"], "the key serves the Messages API only"
    assert {request.headers.get("x-api-key") for request in messages_api.requests} == {"test-key"}
    transport = httpx.AsyncHTTPTransport(uds=str(PROXY.socket_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        after = await client.post("/v1/messages/count_tokens", headers={"x-api-key": token}, content=b"{}")
        made_up = await client.post("/v1/messages", headers={"authorization": "Bearer agentry-egress-x"})
    assert (after.status_code, made_up.status_code) == (401, 401)
    assert after.json()["error"]["type"] == "authentication_error"
    assert len(messages_api.requests) == 3, "neither reached the upstream"


async def test_a_gateways_bearer_token_is_what_the_proxy_adds_when_the_run_has_no_api_key(
    host: Host, messages_api: MessagesApiDouble
) -> None:
    env = offline_env(messages_api, host.work.parent / "operator-home")
    del env["ANTHROPIC_API_KEY"]
    runner = ClaudeCodeRunner(
        work_dir=host.work, sandbox=sandbox(LIMITS), binary=claude_binary(), env=env | {"ANTHROPIC_AUTH_TOKEN": "gw-1"}
    )
    messages_api.enqueue(Reply(Text("Done.")))
    run = AgentRun(UUID(int=1), uuid4(), 1, "Go.", TaskOptions(model="claude-sonnet-4-6"))
    async with asyncio.timeout(RUN_LIMIT_S):
        events = [event async for event in runner.run(run)]

    assert isinstance(events[-1], RunCompleted)
    [asked] = messages_api.message_requests
    assert asked.headers["authorization"] == "Bearer gw-1" and "x-api-key" not in asked.headers
