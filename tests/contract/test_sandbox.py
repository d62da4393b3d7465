"""The Sandbox contract: what a runner may count on, confined or not. The command runs in the
workspace, with the run's environment (what a runner puts there on purpose: its settings, locale),
and ends as it would have: its exit code, or the signal that killed it; a run within its limits
breaks none. What only a confining sandbox does is tests/integration/test_sandbox.py's."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.sandbox import Sandbox, SandboxRequest
from tests.doubles.claude_cli import sandbox

SANDBOXES: dict[str, Callable[[], Sandbox]] = {"bubblewrap": sandbox, "none": UnconfinedSandbox}


@pytest.fixture(params=sorted(SANDBOXES))
def chosen(request: pytest.FixtureRequest) -> Sandbox:
    return SANDBOXES[request.param]()


async def run_in(chosen: Sandbox, tmp_path: Path, script: str) -> tuple[int | None, str, str | None]:
    """The exit code as the sandbox reports it, the output, and the limit broken at the end."""
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "CLAUDE_CODE_MAX_RETRIES": "0"}
    request = SandboxRequest(["/bin/sh", "-c", script], workspace, tmp_path / "home", env, "contract-run")
    async with chosen.confine(request) as confinement:
        process = await asyncio.create_subprocess_exec(
            *confinement.command, cwd=workspace, env=dict(confinement.env), stdout=asyncio.subprocess.PIPE
        )
        output, _ = await process.communicate()
        return confinement.exit_code(process.returncode), output.decode(), confinement.limit_broken_at_end()


async def test_the_command_runs_in_the_workspace_with_the_runs_settings(chosen: Sandbox, tmp_path: Path) -> None:
    code, said, broken = await run_in(chosen, tmp_path, 'pwd; echo "$LANG $CLAUDE_CODE_MAX_RETRIES" > made.txt')

    assert (code, said.strip(), broken) == (0, str(tmp_path / "workspace"), None)
    assert (tmp_path / "workspace" / "made.txt").read_text() == "C.UTF-8 0\n"


@pytest.mark.parametrize(("script", "expected"), [("exit 3", 3), ("kill -9 $$", -9), ("kill -15 $$", -15)])
async def test_the_command_ends_as_it_would_unconfined(
    chosen: Sandbox, tmp_path: Path, script: str, expected: int
) -> None:
    code, _, _ = await run_in(chosen, tmp_path, script)
    assert code == expected


def test_a_sandbox_says_whether_it_confines() -> None:
    assert sandbox().confined and not UnconfinedSandbox().confined
