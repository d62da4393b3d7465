"""The real Claude Code CLI in the bubblewrap sandbox, made by the Messages API double to call Bash for
what an agent must never do: each is refused or stopped there, and nothing of it outlives the run.
The same calls unconfined (AGENTRY_SANDBOX=none) succeed (in a smaller, bounded form where the real
one would hurt the host), so the sandbox is what stops them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from agentry.adapters.bubblewrap.limits import Cgroups
from agentry.adapters.runners.claude_code import INHERITED, ClaudeCodeRunner
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun, RunCompleted, RunFailed, ToolReturned
from agentry.application.tasks.ports.sandbox import SandboxLimits
from agentry.domain.tasks.spec import TaskOptions
from tests.doubles.claude_cli import PROXY, claude_binary, offline_env, sandbox
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text, ToolUse
from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task
from tests.integration.processes import MARKER_VARIABLE, processes_marked

RUN_LIMIT_S = 120.0
LIMITS = SandboxLimits(memory_mib=4096, processes=128, cpu_s=600, file_size_mib=64, workspace_mib=512)
SECRET = "the other tenant's secret\n"
DATABASE = "SQLite format 3\0 the service's database\n"


@dataclass
class Host:
    """What a run must not reach: another task's workspace, the database, a local port."""

    work: Path
    other: Path
    database: Path
    listener: socket.socket
    marker: str

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def runner(self, api: MessagesApiDouble, confined: bool, limits: SandboxLimits = LIMITS) -> ClaudeCodeRunner:
        env = offline_env(api, self.work.parent / "operator-home") | {MARKER_VARIABLE: self.marker}
        chosen = sandbox(limits) if confined else UnconfinedSandbox()
        return ClaudeCodeRunner(work_dir=self.work, sandbox=chosen, binary=claude_binary(), env=env, grace_s=3.0)

    def accepted(self) -> bool:
        self.listener.setblocking(False)
        try:
            connection, _ = self.listener.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    work = tmp_path / "agentry-work"
    other = work / str(uuid4())
    other.mkdir(parents=True)
    (other / "secret.txt").write_text(SECRET)
    database = tmp_path / "agentry.db"
    database.write_text(DATABASE)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        found = Host(work, other, database, listener, uuid4().hex)
        yield found
    for pid in processes_marked(found.marker):  # what an unconfined run left behind
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def messages_api() -> Iterator[MessagesApiDouble]:
    with MessagesApiDouble() as double:
        yield double


async def bash(
    host: Host, api: MessagesApiDouble, confined: bool, command: str, limits: SandboxLimits = LIMITS
) -> list[AgentEvent]:
    api.enqueue(Reply(ToolUse("Bash", {"command": command, "timeout": 60_000})), Reply(Text("Done.")))
    run = AgentRun(UUID(int=1), uuid4(), 1, "Go.", TaskOptions(model="claude-sonnet-4-6", allowed_tools=("Bash",)))
    async with asyncio.timeout(RUN_LIMIT_S):
        return [event async for event in host.runner(api, confined, limits).run(run)]


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


def tool_output(events: list[AgentEvent]) -> str:
    [returned] = [event for event in events if isinstance(event, ToolReturned)]
    return returned.output


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


async def test_a_fork_bomb_ends_the_run_at_the_process_limit_and_leaves_nothing(
    host: Host, messages_api: MessagesApiDouble
) -> None:
    events = await bash(host, messages_api, True, "bomb() { bomb | bomb & }; bomb")

    failed = events[-1]
    assert isinstance(failed, RunFailed) and failed.code == "sandbox_limit" and not failed.retryable
    assert f"limit of {LIMITS.processes} processes" in failed.message
    assert processes_marked(host.marker) == {}


async def test_unconfined_a_run_starts_more_processes_than_the_sandbox_allows(
    host: Host, messages_api: MessagesApiDouble
) -> None:
    many = LIMITS.processes + 32
    command = f"for i in $(seq {many}); do sleep 3 & done; ps -e | grep -c sleep; wait"
    events = await bash(host, messages_api, False, command)

    assert isinstance(events[-1], RunCompleted)
    assert int(tool_output(events).split()[-1]) >= many


@pytest.mark.parametrize("confined", [True, False], ids=["bubblewrap", "none"])
async def test_a_large_write_ends_the_run_at_the_file_size_limit(
    host: Host, messages_api: MessagesApiDouble, confined: bool
) -> None:
    size = "2G" if confined else f"{LIMITS.file_size_mib + 16}M"  # unconfined, only a little past the limit
    events = await bash(host, messages_api, confined, f"head -c {size} /dev/zero > big.bin; ls -l big.bin")

    written = (host.work / str(UUID(int=1)) / "big.bin").stat().st_size
    if confined:
        failed = events[-1]
        assert isinstance(failed, RunFailed) and failed.code == "sandbox_limit"
        assert f"file size limit of {LIMITS.file_size_mib} MiB" in failed.message
        assert written == LIMITS.file_size_mib * 1024 * 1024
    else:
        assert isinstance(events[-1], RunCompleted) and written == (LIMITS.file_size_mib + 16) * 1024 * 1024


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


@pytest.mark.parametrize(
    ("limits", "command", "named"),
    [
        pytest.param(
            replace(LIMITS, workspace_mib=96),
            "for i in 1 2 3; do head -c 40M /dev/zero > part$i.bin; done; sleep 30",
            "the workspace reached the sandbox's size limit of 96 MiB",
            id="workspace",
        ),
        pytest.param(
            replace(LIMITS, cpu_s=6),
            "timeout 60 sh -c 'while :; do :; done'",
            "the sandbox's CPU time limit of 6 s was reached",
            id="cpu",
        ),
        pytest.param(
            replace(LIMITS, memory_mib=768),
            "python3 -c \"x = b'x' * (1024 << 20); import time; time.sleep(30)\"",
            "the sandbox's memory limit of 768 MiB was reached",
            id="memory",
        ),
    ],
)
async def test_a_run_that_reaches_a_limit_fails_saying_which(
    host: Host, messages_api: MessagesApiDouble, limits: SandboxLimits, command: str, named: str
) -> None:
    events = await bash(host, messages_api, True, command, limits)

    failed = events[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.message) == ("sandbox_limit", named)
    assert processes_marked(host.marker) == {}


async def test_the_service_records_a_run_that_reaches_a_limit_as_failed_with_sandbox_limit(
    messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    env = clean_env(
        HOME=str(tmp_path),
        ANTHROPIC_BASE_URL=messages_api.base_url,
        ANTHROPIC_API_KEY="test-key",
        AGENTRY_CLAUDE_PATH=claude_binary(),
        AGENTRY_CLAUDE_ENV=json.dumps({"CLAUDE_CODE_MAX_RETRIES": "0"}),
        AGENTRY_SANDBOX_FILE_SIZE_MIB="16",
    )
    messages_api.enqueue(Reply(ToolUse("Bash", {"command": "head -c 2G /dev/zero > big.bin"})), Reply(Text("Done.")))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url) as [service]:
        assert "UNCONFINED" not in service.output()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            await sign_in(client)
            options = {"allowed_tools": ["Bash"], "model": "claude-sonnet-4-6"}
            body = {"title": "Big file", "prompt": "Write a big file.", "max_attempts": 1, "options": options}
            task = await wait_for_task(client, (await submit(client, body, key="big"))["id"], TERMINAL, within=90)
            [execution] = (await client.get(f"/api/v1/tasks/{task['id']}/executions")).json()["items"]

    limit = "a file reached the sandbox's file size limit of 16 MiB"
    assert task["status"] == "failed" and task["error"] == {"code": "sandbox_limit", "message": limit}
    assert execution["status"] == "failed" and execution["error"]["code"] == "sandbox_limit"


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


@pytest.mark.parametrize(
    ("limits", "command", "named"),
    [
        pytest.param(
            LIMITS,
            f"for i in $(seq {LIMITS.processes + 32}); do sleep 20 & done; wait",
            f"the sandbox's limit of {LIMITS.processes} processes (threads included) was reached",
            id="processes",
        ),
        pytest.param(
            replace(LIMITS, memory_mib=768),
            "python3 -c \"x = b'x' * (1024 << 20); import time; time.sleep(30)\"",
            "the sandbox's memory limit of 768 MiB was reached",
            id="memory",
        ),
    ],
)
async def test_without_cgroups_the_watch_stops_a_run_at_its_process_and_memory_limits(
    host: Host,
    messages_api: MessagesApiDouble,
    monkeypatch: pytest.MonkeyPatch,
    limits: SandboxLimits,
    command: str,
    named: str,
) -> None:
    """As where the service cannot write cgroups (not root, or cgroup v2): bounded commands, as root
    is not held by RLIMIT_NPROC and only the watch stands in the way."""
    monkeypatch.setattr(Cgroups, "make", classmethod(lambda *_: None))
    events = await bash(host, messages_api, True, command, limits)

    failed = events[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.message) == ("sandbox_limit", named)
    assert processes_marked(host.marker) == {}
