"""Which runners a deployment gets from its configuration, and which one tasks use by default."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path
from typing import Literal
from uuid import UUID

import pytest

from agentry.adapters.bubblewrap.sandbox import BubblewrapSandbox
from agentry.adapters.runners.anthropic_prices import DEFAULT_PRICES, ModelPrice
from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import AgentRun
from agentry.domain.tasks.spec import TaskOptions
from agentry.entrypoints.config import ConfigError, Settings, load_settings
from agentry.entrypoints.runners import (
    choose_runner,
    configured_runners,
    locate_claude,
    price_table,
    runner_catalog,
    sandbox_of,
)

CLAUDE = "/opt/claude/bin/claude"


@pytest.mark.parametrize(
    ("claude", "key", "default", "available", "why"),
    [
        (
            CLAUDE,
            True,
            "claude-code",
            ("claude-code", "anthropic", "scripted"),
            f"found the Claude Code CLI at {CLAUDE}",
        ),
        (None, True, "anthropic", ("anthropic", "scripted"), "ANTHROPIC_API_KEY is set"),
        (None, False, "scripted", ("scripted",), "no model is called"),
    ],
)
def test_auto_prefers_the_cli_then_the_api_then_the_scripted_runner_and_says_why(
    claude: str | None, key: bool, default: str, available: tuple[str, ...], why: str
) -> None:
    choice = choose_runner("auto", claude, key)
    assert (choice.default, choice.available) == (default, available)
    assert why in choice.reason and "AGENTRY_RUNNER=auto" in choice.reason
    assert choice.describe().startswith(f"AI gateway: {default} (")


def test_a_named_runner_is_the_default_and_the_others_that_work_stay_configured() -> None:
    choice = choose_runner("scripted", CLAUDE, True)
    assert (choice.default, choice.available) == ("scripted", ("claude-code", "anthropic", "scripted"))
    assert (
        choice.describe()
        == "AI gateway: scripted (AGENTRY_RUNNER=scripted); tasks may also name claude-code, anthropic"
    )


@pytest.mark.parametrize(
    ("requested", "claude", "key", "names"),
    [("claude-code", None, True, "AGENTRY_CLAUDE_PATH"), ("anthropic", CLAUDE, False, "ANTHROPIC_API_KEY")],
)
def test_a_named_runner_that_cannot_work_here_is_a_configuration_error(
    requested: str, claude: str | None, key: bool, names: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        choose_runner(requested, claude, key)
    assert f"AGENTRY_RUNNER={requested}" in str(refused.value) and names in str(refused.value)


def executable(directory: Path, name: str = "claude") -> Path:
    path = directory / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_cli_is_found_on_path_or_where_configured_and_a_wrong_path_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = executable(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert locate_claude(None) == str(binary)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert locate_claude(None) is None
    assert locate_claude(str(binary)) == str(binary)
    with pytest.raises(ConfigError, match="AGENTRY_CLAUDE_PATH='/nowhere/claude'"):
        locate_claude("/nowhere/claude")
    (tmp_path / "plain").write_text("not executable")
    with pytest.raises(ConfigError, match="AGENTRY_CLAUDE_PATH"):
        locate_claude(str(tmp_path / "plain"))


def test_claude_code_is_sandboxed_by_default_and_unconfined_only_when_the_operator_says_so(tmp_path: Path) -> None:
    claude = {"AGENTRY_CLAUDE_PATH": str(executable(tmp_path)), "AGENTRY_WORK_DIR": str(tmp_path / "work")}
    default = load_settings(claude)
    choice = configured_runners(default)
    runner = runner_catalog(default, choice).get("claude-code")
    assert isinstance(runner, ClaudeCodeRunner) and runner.confined
    assert not choice.unconfined and "UNCONFINED" not in choice.describe()

    unconfined = load_settings(claude | {"AGENTRY_SANDBOX": "none"})
    choice = configured_runners(unconfined)
    runner = runner_catalog(unconfined, choice).get("claude-code")
    assert isinstance(runner, ClaudeCodeRunner) and not runner.confined
    assert "AGENTRY_SANDBOX=none: Claude Code agents run UNCONFINED" in choice.describe()


def test_a_sandbox_that_cannot_start_here_stops_the_start_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = tmp_path / "bwrap"
    failing.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    failing.chmod(0o755)
    claude = {"AGENTRY_CLAUDE_PATH": str(executable(tmp_path))}
    for bwrap, why in ((failing, "No permissions to create new namespace"), (tmp_path / "none", "No such file")):
        with pytest.raises(ConfigError) as refused:
            configured_runners(load_settings(claude | {"AGENTRY_BWRAP_PATH": str(bwrap)}))
        said = str(refused.value)
        assert said.startswith("AGENTRY_SANDBOX=bubblewrap: the Claude Code runner's sandbox cannot start here (")
        assert why in said and "AGENTRY_SANDBOX=none" in said and "\n" not in said
    monkeypatch.setenv("PATH", "/nonexistent")  # no CLI, no sandbox needed: the other runners start
    assert configured_runners(load_settings({"AGENTRY_BWRAP_PATH": str(failing)})).available == ("scripted",)


def test_the_catalog_holds_every_runner_that_works_with_the_gateway_settings(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "AGENTRY_CLAUDE_PATH": str(executable(tmp_path)),
            "AGENTRY_WORK_DIR": str(tmp_path / "work"),
            "AGENTRY_RUNNER": "anthropic",
            "ANTHROPIC_API_KEY": "sk-test",
            "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
            "AGENTRY_CLAUDE_ENV": '{"CLAUDE_CODE_MAX_RETRIES": "0"}',
        }
    )
    choice = configured_runners(settings)
    catalog = runner_catalog(settings, choice)

    assert catalog.names == {"claude-code", "anthropic", "scripted"} and catalog.default == "anthropic"
    claude = catalog.get("claude-code")
    assert isinstance(claude, ClaudeCodeRunner)
    assert claude.command(AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions()))[0] == str(tmp_path / "claude")
    run = AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions())
    assert claude.directory_of(run) == tmp_path / "work" / str(UUID(int=1))
    env = claude._env
    assert env["ANTHROPIC_API_KEY"] == "sk-test" and env["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:9"
    assert env["CLAUDE_CODE_MAX_RETRIES"] == "0"


def test_the_gateway_settings_keep_the_anthropic_names_without_the_prefix() -> None:
    settings = load_settings({"ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": "https://gateway.example"})
    assert (settings.anthropic_api_key, settings.anthropic_base_url) == ("sk-test", "https://gateway.example")
    assert load_settings({"ANTHROPIC_API_KEY": ""}).anthropic_api_key is None
    with pytest.raises(ConfigError, match="AGENTRY_ANTHROPIC_API_KEY: unknown setting; did you mean ANTHROPIC_API_KEY"):
        load_settings({"AGENTRY_ANTHROPIC_API_KEY": "sk-test"})
    with pytest.raises(ConfigError, match=r"^ANTHROPIC_BASE_URL='ftp://x'"):
        load_settings({"ANTHROPIC_BASE_URL": "ftp://x"})


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"AGENTRY_RUNNER": "claude"}, "AGENTRY_RUNNER"),
        ({"AGENTRY_ANTHROPIC_PRICES": "{not json"}, "AGENTRY_ANTHROPIC_PRICES: not JSON"),
        (
            {"AGENTRY_ANTHROPIC_PRICES": '{"m": {"input": -1, "output": 1, "cache_write": 1, "cache_read": 1}}'},
            "AGENTRY_ANTHROPIC_PRICES=",
        ),
        ({"AGENTRY_ANTHROPIC_PRICES": '{"m": {"input": 1}}'}, "AGENTRY_ANTHROPIC_PRICES="),
        ({"AGENTRY_CLAUDE_ENV": '["A=b"]'}, "AGENTRY_CLAUDE_ENV="),
        ({"AGENTRY_ANTHROPIC_MAX_TOKENS": "0"}, "AGENTRY_ANTHROPIC_MAX_TOKENS="),
        ({"AGENTRY_CLAUDE_GRACE_S": "0"}, "AGENTRY_CLAUDE_GRACE_S="),
        ({"AGENTRY_SANDBOX": "docker"}, "AGENTRY_SANDBOX='docker'"),
        ({"AGENTRY_SANDBOX_MEMORY_MIB": "64"}, "AGENTRY_SANDBOX_MEMORY_MIB='64'"),
        ({"AGENTRY_SANDBOX_PROCESSES": "8"}, "AGENTRY_SANDBOX_PROCESSES='8'"),
        ({"AGENTRY_SANDBOX_CPU_S": "0"}, "AGENTRY_SANDBOX_CPU_S='0'"),
    ],
)
def test_a_bad_runner_setting_is_one_line_naming_it(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(env)
    assert str(refused.value).startswith(names) and "\n" not in str(refused.value)


def test_configured_prices_are_added_to_the_built_in_ones_or_replace_them() -> None:
    settings = load_settings(
        {
            "AGENTRY_ANTHROPIC_PRICES": '{"claude-sonnet-4-6": {"input": 1, "output": 2, "cache_write": 3, '
            '"cache_read": 4}, "house-model": {"input": 0, "output": 0.5, "cache_write": 0, "cache_read": 0}}'
        }
    )
    table = price_table(settings.anthropic_prices)
    assert table.price_of("claude-sonnet-4-6") == ModelPrice(1, 2, 3, 4)
    assert table.price_of("house-model") == ModelPrice(0, 0.5, 0, 0)
    assert table.price_of("claude-haiku-4-5") == DEFAULT_PRICES.price_of("claude-haiku-4-5")


def test_task_directories_go_next_to_the_sqlite_database_unless_configured(tmp_path: Path) -> None:
    assert (
        Settings(database_url=f"sqlite:///{tmp_path}/db/agentry.db").work_directory == tmp_path / "db" / "agentry-work"
    )
    assert Settings(database_url="postgresql://db/agentry").work_directory == Path.cwd() / "agentry-work"
    assert Settings(work_dir=str(tmp_path / "w")).work_directory == tmp_path / "w"


def test_the_tasks_own_system_prompt_and_budget_win_over_the_runners(tmp_path: Path) -> None:
    runner = ClaudeCodeRunner(
        work_dir=tmp_path, sandbox=UnconfinedSandbox(), append_system_prompt="deployment", max_budget_usd=5
    )
    plain = AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions())
    own = AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions(append_system_prompt="task", max_budget_usd=0.25))

    assert runner.command(plain)[-4:] == ["--append-system-prompt", "deployment", "--max-budget-usd", "5"]
    assert runner.command(own)[-4:] == ["--append-system-prompt", "task", "--max-budget-usd", "0.25"]


def test_a_follow_up_runs_in_its_chains_workspace_and_resumes_its_session(tmp_path: Path) -> None:
    runner = ClaudeCodeRunner(work_dir=tmp_path, sandbox=UnconfinedSandbox())
    run = AgentRun(UUID(int=3), UUID(int=4), 1, "p", TaskOptions(), resume_session_id="s-1", workspace_id=UUID(int=1))

    assert runner.directory_of(run) == tmp_path / str(UUID(int=1))
    command = runner.command(run)
    assert command[command.index("--resume") + 1] == "s-1"


def test_the_anthropic_sdk_is_loaded_only_by_a_process_that_configures_its_runner() -> None:
    """The SDK more than doubles a process's live objects, which every full garbage collection walks."""
    probe = (
        "import sys, agentry.entrypoints.cli, agentry.entrypoints.runtime\n"
        "from agentry.entrypoints.config import Settings\n"
        "from agentry.entrypoints.runners import configured_runners, runner_catalog\n"
        "assert 'anthropic' not in sys.modules, 'imported at start-up'\n"
        "settings = Settings(runner='anthropic', anthropic_api_key='k')\n"
        "runner_catalog(settings, configured_runners(settings))\n"
        "assert 'anthropic' in sys.modules, 'the configured runner loads it'\n"
    )
    # It imports the whole service: 60 s ran out at load 10+.
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr


# --- the scripted runner only where the operator enables it; which runners count as confined -----------


PRODUCTION = {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://db/a"}


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, True),
        ({"AGENTRY_SCRIPTED_RUNNER": "false"}, False),
        (PRODUCTION, False),
        (PRODUCTION | {"AGENTRY_SCRIPTED_RUNNER": "1"}, True),
    ],
)
def test_the_scripted_runner_is_on_in_the_embedded_profile_and_off_in_production_unless_enabled(
    env: dict[str, str], enabled: bool
) -> None:
    assert load_settings(env).scripted_runner_enabled is enabled


def test_without_the_scripted_runner_auto_takes_what_works_and_scripted_is_not_offered() -> None:
    choice = choose_runner("auto", None, True, scripted=False)
    assert (choice.default, choice.available) == ("anthropic", ("anthropic",))
    settings = Settings(profile="production", database_url="postgresql://db/a", anthropic_api_key="k")
    catalog = runner_catalog(settings, configured_runners(settings))
    assert catalog.names == {"anthropic"}


@pytest.mark.parametrize(
    ("requested", "names"),
    [
        ("scripted", "AGENTRY_RUNNER=scripted: the scripted runner is off"),
        ("auto", "AGENTRY_RUNNER=auto: no runner can work here"),
    ],
)
def test_without_the_scripted_runner_a_deployment_with_no_other_runner_does_not_start(
    requested: str, names: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        choose_runner(requested, None, False, scripted=False)
    assert str(refused.value).startswith(names) and "AGENTRY_SCRIPTED_RUNNER" in str(refused.value)


@pytest.mark.parametrize(("sandbox", "claude_code_confined"), [("none", False), ("bubblewrap", True)])
def test_runners_that_run_no_tools_are_confined_and_claude_code_only_when_sandboxed(
    tmp_path: Path, sandbox: Literal["none", "bubblewrap"], claude_code_confined: bool
) -> None:
    settings = Settings(
        claude_path=str(executable(tmp_path)), anthropic_api_key="k", work_dir=str(tmp_path), sandbox=sandbox
    )
    catalog = runner_catalog(settings, configured_runners(settings))
    assert {name: catalog.confined(name) for name in catalog.names} == {
        "claude-code": claude_code_confined,
        "anthropic": True,
        "scripted": True,
    }


def test_a_run_whose_project_restricts_tools_gets_only_those_tools_in_claude_code(tmp_path: Path) -> None:
    runner = ClaudeCodeRunner(work_dir=tmp_path, sandbox=UnconfinedSandbox())
    tools = ("Bash(git:*)", "Bash(ls)", "Read")
    restricted = runner.command(AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions(), tools=tools))
    assert restricted[restricted.index("--tools") + 1] == "Bash,Read"
    assert restricted[restricted.index("--allowedTools") + 1] == "Bash(git:*),Bash(ls),Read"
    nothing = runner.command(AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions(), tools=()))
    assert nothing[nothing.index("--tools") + 1] == "" and "--allowedTools" not in nothing
    free = runner.command(AgentRun(UUID(int=1), UUID(int=2), 1, "p", TaskOptions(allowed_tools=("Read",))))
    assert "--tools" not in free and free[free.index("--allowedTools") + 1] == "Read"


async def test_the_container_hands_the_workers_the_configured_caps_and_runners() -> None:
    from dishka import make_async_container

    from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
    from agentry.application.tasks.run.run_settings import OutputCaps, RunSettings
    from agentry.entrypoints.di.tasks import TasksProvider

    settings = Settings(
        profile="production",
        database_url="postgresql://db/a",
        anthropic_api_key="k",
        result_max_bytes=4096,
        log_line_max_bytes=2048,
        log_lines_max=500,
    )
    container = make_async_container(TasksProvider(), context={Settings: settings}, skip_validation=True)
    try:
        assert (await container.get(RunSettings)).output == OutputCaps(4096, 2048, 500)
        assert (await container.get(RunnerCatalog)).names == {"anthropic"}
    finally:
        await container.close()


def test_the_egress_settings_reach_the_sandboxs_proxy_and_private_addresses_are_refused_by_default() -> None:
    default = sandbox_of(load_settings({}))
    allowing = sandbox_of(
        load_settings({"AGENTRY_EGRESS_ALLOW_PRIVATE": "true", "AGENTRY_EGRESS_MAX_CONNECTIONS": "3"})
    )
    assert isinstance(default, BubblewrapSandbox) and isinstance(allowing, BubblewrapSandbox)
    assert (default.proxy.allow_private, default.proxy.max_connections) == (False, 256)
    assert (allowing.proxy.allow_private, allowing.proxy.max_connections) == (True, 3)
    with pytest.raises(ConfigError):
        load_settings({"AGENTRY_EGRESS_MAX_CONNECTIONS": "0"})
