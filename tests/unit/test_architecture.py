"""The dependency rule, written as the import-linter contracts in pyproject.toml: the package keeps
them, and each kind of import they forbid is reported when a copy of the package makes one.

The second half runs the real `lint-imports` with the real configuration over a copy of `src` (as
`agentry`) and `migrations` in a temporary folder, one bad import added to the copy each time; the
copy is the `agentry` found there, because lint-imports puts its working directory first on the path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application import use_cases

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_package_keeps_every_import_contract(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The use case behind the CLI, set up as the CLI sets it up: importlinter.cli.lint_imports itself
    # would also reconfigure logging for the whole test session (its dictConfig disables every logger
    # that exists) and grow sys.path.
    configuration.configure()
    monkeypatch.chdir(ROOT)  # the report names files relative to the checkout
    kept = use_cases.lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert kept, report
    assert "BROKEN" not in report and "KEPT" in report


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A folder holding `agentry` (a copy of src) and `migrations`, as the checkout's root holds them."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "src", tmp_path / "agentry", ignore=ignore)
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations", ignore=ignore)
    return tmp_path


def add_line(root: Path, file: str, line: str) -> int:
    """Append `line` to `file` (relative to `root`); the number of its first line."""
    path = root / file
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, line]) + "\n")
    return len(lines) + 1


def lint(root: Path, contract: str) -> subprocess.CompletedProcess[str]:
    """The real lint-imports with the real configuration, over the packages in `root`, for one contract.
    The checkout joins the path after `root` only so that the contract types in tests/ are found."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "COLUMNS": "500",  # one line per import in the report
        "NO_COLOR": "1",
    }
    command = [str(LINT_IMPORTS), "--config", str(PYPROJECT), "--contract", contract, "--no-cache", "--no-logo"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False)


# (contract, file, the bad line added at its end, what the report says about it; {line} is its number)
VIOLATIONS = {
    "domain importing a third-party package": (
        "stdlib-only",
        "agentry/domain/tasks/task.py",
        "import sqlalchemy",
        "agentry/domain/tasks/task.py:{line}: agentry.domain.tasks.task imports sqlalchemy",
    ),
    "application importing a third-party package only to type-check": (
        "stdlib-only",
        "agentry/application/tasks/submit_task.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from msgspec import Struct",
        "agentry/application/tasks/submit_task.py:{line}: agentry.application.tasks.submit_task imports msgspec",
    ),
    "application importing an adapter": (
        "layers",
        "agentry/application/tasks/submit_task.py",
        "from agentry.adapters.system import clock",
        "agentry.application.tasks.submit_task -> agentry.adapters.system.clock (l.{line})",
    ),
    "domain importing the application": (
        "layers",
        "agentry/domain/projects/project.py",
        "from agentry.application import errors",
        "agentry.domain.projects.project -> agentry.application.errors (l.{line})",
    ),
    "a migration importing an entrypoint": (
        "layers",
        "migrations/env.py",
        "from agentry.entrypoints import config",
        "migrations.env -> agentry.entrypoints.config (l.{line})",
    ),
    "one domain slice importing another": (
        "domain-slices",
        "agentry/domain/tasks/task.py",
        "from agentry.domain.projects import project",
        "agentry.domain.tasks.task -> agentry.domain.projects.project (l.{line})",
    ),
    "an application slice importing another's use case": (
        "application-slices",
        "agentry/application/tasks/submit_task.py",
        "from agentry.application.projects import create_project",
        "agentry.application.tasks.submit_task -> agentry.application.projects.create_project (l.{line})",
    ),
    "a slice other than account and users re-confirming a password": (
        "application-slices",
        "agentry/application/projects/members.py",
        "from agentry.application.identity import passwords",
        "agentry.application.projects.members -> agentry.application.identity.passwords (l.{line})",
    ),
    "a SQLAlchemy slice importing another's repository": (
        "sqlalchemy-slices",
        "agentry/adapters/sqlalchemy/identity/user_repository.py",
        "from agentry.adapters.sqlalchemy.tasks import task_repository",
        "agentry.adapters.sqlalchemy.identity.user_repository -> agentry.adapters.sqlalchemy.tasks.task_repository"
        " (l.{line})",
    ),
    "one adapter technology importing another": (
        "adapter-technologies",
        "agentry/adapters/jwt/access_tokens.py",
        "from agentry.adapters.system import clock",
        "agentry.adapters.jwt.access_tokens -> agentry.adapters.system.clock (l.{line})",
    ),
    "one HTTP slice importing another": (
        "http-slices",
        "agentry/entrypoints/http/tasks/controller.py",
        "from agentry.entrypoints.http.projects import schemas",
        "agentry.entrypoints.http.tasks.controller -> agentry.entrypoints.http.projects.schemas (l.{line})",
    ),
}


@pytest.mark.parametrize(("contract", "file", "bad_line", "reported"), VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_a_forbidden_import_is_reported_with_its_file_and_line(
    package_copy: Path, contract: str, file: str, bad_line: str, reported: str
) -> None:
    line = add_line(package_copy, file, bad_line)
    line += bad_line.count("\n")  # the last line added: the import itself
    result = lint(package_copy, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert reported.format(line=line) in result.stdout, result.stdout + result.stderr


# (contract, file, a line that the rule allows, the importing module)
ALLOWED = {
    "an application slice importing another's port": (
        "application-slices",
        "agentry/application/outbox/deliver_events.py",
        "from agentry.application.tasks.ports import log_store",
        "agentry.application.outbox.deliver_events",
    ),
    "a SQLAlchemy slice querying another's tables": (
        "sqlalchemy-slices",
        "agentry/adapters/sqlalchemy/identity/new_query.py",
        "from agentry.adapters.sqlalchemy.tasks import tables",
        "agentry.adapters.sqlalchemy.identity.new_query",
    ),
}


@pytest.mark.parametrize(("contract", "file", "good_line", "importer"), ALLOWED.values(), ids=ALLOWED.keys())
def test_an_import_through_a_declared_shared_module_is_not_reported(
    package_copy: Path, contract: str, file: str, good_line: str, importer: str
) -> None:
    (package_copy / file).touch()  # or a new module, of which the report can say nothing else
    add_line(package_copy, file, good_line)
    result = lint(package_copy, contract)
    assert re.search(r"Contracts: [01] kept, [01] broken", result.stdout), result.stdout + result.stderr  # it ran
    assert importer not in result.stdout, result.stdout
