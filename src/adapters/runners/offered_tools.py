"""The tools each runner offers: Claude Code's own list, read from the `system`/`init` event its CLI
prints at the start of a run, and the fixed lists of the runners that have one.

Claude Code is asked with a run of no turns (`--max-turns 0`) that is stopped as soon as the CLI has
printed its init event (which it does before it calls the API). Even so the CLI would send the prompt
to the API first, so the asking run gets an API address nothing listens on and a key that is not one:
it calls no model, costs nothing, runs no tool and never sees the real key. It runs in a scratch
directory with a scratch HOME (as a task's run has a HOME of its own, so no configuration of the
machine adds tools). What it says is kept per CLI version: until the binary changes (an upgrade), the
list is not asked again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from agentry.adapters.runners.process_group import stop_group
from agentry.application.chat.ports import OfferedTools, ToolsUnknown

SCRIPTED_TOOLS = ("Bash", "Edit", "Glob", "Grep", "Read", "Write")
"""The scripted runner imitates Claude Code's tools by name (a script may name any tool); these are
the ones it lists."""
ANTHROPIC_TOOLS: tuple[str, ...] = ()
"""The Anthropic API runner declares no tools and runs none."""
NOWHERE = {"ANTHROPIC_BASE_URL": "http://127.0.0.1:1", "ANTHROPIC_API_KEY": "not-a-key", "CLAUDE_CODE_MAX_RETRIES": "0"}
"""Where the asking run's API calls go: nowhere (port 1 of this machine), with no real key."""
INIT_TIMEOUT_S = 30.0
GRACE_S = 2.0
TAIL = 5


class ToolSource(Protocol):
    async def offered(self) -> OfferedTools: ...


class FixedTools:
    def __init__(self, tools: tuple[str, ...]) -> None:
        self._offered = OfferedTools(tools, "fixed")

    async def offered(self) -> OfferedTools:
        return self._offered


class ClaudeCodeTools:
    """`binary` and `env`: the runner's own (the same CLI, the same API settings)."""

    def __init__(self, binary: str, env: Mapping[str, str], *, timeout_s: float = INIT_TIMEOUT_S) -> None:
        self._binary = binary
        self._env = dict(env)
        self._timeout_s = timeout_s
        self._known: tuple[tuple[int, int, int, str], OfferedTools] | None = None  # the binary's identity, its list
        self._lock = asyncio.Lock()
        self.asked = 0  # how often the CLI was started to ask (the cache's misses)

    async def offered(self) -> OfferedTools:
        async with self._lock:  # one question at a time; those waiting get its answer
            identity = self._identity()
            if self._known is not None and self._known[0] == identity:
                return self._known[1]
            init = await self._init_event()
            tools = init.get("tools")
            if not isinstance(tools, list) or not all(isinstance(t, str) for t in tools):
                raise ToolsUnknown("the Claude Code CLI's init event names no list of tools")
            version = init.get("claude_code_version")
            offered = OfferedTools(tuple(tools), "init_event", version if isinstance(version, str) else None)
            self._known = (identity, offered)
            return offered

    def _identity(self) -> tuple[int, int, int, str]:
        """What changes when the CLI is upgraded: the resolved file's inode, size and mtime, and its path."""
        found = shutil.which(self._binary)
        if found is None:
            raise ToolsUnknown(f"the Claude Code CLI could not start: no executable {self._binary}")
        resolved = Path(found).resolve()
        facts = resolved.stat()
        return (facts.st_ino, facts.st_size, facts.st_mtime_ns, str(resolved))

    async def _init_event(self) -> dict[str, Any]:
        self.asked += 1
        with tempfile.TemporaryDirectory(prefix="agentry-claude-tools-") as scratch:
            home = {"HOME": scratch, "CLAUDE_CONFIG_DIR": os.path.join(scratch, ".claude")}
            env = {k: v for k, v in self._env.items() if k != "ANTHROPIC_AUTH_TOKEN"} | home | NOWHERE
            command = [self._binary, "-p", "--output-format", "stream-json", "--verbose", "--max-turns", "0"]
            try:
                process = await asyncio.create_subprocess_exec(
                    *command,
                    cwd=scratch,
                    env=env,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT,
                    start_new_session=True,
                    limit=16 * 1024 * 1024,
                )
            except OSError as error:
                raise ToolsUnknown(f"the Claude Code CLI could not start ({self._binary}): {error}") from error
            try:
                async with asyncio.timeout(self._timeout_s):
                    return await _read_init(process)
            except TimeoutError:
                raise ToolsUnknown(f"the Claude Code CLI printed no init event in {self._timeout_s:g} s") from None
            finally:
                await asyncio.shield(stop_group(process, GRACE_S))


async def _read_init(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdin is not None
    assert process.stdout is not None
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        process.stdin.write(b".")  # the CLI wants a prompt; with no turns it sends it nowhere
        await process.stdin.drain()
        process.stdin.close()
    tail: list[str] = []
    while raw := await process.stdout.readline():
        text = raw.decode(errors="replace").strip()
        try:
            item = json.loads(text)
        except ValueError:
            tail = [*tail, text][-TAIL:]
            continue
        if isinstance(item, dict) and item.get("type") == "system" and item.get("subtype") == "init":
            return item
    said = f": {' | '.join(t for t in tail if t)}" if any(tail) else ""
    raise ToolsUnknown(f"the Claude Code CLI ended (exit {await process.wait()}) with no init event{said}")


class RunnerToolLists:
    """The port over a source per runner."""

    def __init__(self, sources: Mapping[str, ToolSource]) -> None:
        self._sources = dict(sources)

    async def offered(self, runner: str) -> OfferedTools:
        source = self._sources.get(runner)
        if source is None:
            raise ToolsUnknown(f"no list of tools is known for the runner {runner}")
        return await source.offered()
