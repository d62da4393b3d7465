"""Hosts a project allows, reached from the bubblewrap sandbox through the egress proxy: the real Claude
Code CLI, made by the Messages API double to call Bash, runs curl with the sandbox's own proxy settings
(HTTPS_PROXY and kin). A host of the run's list is reached through a CONNECT tunnel; a host not in the
list, and a private address without the operator's allowance, are refused; each CONNECT is in the run's
events (its log).

The allowed host is a loopback test server, so the proxy needs AGENTRY_EGRESS_ALLOW_PRIVATE=true; the
sandbox is made from the settings as the worker makes it. The sandbox's NO_PROXY sends `localhost`
direct (to the sandbox's own loopback, for a server the agent starts itself), so curl is told to take
the proxy for it (`--noproxy ''`); plain HTTP inside the tunnel (`--proxytunnel`) spares the test
server a certificate."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun, NetworkUse, RunCompleted
from agentry.domain.tasks.spec import TaskOptions
from agentry.entrypoints.config import load_settings
from agentry.entrypoints.runners import sandbox_of
from tests.doubles.claude_cli import claude_binary, offline_env
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text, ToolUse
from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task
from tests.integration.sandboxed import RUN_LIMIT_S, Host, tool_output

GREETING = "hello from an allowed host"
CURL = "curl -s --noproxy '' --proxytunnel --max-time 20"


class Greeter(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = GREETING.encode()
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.paths.append(self.path)  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def allowed_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Greeter)
    server.paths = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


async def bash_with_hosts(
    host: Host, api: MessagesApiDouble, allow_private: bool, hosts: tuple[str, ...], command: str
) -> list[AgentEvent]:
    api.enqueue(Reply(ToolUse("Bash", {"command": command, "timeout": 60_000})), Reply(Text("Done.")))
    env = offline_env(api, host.work.parent / "operator-home")
    sandbox = sandbox_of(load_settings({"AGENTRY_EGRESS_ALLOW_PRIVATE": str(allow_private).lower()}))
    runner = ClaudeCodeRunner(work_dir=host.work, sandbox=sandbox, binary=claude_binary(), env=env, grace_s=3.0)
    options = TaskOptions(model="claude-sonnet-4-6", allowed_tools=("Bash",))
    run = AgentRun(UUID(int=1), uuid4(), 1, "Go.", options, hosts=hosts)
    async with asyncio.timeout(RUN_LIMIT_S):
        return [event async for event in runner.run(run)]


def network(events: list[AgentEvent]) -> list[NetworkUse]:
    return [event for event in events if isinstance(event, NetworkUse)]


async def test_an_allowed_host_is_reached_and_one_not_in_the_list_is_refused(
    host: Host, messages_api: MessagesApiDouble, allowed_server: ThreadingHTTPServer
) -> None:
    port = allowed_server.server_address[1]
    reach = f"{CURL} -w ' connect=%{{http_connect}}\\n' http://localhost:{port}/from-the-sandbox"
    elsewhere = f"{CURL} -o /dev/null -w 'connect=%{{http_connect}}\\n' http://example.org/"
    events = await bash_with_hosts(host, messages_api, True, (f"localhost:{port}",), f"{reach}; {elsewhere}")

    said = tool_output(events)
    assert isinstance(events[-1], RunCompleted)
    assert f"{GREETING} connect=200" in said, said
    assert said.rstrip().endswith("connect=403"), said
    assert allowed_server.paths == ["/from-the-sandbox"]  # type: ignore[attr-defined]
    used = network(events)
    assert [(u.host, u.port, u.allowed) for u in used] == [
        ("localhost", port, True),
        ("localhost", port, True),
        ("example.org", 80, False),
    ], used
    assert "tunnel to 127.0.0.1 opened" in used[0].message
    assert used[1].sent and used[1].received and used[1].received > len(GREETING), "the bytes each way"
    assert "not among the project's allowed hosts" in used[2].message


async def test_a_private_address_is_refused_without_the_operators_allowance(
    host: Host, messages_api: MessagesApiDouble, allowed_server: ThreadingHTTPServer
) -> None:
    port = allowed_server.server_address[1]
    reach = f"{CURL} -o /dev/null -w 'connect=%{{http_connect}}\\n' http://localhost:{port}/"
    events = await bash_with_hosts(host, messages_api, False, (f"localhost:{port}",), reach)

    assert isinstance(events[-1], RunCompleted)
    assert tool_output(events).strip().endswith("connect=403")  # (curl exits 56: the tunnel failed)
    assert allowed_server.paths == []  # type: ignore[attr-defined]
    [refused] = network(events)
    assert not refused.allowed and "a loopback address" in refused.message


async def test_the_sandboxs_proxy_settings_name_the_relay_with_the_runs_token(
    host: Host, messages_api: MessagesApiDouble
) -> None:
    command = 'echo "$HTTPS_PROXY $https_proxy $NO_PROXY"; echo "$ANTHROPIC_API_KEY"'
    events = await bash_with_hosts(host, messages_api, False, (), command)

    proxies, token = tool_output(events).strip().splitlines()
    assert isinstance(events[-1], RunCompleted)
    url = f"http://agentry:{token}@127.0.0.1:8377"
    assert proxies.split() == [url, url, "127.0.0.1,localhost,::1"]


async def test_the_service_lets_a_task_reach_its_projects_hosts_and_logs_what_it_reached(
    messages_api: MessagesApiDouble, allowed_server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    """End to end: the hosts set over HTTP reach the run through the worker's claim, and the task's log
    shows each CONNECT to its owner."""
    port = allowed_server.server_address[1]
    env = clean_env(
        HOME=str(tmp_path),
        ANTHROPIC_BASE_URL=messages_api.base_url,
        ANTHROPIC_API_KEY="test-key",
        AGENTRY_CLAUDE_PATH=claude_binary(),
        AGENTRY_CLAUDE_ENV=json.dumps({"CLAUDE_CODE_MAX_RETRIES": "0"}),
        AGENTRY_EGRESS_ALLOW_PRIVATE="true",
    )
    reach = f"{CURL} http://localhost:{port}/through-the-service; {CURL} -o /dev/null http://example.org/"
    messages_api.enqueue(Reply(ToolUse("Bash", {"command": reach})), Reply(Text("Done.")))
    service_port = free_port()
    base_url = f"http://127.0.0.1:{service_port}"
    with running((["serve", "--port", str(service_port)], env), cwd=tmp_path, wait_for=base_url):
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            settings = {"allowed_hosts": [f"localhost:{port}"]}
            created = await client.post("/api/v1/projects", json={"name": "Net", "slug": "net", "settings": settings})
            assert created.status_code == 201, created.text
            options = {"allowed_tools": ["Bash"], "model": "claude-sonnet-4-6"}
            body = {"title": "Reach", "prompt": "Reach.", "project_id": created.json()["id"], "options": options}
            task = await wait_for_task(client, (await submit(client, body, key="reach"))["id"], TERMINAL, within=90)
            log = (await client.get(f"/api/v1/tasks/{task['id']}/logs", params={"limit": 500})).json()["items"]

    assert task["status"] == "succeeded", task
    assert allowed_server.paths == ["/through-the-service"]  # type: ignore[attr-defined]
    network = [line for line in log if "network" in line["data"]]
    assert [(n["data"]["network"]["host"], n["data"]["network"]["allowed"], n["level"]) for n in network] == [
        ("localhost", True, "info"),
        ("localhost", True, "info"),
        ("example.org", False, "warning"),
    ], network
    assert network[1]["data"]["network"]["received"] > 0
