"""What a succeeded task produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.domain.tasks.usage import Usage

SUMMARY_MAX = 500


@dataclass(eq=False)
class TaskResult:
    task_id: UUID
    execution_id: UUID
    summary: str
    output: str
    created_at: datetime
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


def summarize(output: str) -> str:
    """The first non-blank line of the output, shortened to fit a summary."""
    for line in output.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= SUMMARY_MAX else line[: SUMMARY_MAX - 1] + "…"
    return ""
