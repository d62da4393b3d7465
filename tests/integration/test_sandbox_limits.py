"""The sandbox's limits, with the real Claude Code CLI made by the Messages API double to call Bash:
a run that reaches one ends `failed` with `sandbox_limit`, saying which, and nothing of it outlives
the run; unconfined, the same (bounded) calls succeed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from agentry.adapters.bubblewrap.limits import Cgroups
from agentry.application.tasks.ports.agent_gateway import RunCompleted, RunFailed
from agentry.application.tasks.ports.sandbox import SandboxLimits
from tests.doubles.claude_cli import claude_binary
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text, ToolUse
from tests.integration.conftest import clean_env, free_port, running
from tests.integration.helpers import TERMINAL, sign_in, submit, wait_for_task
from tests.integration.processes import processes_marked
from tests.integration.sandboxed import LIMITS, Host, bash, tool_output


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
    # Long sleeps, ended once counted: on a busy machine starting them all takes more than a few seconds.
    command = f"for i in $(seq {many}); do sleep 60 & done; ps -e | grep -c sleep; kill $(jobs -p); wait"
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
