"""The execution log: ordered, typed lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class LogKind(StrEnum):
    SYSTEM = "system"
    ASSISTANT = "assistant"
    TOOL_USE = "tool_use"
    TOOL_RESULT = "tool_result"
    STDERR = "stderr"
    RESULT = "result"


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class LogLine:
    task_id: UUID
    execution_id: UUID
    execution_number: int
    sequence: int
    at: datetime
    kind: LogKind
    message: str
    level: LogLevel = LogLevel.INFO
    data: dict[str, Any] = field(default_factory=dict)
