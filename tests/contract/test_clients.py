"""The generated clients under clients/ are what clients/generate makes from openapi.json, and the
TypeScript types compile (clients/typescript/check.ts uses them). Both need the npm packages pinned in
clients/typescript (installed by .ci/run, or `npm ci --prefix clients/typescript`)."""

from __future__ import annotations

import filecmp
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
TOOLS = CLIENTS / "typescript" / "node_modules" / ".bin"
REGENERATE = "clients/generate"


@pytest.fixture(scope="module")
def node_tools() -> Path:
    if not (TOOLS / "tsc").exists() or not (TOOLS / "openapi-typescript").exists():
        pytest.fail("the TypeScript tools are not installed: run `npm ci --prefix clients/typescript`")
    return TOOLS


def different_files(left: Path, right: Path) -> list[str]:
    """Paths (relative) that one tree has and the other lacks or holds otherwise; caches left out."""
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__", "node_modules"])
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files, *comparison.funny_files]
    for name in comparison.common_dirs:
        found += [f"{name}/{inner}" for inner in different_files(left / name, right / name)]
    return found


def test_the_committed_clients_are_the_ones_the_document_makes(node_tools: Path, tmp_path: Path) -> None:
    subprocess.run([str(CLIENTS / "generate"), str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    python = different_files(CLIENTS / "python" / "agentry_client", tmp_path / "python" / "agentry_client")
    types_same = filecmp.cmp(CLIENTS / "typescript" / "agentry.d.ts", tmp_path / "typescript" / "agentry.d.ts", False)
    drift = [f"python/agentry_client/{name}" for name in python] + ([] if types_same else ["typescript/agentry.d.ts"])
    assert not drift, f"the clients differ from openapi.json's ({drift[:10]}); regenerate them with `{REGENERATE}`"


def test_the_typescript_types_compile(node_tools: Path) -> None:
    run = subprocess.run(
        [str(node_tools / "tsc"), "--noEmit", "-p", str(CLIENTS / "typescript")], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
