"""Which AI gateways this deployment has, and which one tasks use unless they name another.

AGENTRY_RUNNER=auto takes the Claude Code CLI when its binary is found (AGENTRY_CLAUDE_PATH, else
`claude` on PATH), else the Anthropic API when ANTHROPIC_API_KEY is set, else the scripted runner.
A runner named outright that cannot work here stops the start. Every runner that can work is
configured either way, so a task's `options.runner` may name another one. The scripted runner works
only where the operator enables it (AGENTRY_SCRIPTED_RUNNER; on by default in the embedded profile
only): its `spend` steps count as real spend.

Claude Code runs sandboxed (AGENTRY_SANDBOX=bubblewrap, the default): where the CLI is found, start-up
starts one sandbox to see that bubblewrap works here, and stops with one line if it does not.
AGENTRY_SANDBOX=none runs the CLI unconfined, and start-up says so loudly.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace

from agentry.adapters.bubblewrap.egress_proxy import EgressProxy
from agentry.adapters.bubblewrap.probe import bubblewrap_fails
from agentry.adapters.bubblewrap.sandbox import BubblewrapSandbox
from agentry.adapters.runners.anthropic_prices import DEFAULT_PRICES, ModelPrice, PriceTable
from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.claude_code import DEFAULT_BINARY, ClaudeCodeRunner
from agentry.adapters.runners.offered_tools import (
    ANTHROPIC_TOOLS,
    SCRIPTED_TOOLS,
    ClaudeCodeTools,
    FixedTools,
    RunnerToolLists,
    ToolSource,
)
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import AgentGateway, RunnerCatalog
from agentry.application.tasks.ports.sandbox import Sandbox, SandboxLimits
from agentry.domain.tasks.script import SCRIPTED_RUNNER
from agentry.entrypoints.config import ConfigError, ModelPriceSetting, Settings

CLAUDE_CODE = "claude-code"
ANTHROPIC = "anthropic"
SCRIPTED = SCRIPTED_RUNNER
_CANNOT_WORK = {
    CLAUDE_CODE: "AGENTRY_RUNNER=claude-code: the Claude Code CLI was not found; "
    "set AGENTRY_CLAUDE_PATH or put `claude` on PATH",
    ANTHROPIC: "AGENTRY_RUNNER=anthropic: ANTHROPIC_API_KEY is not set",
    SCRIPTED: "AGENTRY_RUNNER=scripted: the scripted runner is off (AGENTRY_SCRIPTED_RUNNER is false, "
    "as it is by default in the production profile); set AGENTRY_SCRIPTED_RUNNER=true to enable it",
}
_NOTHING_WORKS = (
    "AGENTRY_RUNNER=auto: no runner can work here: no Claude Code CLI (AGENTRY_CLAUDE_PATH, or `claude` on PATH), "
    "no ANTHROPIC_API_KEY, and the scripted runner is off (AGENTRY_SCRIPTED_RUNNER)"
)


@dataclass(frozen=True, slots=True)
class RunnerChoice:
    default: str
    available: tuple[str, ...]
    reason: str
    claude_binary: str | None = None
    unconfined: bool = False
    """Claude Code runs without a sandbox (AGENTRY_SANDBOX=none)."""

    def describe(self) -> str:
        """The start-up line: which runner tasks use, why, and what else they may name."""
        others = [name for name in self.available if name != self.default]
        also = f"; tasks may also name {', '.join(others)}" if others else ""
        unconfined = (
            "; AGENTRY_SANDBOX=none: Claude Code agents run UNCONFINED, with the worker's user, files and network"
            if self.unconfined
            else ""
        )
        return f"AI gateway: {self.default} ({self.reason}){also}{unconfined}"


def choose_runner(
    requested: str, claude_binary: str | None, api_key_set: bool, *, scripted: bool = True
) -> RunnerChoice:
    """The runners that can work here, in auto's order of preference, and the default among them."""
    works = {CLAUDE_CODE: claude_binary is not None, ANTHROPIC: api_key_set, SCRIPTED: scripted}
    available = tuple(name for name, ok in works.items() if ok)
    if requested != "auto":
        if requested not in available:
            raise ConfigError(_CANNOT_WORK[requested])
        return RunnerChoice(requested, available, f"AGENTRY_RUNNER={requested}", claude_binary)
    if not available:
        raise ConfigError(_NOTHING_WORKS)
    default = available[0]
    reason = {
        CLAUDE_CODE: f"AGENTRY_RUNNER=auto found the Claude Code CLI at {claude_binary}",
        ANTHROPIC: "AGENTRY_RUNNER=auto found no Claude Code CLI, and ANTHROPIC_API_KEY is set",
        SCRIPTED: "AGENTRY_RUNNER=auto found no Claude Code CLI (AGENTRY_CLAUDE_PATH, or `claude` on PATH) "
        "and no ANTHROPIC_API_KEY; no model is called",
    }[default]
    return RunnerChoice(default, available, reason, claude_binary)


def locate_claude(path: str | None) -> str | None:
    """The CLI's absolute path (runs start in task directories); a named one must be there."""
    if path is None:
        found = shutil.which(DEFAULT_BINARY)
        return None if found is None else os.path.abspath(found)
    named = shutil.which(path)
    if named is None:
        raise ConfigError(f"AGENTRY_CLAUDE_PATH={path!r}: no executable file there")
    return os.path.abspath(named)


def configured_runners(settings: Settings) -> RunnerChoice:
    choice = choose_runner(
        settings.runner,
        locate_claude(settings.claude_path),
        settings.anthropic_api_key is not None,
        scripted=settings.scripted_runner_enabled,
    )
    if choice.claude_binary is None:
        return choice
    if settings.sandbox == "none":
        return replace(choice, unconfined=True)
    failure = bubblewrap_fails(settings.bwrap_path)
    if failure is not None:
        raise ConfigError(
            f"AGENTRY_SANDBOX=bubblewrap: the Claude Code runner's sandbox cannot start here ({failure}); "
            "install bubblewrap and allow user namespaces, or set AGENTRY_SANDBOX=none to run agents unconfined"
        )
    return choice


def sandbox_of(settings: Settings) -> Sandbox:
    if settings.sandbox == "none":
        return UnconfinedSandbox()
    limits = SandboxLimits(
        memory_mib=settings.sandbox_memory_mib,
        processes=settings.sandbox_processes,
        cpu_s=settings.sandbox_cpu_s,
        file_size_mib=settings.sandbox_file_size_mib,
        workspace_mib=settings.sandbox_workspace_mib,
    )
    proxy = EgressProxy(allow_private=settings.egress_allow_private, max_connections=settings.egress_max_connections)
    return BubblewrapSandbox(binary=settings.bwrap_path, limits=limits, proxy=proxy)


def runner_catalog(settings: Settings, choice: RunnerChoice) -> StaticRunnerCatalog:
    """The runners of the choice. Those that run no tools (scripted, anthropic) are confined; Claude Code
    is when it runs in the sandbox: only confined runners may take bypassPermissions."""
    runners: dict[str, AgentGateway] = {}
    confined = {SCRIPTED, ANTHROPIC}
    if SCRIPTED in choice.available:
        runners[SCRIPTED] = ScriptedRunner(output_max_bytes=settings.result_max_bytes)
    if choice.claude_binary is not None:
        gateway = {"ANTHROPIC_API_KEY": settings.anthropic_api_key, "ANTHROPIC_BASE_URL": settings.anthropic_base_url}
        claude_code = ClaudeCodeRunner(
            work_dir=settings.work_directory,
            sandbox=sandbox_of(settings),
            binary=choice.claude_binary,
            env={name: value for name, value in gateway.items() if value} | settings.claude_env,
            grace_s=settings.claude_grace_s,
        )
        runners[CLAUDE_CODE] = claude_code
        if claude_code.confined:
            confined.add(CLAUDE_CODE)
    if settings.anthropic_api_key is not None:
        # imported only where it is used: the SDK more than doubles a process's live objects, and
        # every full garbage collection walks them all
        from agentry.adapters.runners.anthropic_api import AnthropicRunner

        runners[ANTHROPIC] = AnthropicRunner(
            api_key=settings.anthropic_api_key,
            base_url=settings.anthropic_base_url,
            model=settings.anthropic_model,
            max_tokens=settings.anthropic_max_tokens,
            prices=price_table(settings.anthropic_prices),
        )
    return StaticRunnerCatalog(runners, default=choice.default, confined=confined)


def runner_tool_lists(catalog: RunnerCatalog) -> RunnerToolLists:
    """Where each runner's tools are learnt: Claude Code's from its CLI, the others' fixed lists."""
    sources: dict[str, ToolSource] = {}
    for name in catalog.names:
        gateway = catalog.get(name)
        if isinstance(gateway, ClaudeCodeRunner):
            sources[name] = ClaudeCodeTools(gateway.binary, gateway.environment)
        elif name == ANTHROPIC:
            sources[name] = FixedTools(ANTHROPIC_TOOLS)
        elif name == SCRIPTED:
            sources[name] = FixedTools(SCRIPTED_TOOLS)
    return RunnerToolLists(sources)


def price_table(overrides: dict[str, ModelPriceSetting]) -> PriceTable:
    """The built-in prices, with the configured ones added or put in their place."""
    configured = {
        model: ModelPrice(price.input, price.output, price.cache_write, price.cache_read)
        for model, price in overrides.items()
    }
    return PriceTable({**DEFAULT_PRICES.models, **configured})
