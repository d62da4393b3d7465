"""The sandbox tests' host: what a run must not reach (another task's workspace, the database, a
local port), and a run of the real CLI made by the Messages API double to call Bash once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import AgentEvent, AgentRun, ToolReturned
from agentry.application.tasks.ports.sandbox import SandboxLimits
from agentry.domain.tasks.spec import TaskOptions
from tests.doubles.claude_cli import claude_binary, offline_env, sandbox
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text, ToolUse
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


@contextmanager
def host_in(tmp_path: Path) -> Iterator[Host]:
    """A host in a test's directory; afterwards, what an unconfined run left behind is killed."""
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


async def bash(
    host: Host, api: MessagesApiDouble, confined: bool, command: str, limits: SandboxLimits = LIMITS
) -> list[AgentEvent]:
    api.enqueue(Reply(ToolUse("Bash", {"command": command, "timeout": 60_000})), Reply(Text("Done.")))
    run = AgentRun(UUID(int=1), uuid4(), 1, "Go.", TaskOptions(model="claude-sonnet-4-6", allowed_tools=("Bash",)))
    async with asyncio.timeout(RUN_LIMIT_S):
        return [event async for event in host.runner(api, confined, limits).run(run)]


def tool_output(events: list[AgentEvent]) -> str:
    [returned] = [event for event in events if isinstance(event, ToolReturned)]
    return returned.output
