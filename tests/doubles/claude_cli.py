"""The real Claude Code CLI, pointed at the Messages API double and cut off from everything else.

`.ci/run` installs the pinned CLI into `.tools/claude-code`; AGENTRY_CLAUDE_PATH names another binary.
A test that needs the CLI fails without it under CI=true and skips, loudly, elsewhere.

The CLI runs offline: its API calls go to the double with a made-up key, a throwaway HOME holds its
configuration and sessions (nothing of the machine's own `~/.claude` leaks in), and the runner's
defaults keep it from calling anywhere else. It retries no failed call, so an error reply is the run's
error at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentry.adapters.bubblewrap.egress_proxy import EgressProxy
from agentry.adapters.bubblewrap.sandbox import BubblewrapSandbox
from agentry.application.tasks.ports.sandbox import SandboxLimits
from tests.conftest import IN_CI
from tests.doubles.messages_api import MessagesApiDouble

CLAUDE_CODE_VERSION = "2.1.332"
INSTALL = f"npm install --prefix .tools/claude-code @anthropic-ai/claude-code@{CLAUDE_CODE_VERSION}"
ROOMY = SandboxLimits(memory_mib=4096, processes=512, cpu_s=600, file_size_mib=256, workspace_mib=1024)
"""Limits no test run comes near unless it means to."""
PROXY = EgressProxy()
"""One egress proxy for the test process, as a worker has one."""
INSTALLED = Path(__file__).resolve().parents[2] / ".tools" / "claude-code" / "node_modules" / ".bin" / "claude"


def claude_binary() -> str:
    """The CLI to test with; fails under CI=true and skips elsewhere when there is none."""
    named = os.environ.get("AGENTRY_CLAUDE_PATH")
    binary = Path(named) if named else INSTALLED
    if binary.is_file() and os.access(binary, os.X_OK):
        return str(binary)
    where = f"AGENTRY_CLAUDE_PATH={named}" if named else str(INSTALLED)
    message = f"the Claude Code CLI is not installed at {where}"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it (.ci/run installs it)", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {message}; install it with `{INSTALL}` (from the repository root)")


def offline_env(api: MessagesApiDouble, home: Path) -> dict[str, str]:
    """The extra environment that sends the CLI to the double and nowhere else."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(home / ".claude"),
        "ANTHROPIC_BASE_URL": api.base_url,
        "ANTHROPIC_API_KEY": "test-key",
        "CLAUDE_CODE_MAX_RETRIES": "0",
    }


def sandbox(limits: SandboxLimits = ROOMY) -> BubblewrapSandbox:
    """The sandbox runs get by default, as the worker makes it."""
    return BubblewrapSandbox(binary="bwrap", limits=limits, proxy=PROXY)
