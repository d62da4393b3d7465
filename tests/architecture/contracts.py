"""Import-linter contract types of our own, named in `[tool.importlinter] contract_types`.

They live with the tests, not in `agentry`: they check the product and are no part of it, so the
wheel does not ship them nor depend on import-linter. `lint-imports` puts the working directory on
`sys.path` before it loads contract types, so run from the repository root (as `.ci/run` and
`uv run lint-imports` do) it finds `tests.architecture.contracts` without PYTHONPATH; under pytest
the root is on the path already, because `tests` is a package.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules
from importlinter.domain.imports import ModuleExpression


class StandardLibraryOnlyContract(Contract):
    """The source packages import nothing but their own root package and the standard library.

    Options:
        - source_modules: the packages to check (each with all its descendants); wildcards allowed.

    Needs `include_external_packages = true`: without it the graph holds no external package, and
    the contract would be kept whatever the code imports, so it refuses to run instead.
    """

    type_name = "stdlib_only"

    source_modules = fields.SetField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        if str(self.session_options.get("include_external_packages", "")).lower() != "true":
            raise ValueError(f"{self.name!r} needs include_external_packages = true to see external imports")
        expressions: set[ModuleExpression] = self.source_modules  # type: ignore[assignment]  # parsed by the field
        sources = module_expressions_to_modules(graph, expressions, as_packages=True, raise_if_unmatched=True)
        offences: list[dict[str, Any]] = []
        for importer in sorted(module.name for module in sources):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                top = imported.partition(".")[0]
                if top == importer.partition(".")[0] or top in sys.stdlib_module_names:
                    continue
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    offences.append(
                        {
                            "file": _source_file(importer),
                            "line": detail["line_number"],
                            "importer": importer,
                            "imported": imported,
                            "code": detail["line_contents"],
                        }
                    )
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for offence in check.metadata["offences"]:
            output.print_error(
                f"{offence['file']}:{offence['line']}: {offence['importer']} imports {offence['imported']}, "
                f"which is not in the standard library: {offence['code']}",
                bold=False,
            )
            output.new_line()


def _source_file(module: str) -> str:
    """The file that holds `module`, relative to the working directory where it can be; found without
    importing anything (the root package's spec gives its folder)."""
    root, *parts = module.split(".")
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        return module
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return os.path.relpath(candidate) if candidate.is_relative_to(Path.cwd()) else str(candidate)
    return module
