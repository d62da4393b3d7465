"""The execution log: ordered, typed lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

MESSAGE_MAX = 65_536


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


def clip_message(message: str) -> tuple[str, bool]:
    """Keep a log message within MESSAGE_MAX characters; say whether it was cut."""
    if len(message) <= MESSAGE_MAX:
        return message, False
    return message[: MESSAGE_MAX - 1] + "…", True
