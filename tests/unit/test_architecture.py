"""The dependency rule, checked on the source: domain ← application ← adapters ← entrypoints.

domain imports only the standard library and itself; application adds the domain; adapters may
use any library but never entrypoints; only entrypoints see everything.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
LAYERS = ("domain", "application", "adapters", "entrypoints")
ALLOWED_OURS = {
    "domain": {"domain"},
    "application": {"domain", "application"},
    "adapters": {"domain", "application", "adapters"},
    "entrypoints": set(LAYERS),
}
STDLIB_ONLY = {"domain", "application"}


def imported_modules(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(src: Path) -> list[str]:
    problems = []
    for layer in LAYERS:
        for path in sorted((src / layer).rglob("*.py")):
            for line, module in imported_modules(path.read_text()):
                top = module.split(".")[0]
                where = f"{path.relative_to(src)}:{line} imports {module}"
                if top in LAYERS and top not in ALLOWED_OURS[layer]:
                    problems.append(f"{where} ({layer} may not depend on {top})")
                elif top not in LAYERS and layer in STDLIB_ONLY and top not in sys.stdlib_module_names:
                    problems.append(f"{where} ({layer} may use only the standard library)")
    return problems


def test_the_source_tree_keeps_the_dependency_rule() -> None:
    assert violations(SRC) == []


@pytest.mark.parametrize(
    ("layer", "line"),
    [
        ("domain", "from application.errors import NotFound"),
        ("domain", "import sqlalchemy"),
        ("application", "from adapters.system.clock import SystemClock"),
        ("application", "from litestar import Litestar"),
        ("adapters", "from entrypoints.config import Settings"),
    ],
)
def test_a_wrong_import_is_caught(tmp_path: Path, layer: str, line: str) -> None:
    for name in LAYERS:
        (tmp_path / name).mkdir()
    (tmp_path / layer / "bad.py").write_text(f"{line}\n")
    assert len(violations(tmp_path)) == 1


def test_imports_that_follow_the_rule_pass(tmp_path: Path) -> None:
    for name in LAYERS:
        (tmp_path / name).mkdir()
    (tmp_path / "application" / "ok.py").write_text("import asyncio\nfrom domain.tasks import AgentTask\n")
    (tmp_path / "adapters" / "ok.py").write_text("import sqlalchemy\nfrom application.errors import NotFound\n")
    (tmp_path / "entrypoints" / "ok.py").write_text("from adapters.system.clock import SystemClock\n")
    assert violations(tmp_path) == []
