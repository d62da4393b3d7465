"""The Claude Code CLI as an AI gateway: one `claude -p` process per run, its stream-json read as events.

Each task works in its own directory, `<work_dir>/<task id>`, made on first use and kept afterwards, so
what the agent wrote can be looked at and an attempt again finds what the one before left. A follow-up
resumes its session with `--resume` (the CLI finds a session by id from any directory) and works in
the directory of its chain's first task, so it sees the files the session left there.

The prompt goes in on stdin rather than as an argument: no size limit of the command line applies,
a prompt that starts with a dash is not read as an option, and other users' `ps` does not show it.

The process starts through the sandbox port (the command it gets back, e.g. bwrap's), in a process
group of its own, with a small environment: the variables a program needs to run (PATH, HOME, locale,
proxies), the switches that keep the CLI from phoning home or updating itself, then the configured
extra variables (API key, base URL) over both; the sandbox keeps what it allows of it. Each
workspace has a HOME of its own under `<work_dir>/.homes`, which a sandbox gives the run. Closing the
event stream, the way cancel and the watchdogs stop a run, sends the group SIGTERM, then SIGKILL
after a grace period, and waits: no process of the run is left behind (in bubblewrap, SIGTERM ends
bwrap, and the kernel then the whole sandbox). A run that reaches a limit of its sandbox is stopped
the same way and fails with `sandbox_limit`.

The CLI retries a failing API call itself before it gives up; set CLAUDE_CODE_MAX_RETRIES in the
extra environment to change how often. Run as root (unconfined), it refuses the bypassPermissions mode
(the run fails with its stderr) unless the extra environment declares a sandbox with IS_SANDBOX=1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from pathlib import Path

from agentry.adapters.runners.claude_stream import ClaudeStreamParser
from agentry.adapters.runners.process_group import exit_code_of, stop_group
from agentry.adapters.runners.tools import tool_names
from agentry.application.tasks.ports.agent_gateway import (
    TERMINAL_EVENTS,
    AgentEvent,
    AgentRun,
    NetworkUse,
    RunFailed,
    StderrLine,
)
from agentry.application.tasks.ports.sandbox import Confinement, Sandbox, SandboxRequest
from agentry.domain.permission_modes import PermissionMode

DEFAULT_BINARY = "claude"
DEFAULT_GRACE_S = 5.0
LINE_LIMIT = 16 * 1024 * 1024
"""The longest stdout line read whole; a tool result may carry a large file."""
NOTE_MAX = 2_000
NOTES_MAX = 500
STDERR_TAIL = 20
INHERITED = (
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
)  # fmt: skip
QUIET = {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1", "DISABLE_TELEMETRY": "1"}

HOMES = ".homes"
"""Under the work directory: each workspace's own HOME, for a sandboxed run (never a task's id)."""

_STDOUT, _STDERR, _LIMIT, _NETWORK = "stdout", "stderr", "limit", "network"
_Line = tuple[str, bytes | NetworkUse | None]


class ClaudeCodeRunner:
    needs_history = False  # the CLI resumes its own session

    def __init__(
        self,
        *,
        work_dir: Path,
        sandbox: Sandbox,
        binary: str = DEFAULT_BINARY,
        env: Mapping[str, str] | None = None,
        grace_s: float = DEFAULT_GRACE_S,
        append_system_prompt: str | None = None,
        max_budget_usd: float | None = None,
    ) -> None:
        self._work_dir = work_dir
        self._sandbox = sandbox
        self._binary = binary
        inherited = {name: os.environ[name] for name in INHERITED if name in os.environ}
        self._env = {**inherited, **QUIET, **(env or {})}
        self._grace_s = grace_s
        self._append_system_prompt = append_system_prompt
        self._max_budget_usd = max_budget_usd

    def command(self, request: AgentRun) -> list[str]:
        """The command line of a run: the task's options; this runner's own settings where the task sets none."""
        options = request.options
        args = [self._binary, "-p", "--output-format", "stream-json", "--verbose"]
        if options.model:
            args += ["--model", options.model]
        if options.max_turns is not None:
            args += ["--max-turns", str(options.max_turns)]
        if request.tools is not None:  # only the tools its project allows exist for the agent
            args += ["--tools", ",".join(tool_names(request.tools))]
        allowed = request.tools if request.tools is not None else options.allowed_tools
        if allowed:
            args += ["--allowedTools", ",".join(allowed)]
        if options.permission_mode is not PermissionMode.DEFAULT:
            args += ["--permission-mode", options.permission_mode.value]
        if request.resume_session_id:
            args += ["--resume", request.resume_session_id]
        system_prompt = options.append_system_prompt or self._append_system_prompt
        if system_prompt:
            args += ["--append-system-prompt", system_prompt]
        budget = options.max_budget_usd if options.max_budget_usd is not None else self._max_budget_usd
        if budget is not None:
            args += ["--max-budget-usd", f"{budget:g}"]
        return args

    @property
    def binary(self) -> str:
        return self._binary

    @property
    def environment(self) -> Mapping[str, str]:
        """What its runs' environment starts from (before the sandbox's changes)."""
        return self._env

    @property
    def confined(self) -> bool:
        """Whether its runs are sandboxed."""
        return self._sandbox.confined

    def directory_of(self, request: AgentRun) -> Path:
        return self._work_dir / str(request.workspace_id or request.task_id)

    def home_of(self, request: AgentRun) -> Path:
        return self._work_dir / HOMES / str(request.workspace_id or request.task_id)

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        directory = self.directory_of(request)
        if shutil.which(self._binary) is None:
            yield RunFailed("runner_unavailable", f"the Claude Code CLI could not start: no executable {self._binary}")
            return
        try:
            _make_private(self._work_dir, directory, self._work_dir / HOMES, self.home_of(request))
        except OSError as error:
            yield RunFailed("runner_unavailable", f"the task's directory could not be made: {error}")
            return
        confining = SandboxRequest(
            self.command(request), directory, self.home_of(request), self._env, str(request.execution_id), request.hosts
        )
        async with (
            self._sandbox.confine(confining) as confinement,
            contextlib.aclosing(self._run(confinement, directory, request.prompt)) as events,
        ):
            async for event in events:
                yield event

    async def _run(self, confinement: Confinement, directory: Path, prompt: str) -> AsyncGenerator[AgentEvent]:
        try:
            process = await asyncio.create_subprocess_exec(
                *confinement.command,
                cwd=directory,
                env=dict(confinement.env),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
                limit=LINE_LIMIT,
            )
        except OSError as error:
            yield RunFailed("runner_unavailable", f"the Claude Code CLI could not start ({self._binary}): {error}")
            return
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        lines: asyncio.Queue[_Line] = asyncio.Queue()
        helpers = [
            asyncio.create_task(_feed(process.stdin, prompt)),
            asyncio.create_task(_pump(_STDOUT, process.stdout, lines)),
            asyncio.create_task(_pump(_STDERR, process.stderr, lines)),
            asyncio.create_task(_watch(confinement, process.pid, lines)),
            asyncio.create_task(_network(confinement, lines)),
        ]
        parser = ClaudeStreamParser()
        notes = _Notes()
        try:
            open_streams = 2
            while open_streams and not parser.finished:
                source, raw = await lines.get()
                if isinstance(raw, NetworkUse):
                    yield raw
                    continue
                if raw is None:
                    open_streams -= 1
                    continue
                if source == _LIMIT:
                    yield RunFailed("sandbox_limit", raw.decode())
                    return
                for event in _meaning(source, raw.decode(errors="replace").rstrip("\r\n"), parser, notes):
                    yield await _unless_limit(confinement, event)
            exit_code = confinement.exit_code(await exit_code_of(process, self._grace_s))
            while not lines.empty():  # what the run reached, noted while it ended, before its ending
                if isinstance(noted := lines.get_nowait()[1], NetworkUse):
                    yield noted
            for event in parser.ending(exit_code, notes.tail):
                yield await _unless_limit(confinement, event)
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            # Shielded: a second cancel must not leave the group running half-stopped.
            await asyncio.shield(stop_group(process, self._grace_s))


async def _watch(confinement: Confinement, pid: int, lines: asyncio.Queue[_Line]) -> None:
    await lines.put((_LIMIT, (await confinement.broken_limit(pid)).encode()))


async def _network(confinement: Confinement, lines: asyncio.Queue[_Line]) -> None:
    while True:
        await lines.put((_NETWORK, await confinement.network_use()))


async def _unless_limit(confinement: Confinement, event: AgentEvent) -> AgentEvent:
    """A run's ending, unless it ran into a limit of the sandbox on the way (a write cut short)."""
    if not isinstance(event, TERMINAL_EVENTS):
        return event
    broken = await asyncio.to_thread(confinement.limit_broken_at_end)
    return event if broken is None else RunFailed("sandbox_limit", broken)


class _Notes:
    """Diagnostic lines (stderr, and stdout that is not JSON), shortened and capped so a chatty or
    broken process cannot flood the log; the last stderr lines are kept for the failure message."""

    def __init__(self) -> None:
        self.tail: deque[str] = deque(maxlen=STDERR_TAIL)
        self._count = 0

    def add(self, text: str, *, kept: bool) -> list[AgentEvent]:
        short = text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"
        if kept and short.strip():
            self.tail.append(short)
        self._count += 1
        if self._count > NOTES_MAX:
            return []
        if self._count == NOTES_MAX:
            return [StderrLine(f"{short}\n(further diagnostic lines of this run are not logged)")]
        return [StderrLine(short)]


def _meaning(source: str, text: str, parser: ClaudeStreamParser, notes: _Notes) -> list[AgentEvent]:
    """Stdout is the event stream, but a line of it that is not JSON is noted as stderr is."""
    if source == _STDERR:
        return notes.add(text, kept=True)
    events = parser.read(text)
    return notes.add(f"stdout, not JSON: {text}", kept=False) if events is None else events


async def _feed(stdin: asyncio.StreamWriter, prompt: str) -> None:
    """Write the prompt and close stdin; a process that is already gone simply does not read it. (Not
    `wait_closed`: cancelling it cancels a future of asyncio's own, which then fails loudly in a callback.)"""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        stdin.write(prompt.encode())
        await stdin.drain()
        stdin.close()


async def _pump(source: str, stream: asyncio.StreamReader, lines: asyncio.Queue[_Line]) -> None:
    """Hand each line of one stream to the run, then None at its end. A line over the limit is
    dropped (its remainder arrives as a line of its own, which is not JSON and is noted)."""
    while True:
        try:
            raw = await stream.readline()
        except ValueError:
            await lines.put((_STDERR, f"a {source} line over {LINE_LIMIT} bytes was dropped".encode()))
            continue
        if not raw:
            await lines.put((source, None))
            return
        await lines.put((source, raw))


def _make_private(*directories: Path) -> None:
    """The work directory and each task's directory are the service user's alone (0700), also those an
    older version made with the usual 0755."""
    for directory in directories:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            directory.chmod(0o700)
