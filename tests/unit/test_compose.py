"""The production profile's files (compose.yaml, Dockerfile) agree with the real CLI and settings.

No container is built or run: the commands are parsed by the `agentry` click tree itself, so a
renamed subcommand or option, or an AGENTRY_* variable that `Settings` does not know, fails here
instead of at `docker compose up`.
"""

from __future__ import annotations

import io
import json
import shlex
from collections.abc import Mapping
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import click
import yaml

from agentry.entrypoints.cli import main
from agentry.entrypoints.config import PREFIX, ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
DEPENDS_ON_CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def command_problems(words: list[str], root: click.Command = main) -> list[str]:
    """What is wrong with running `words` (["agentry", "migrate", "upgrade"]), according to click."""
    if not words or words[0] != "agentry":
        return [f"{words!r} does not run `agentry`"]
    command, args, path = root, list(words[1:]), ["agentry"]
    parent: click.Context | None = None
    try:
        while isinstance(command, click.Group):
            if not args:
                return [f"`{' '.join(path)}` needs a subcommand"]
            with redirect_stdout(io.StringIO()):  # `--help` and `--version` print, then exit
                context = command.make_context(path[-1], args, parent=parent, resilient_parsing=False)
            # What follows the group's own options: `_protected_args` holds the subcommand word until Click 9.
            rest = [*getattr(context, "_protected_args", []), *context.args]
            if not rest:
                return [f"`{' '.join(path)}` needs a subcommand"]
            name, sub, args = command.resolve_command(context, rest)
            assert name is not None and sub is not None  # resolve_command raises when there is no such command
            command, parent = sub, context
            path.append(name)
        with redirect_stdout(io.StringIO()):
            command.make_context(path[-1], args, parent=parent, resilient_parsing=False)
    except click.exceptions.Exit:
        return [f"`{shlex.join(words)}` only prints help or a version"]
    except click.ClickException as error:
        return [f"`{shlex.join(words)}`: {error.format_message()}"]
    return []


def _words(command: Any) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def _environment(service: Mapping[str, Any]) -> dict[str, str]:
    given = service.get("environment") or {}
    if isinstance(given, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in given)
    return {str(name): "" if value is None else str(value) for name, value in given.items()}


def _unknown_settings(names: list[str], where: str) -> list[str]:
    fields = set(Settings.__struct_fields__)
    return [
        f"{where}: {name} is not a Settings field (the app refuses to start)"
        for name in names
        if name.startswith(PREFIX) and name[len(PREFIX) :].lower() not in fields
    ]


def compose_problems(compose: Mapping[str, Any], image_env: Mapping[str, str] | None = None) -> list[str]:
    """Everything in a parsed compose file that would break `docker compose up`; empty when it is sound."""
    problems = []
    if "version" in compose:
        problems.append("top-level `version:` is obsolete in the Compose Specification")
    services: Mapping[str, Any] = compose.get("services") or {}
    if not services:
        return [*problems, "no services"]
    for name, service in services.items():
        env = _environment(service)
        unknown = _unknown_settings(list(env), f"services.{name}.environment")
        problems += unknown
        if "build" in service:
            if "command" in service:
                problems += [f"services.{name}.command: {p}" for p in command_problems(_words(service["command"]))]
            if not unknown:
                try:
                    load_settings({**(image_env or {}), **env})
                except ConfigError as error:
                    problems.append(f"services.{name}.environment: {error}")
        depends_on = service.get("depends_on") or {}
        needs = {dep: {} for dep in depends_on} if isinstance(depends_on, list) else depends_on
        for dep, how in needs.items():
            if dep not in services:
                problems.append(f"services.{name}.depends_on: no service named {dep!r}")
                continue
            condition = (how or {}).get("condition", "service_started")
            if condition not in DEPENDS_ON_CONDITIONS:
                problems.append(f"services.{name}.depends_on.{dep}: unknown condition {condition!r}")
            if condition == "service_healthy" and "healthcheck" not in services[dep]:
                problems.append(f"services.{name}.depends_on.{dep}: waits for health, but {dep} has no healthcheck")
    worker = services.get("worker") or {}
    problems += [
        f"services.worker.{key}: prevents `--scale worker=N`" for key in ("container_name", "ports") if key in worker
    ]
    return problems


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):  # also inside a continuation, where docker skips them too
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _exec_form(arguments: str) -> list[str]:
    try:
        words = json.loads(arguments)
    except json.JSONDecodeError:
        return shlex.split(arguments)
    return [str(word) for word in words] if isinstance(words, list) else [str(words)]


def _copy_sources(arguments: str) -> list[str]:
    """`COPY [--chown=...] a b/ dest` -> ["a", "b"] (the last word is the destination)."""
    words = [word for word in _exec_form(arguments) if not word.startswith("--")]
    return [word.removeprefix("./").rstrip("/") or "." for word in words[:-1]]


def dockerfile_env(text: str) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, arguments in dockerfile_instructions(text):
        if keyword == "ENV":
            env |= dict(word.split("=", 1) for word in shlex.split(arguments) if "=" in word)
    return env


def dockerfile_stages(text: str) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage (a FROM starts one), in order."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in dockerfile_instructions(text):
        if keyword == "FROM" or not stages:
            stages.append([])
        stages[-1].append((keyword, arguments))
    return stages


def dockerfile_problems(text: str) -> list[str]:
    stages = dockerfile_stages(text)
    instructions = [instruction for stage in stages for instruction in stage]
    runtime = dict(stages[-1]) if stages else {}  # the last stage is the image; its last instructions win
    problems = []
    default = _exec_form(runtime.get("ENTRYPOINT", "[]")) + _exec_form(runtime.get("CMD", "[]"))
    problems += [f"CMD/ENTRYPOINT: {p}" for p in command_problems(default)]
    problems += _unknown_settings(list(dockerfile_env(text)), "ENV")
    copied = {source for keyword, arguments in instructions if keyword == "COPY" for source in _copy_sources(arguments)}
    problems += [f"the image does not COPY {part}/" for part in ("src", "migrations") if not copied & {part, "."}]
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    if not any("uv build --wheel" in run for run in runs):
        problems.append("the project is not built as a wheel (`uv build --wheel`)")
    if any("-e ." in run or "--editable" in run for run in runs) or any(
        "uv sync" in run and "--no-install-project" not in run for run in runs
    ):
        problems.append("the project is installed editable: the image must run the wheel, not the sources")
    if len(stages) < 2 or not any(keyword == "COPY" and "--from=" in args for keyword, args in stages[-1]):
        problems.append("the runtime stage does not copy the built environment from a build stage")
    if runtime.get("USER", "root").split(":")[0] in ("root", "0"):
        problems.append("the image runs as root")
    return problems


def load_compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_yaml_runs_only_commands_settings_and_services_that_exist() -> None:
    assert compose_problems(load_compose(), dockerfile_env(DOCKERFILE.read_text())) == []


def test_the_migration_the_api_and_the_workers_are_built_from_this_project_and_run_agentry() -> None:
    built = {name: service for name, service in load_compose()["services"].items() if "build" in service}
    assert {"migrate", "api", "worker"} <= set(built)
    assert all(_words(service["command"])[0] == "agentry" for service in built.values())


def test_the_dockerfile_installs_the_wheel_and_runs_an_existing_subcommand_as_a_non_root_user() -> None:
    assert dockerfile_problems(DOCKERFILE.read_text()) == []


def test_a_misspelled_subcommand_is_reported() -> None:
    compose = {"services": {"api": {"build": ".", "command": ["agentry", "serv"]}}}
    problems = compose_problems(compose)
    assert len(problems) == 1
    assert "serv" in problems[0]


def test_a_misspelled_option_or_nested_subcommand_is_reported() -> None:
    assert command_problems(["agentry", "worker", "--proceses", "2"]) != []
    assert command_problems(["agentry", "worker", "--processes", "0"]) != []
    assert command_problems(["agentry", "migrate", "upgrayed"]) != []
    assert command_problems(["agentry", "migrate"]) != []
    assert command_problems(["python", "-m", "agentry"]) != []
    assert command_problems(["agentry", "migrate", "upgrade", "head"]) == []


def test_an_unknown_setting_a_missing_service_and_an_unready_dependency_are_reported() -> None:
    compose = {
        "services": {
            "db": {"image": "postgres"},
            "api": {
                "build": ".",
                "command": ["agentry", "serve"],
                "environment": ["AGENTRY_PROFILE=production", "AGENTRY_DATABSE_URL=postgresql://db/agentry"],
                "depends_on": ["cache"],
            },
            "worker": {
                "build": ".",
                "command": "agentry worker",
                "depends_on": {"db": {"condition": "service_healthy"}},
            },
        }
    }
    problems = "\n".join(compose_problems(compose))
    assert "AGENTRY_DATABSE_URL" in problems
    assert "'cache'" in problems
    assert "db has no healthcheck" in problems


def test_a_production_service_without_its_required_urls_is_reported() -> None:
    compose = {
        "services": {
            "api": {"build": ".", "command": ["agentry", "serve"], "environment": {"AGENTRY_PROFILE": "production"}}
        }
    }
    assert any("AGENTRY_DATABASE_URL" in problem for problem in compose_problems(compose))


def test_a_dockerfile_that_misses_the_migrations_or_runs_a_wrong_command_is_reported() -> None:
    broken = (
        "FROM python:3.11-slim\n"
        "COPY src/ ./src/\n"
        "RUN uv sync --frozen \\\n"
        "    --no-dev\n"
        "USER app\n"
        'CMD ["agentry", "server"]\n'
    )
    problems = "\n".join(dockerfile_problems(broken))
    assert "migrations" in problems
    assert "server" in problems
    assert "wheel" in problems
    assert "editable" in problems
    assert "runtime stage" in problems


def test_a_runtime_stage_left_as_root_is_reported_even_when_the_build_stage_sets_a_user() -> None:
    text = DOCKERFILE.read_text()
    build, _, runtime = text.rpartition("FROM ")
    without_user = "\n".join(line for line in runtime.splitlines() if not line.startswith("USER "))
    assert dockerfile_problems(build + "FROM " + without_user) == ["the image runs as root"]
