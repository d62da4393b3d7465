"""The OpenAPI document as the code makes it, the same on every machine: the embedded service on its
defaults (rate limits on, the scripted runner), built without opening anything. `agentry openapi write`
keeps `openapi.json` at the repository's root equal to it; a test fails when they differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentry.entrypoints.config import Settings

FILE_NAME = "openapi.json"
REGENERATE = "`clients/generate` (the document and the clients) or `uv run agentry openapi write` (the document alone)"


def code_document() -> dict[str, Any]:
    from agentry.entrypoints.http.kit.openapi_contract import served_document
    from agentry.entrypoints.runtime import build_api

    app = build_api(Settings(database_url="sqlite:////nonexistent/openapi.db", runner="scripted"))
    document: dict[str, Any] = json.loads(json.dumps(served_document(app), default=str))
    return document


def render(document: dict[str, Any]) -> str:
    """Stable text: sorted keys, two-space indents, a final newline, so a diff shows only what changed."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path) -> bool:
    """Writes the code's document to `path`; True if that changed the file."""
    text = render(code_document())
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
