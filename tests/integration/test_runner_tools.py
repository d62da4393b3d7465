"""The tools the Claude Code runner offers, read with the real CLI (pointed at the Messages API double)
from the `system`/`init` event it prints: no model is called to learn them, the list is asked once per
CLI version, and a CLI that prints no init event is an error naming why, not a crash."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.runners.offered_tools import SCRIPTED_TOOLS, ClaudeCodeTools
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.chat.ports import ToolsUnknown
from agentry.entrypoints.runners import CLAUDE_CODE, SCRIPTED, runner_tool_lists
from tests.doubles.claude_cli import CLAUDE_CODE_VERSION, claude_binary, offline_env, sandbox
from tests.doubles.messages_api import MessagesApiDouble


def wrapper(path: Path, body: str) -> str:
    """A CLI of its own for the test: a script that may be rewritten (an "upgrade") without touching
    the real one the other tests use."""
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


async def test_claude_code_s_tools_come_from_its_init_event_without_a_model_call_once_per_version(
    messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    real = claude_binary()
    binary = wrapper(tmp_path / "claude", f'exec "{real}" "$@"')
    runner = ClaudeCodeRunner(
        work_dir=tmp_path / "work", sandbox=sandbox(), binary=binary, env=offline_env(messages_api, tmp_path / "home")
    )
    lists = runner_tool_lists(StaticRunnerCatalog({CLAUDE_CODE: runner, SCRIPTED: ScriptedRunner()}, CLAUDE_CODE))

    async with asyncio.timeout(60):
        offered = await lists.offered(CLAUDE_CODE)
        assert (offered.source, offered.version) == ("init_event", CLAUDE_CODE_VERSION)
        assert {"Bash", "Read", "Edit", "Write"} <= set(offered.tools)
        assert messages_api.requests == [], "no model was called to learn the tools"
        again = await asyncio.gather(*(lists.offered(CLAUDE_CODE) for _ in range(3)))
        assert again == [offered] * 3
        scripted = await lists.offered(SCRIPTED)
        assert (scripted.tools, scripted.source) == (SCRIPTED_TOOLS, "fixed")

        source = ClaudeCodeTools(binary, runner.environment)
        await source.offered()
        await source.offered()
        assert source.asked == 1, "asked once while the CLI stays the same"
        wrapper(tmp_path / "claude", f'# upgraded\nexec "{real}" "$@"')
        assert await source.offered() == offered
        assert source.asked == 2, "a changed CLI is asked again"
    assert messages_api.requests == []


async def test_a_cli_that_prints_no_init_event_or_is_missing_is_an_error_naming_why(tmp_path: Path) -> None:
    broken = ClaudeCodeTools(wrapper(tmp_path / "broken", 'echo "cannot start: no licence" >&2; exit 3'), {})
    with pytest.raises(ToolsUnknown, match=r"exit 3\) with no init event: cannot start: no licence"):
        await broken.offered()
    hanging = ClaudeCodeTools(wrapper(tmp_path / "hanging", "exec sleep 30"), {}, timeout_s=0.5)
    with pytest.raises(ToolsUnknown, match=r"no init event in 0\.5 s"):
        await hanging.offered()
    with pytest.raises(ToolsUnknown, match="no executable"):
        await ClaudeCodeTools(str(tmp_path / "absent"), {}).offered()
