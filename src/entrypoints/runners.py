"""Which AI gateways this deployment has, and which one tasks use unless they name another.

AGENTRY_RUNNER=auto takes the Claude Code CLI when its binary is found (AGENTRY_CLAUDE_PATH, else
`claude` on PATH), else the Anthropic API when ANTHROPIC_API_KEY is set, else the scripted runner.
A runner named outright that cannot work here stops the start. Every runner that can work is
configured either way, so a task's `options.runner` may name another one. The scripted runner works
only where the operator enables it (AGENTRY_SCRIPTED_RUNNER; on by default in the embedded profile
only): its `spend` steps count as real spend.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from agentry.adapters.runners.anthropic_prices import DEFAULT_PRICES, ModelPrice, PriceTable
from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.claude_code import DEFAULT_BINARY, ClaudeCodeRunner
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.ports.agent_gateway import AgentGateway
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
# Whether Claude Code runs in the sandbox. Until the sandbox is wired in, it does not: its tasks may not
# use bypassPermissions. The runners that run no tools (scripted, anthropic) are confined anyway.
CLAUDE_CODE_SANDBOXED = False


@dataclass(frozen=True, slots=True)
class RunnerChoice:
    default: str
    available: tuple[str, ...]
    reason: str
    claude_binary: str | None = None

    def describe(self) -> str:
        """The start-up line: which runner tasks use, why, and what else they may name."""
        others = [name for name in self.available if name != self.default]
        also = f"; tasks may also name {', '.join(others)}" if others else ""
        return f"AI gateway: {self.default} ({self.reason}){also}"


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
    return choose_runner(
        settings.runner,
        locate_claude(settings.claude_path),
        settings.anthropic_api_key is not None,
        scripted=settings.scripted_runner_enabled,
    )


def runner_catalog(
    settings: Settings, choice: RunnerChoice, *, claude_code_sandboxed: bool = CLAUDE_CODE_SANDBOXED
) -> StaticRunnerCatalog:
    """The runners of the choice; `claude_code_sandboxed`: whether Claude Code runs in the sandbox (and
    so counts as confined, where bypassPermissions is allowed)."""
    runners: dict[str, AgentGateway] = {}
    if SCRIPTED in choice.available:
        runners[SCRIPTED] = ScriptedRunner(output_max_bytes=settings.result_max_bytes)
    if choice.claude_binary is not None:
        gateway = {"ANTHROPIC_API_KEY": settings.anthropic_api_key, "ANTHROPIC_BASE_URL": settings.anthropic_base_url}
        runners[CLAUDE_CODE] = ClaudeCodeRunner(
            work_dir=settings.work_directory,
            binary=choice.claude_binary,
            env={name: value for name, value in gateway.items() if value} | settings.claude_env,
            grace_s=settings.claude_grace_s,
        )
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
    confined = {SCRIPTED, ANTHROPIC} | ({CLAUDE_CODE} if claude_code_sandboxed else set())
    return StaticRunnerCatalog(runners, default=choice.default, confined=confined)


def price_table(overrides: dict[str, ModelPriceSetting]) -> PriceTable:
    """The built-in prices, with the configured ones added or put in their place."""
    configured = {
        model: ModelPrice(price.input, price.output, price.cache_write, price.cache_read)
        for model, price in overrides.items()
    }
    return PriceTable({**DEFAULT_PRICES.models, **configured})
