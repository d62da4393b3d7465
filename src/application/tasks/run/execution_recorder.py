"""Turns a run's agent events into numbered log lines, and remembers usage, session and ending."""

from __future__ import annotations

from typing import Any

from agentry.application.ports.clock import Clock
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    RunCompleted,
    RunFailed,
    SessionStarted,
    StderrLine,
    TextDelta,
    ToolCalled,
    ToolReturned,
    UsageReported,
)
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLevel, LogLine, clip_message
from agentry.domain.tasks.usage import Usage


class ExecutionRecorder:
    """Consecutive text deltas are joined into one assistant line; other events are a line each.
    Lines stay buffered until they are known to be written (a write may fail and be tried again);
    a line's sequence number is given once, when it is noted."""

    def __init__(self, execution: TaskExecution, clock: Clock) -> None:
        # Plain values, read once: the execution object itself may be expired by a rollback later.
        self.task_id = execution.task_id
        self.execution_id = execution.id
        self.number = execution.number
        self._clock = clock
        self._sequence = 0
        self._lines: list[LogLine] = []
        self._text: list[str] = []
        self.usage = Usage()
        self.session_id: str | None = None
        self.ending: RunCompleted | RunFailed | None = None

    @property
    def buffered(self) -> int:
        return len(self._lines) + (1 if self._text else 0)

    def record(self, event: AgentEvent) -> None:
        if isinstance(event, TextDelta):
            self._text.append(event.text)
            return
        self._close_text()
        match event:
            case SessionStarted(session_id, model):
                self.session_id = session_id
                self.note(LogKind.SYSTEM, "agent session started", data={"session_id": session_id, "model": model})
            case ToolCalled(tool_use_id, name, tool_input):
                self.note(LogKind.TOOL_USE, name, data={"tool_use_id": tool_use_id, "input": tool_input})
            case ToolReturned(tool_use_id, output, is_error):
                level = LogLevel.ERROR if is_error else LogLevel.INFO
                self.note(LogKind.TOOL_RESULT, output, level, {"tool_use_id": tool_use_id, "is_error": is_error})
            case StderrLine(text):
                self.note(LogKind.STDERR, text, LogLevel.WARNING)
            case UsageReported(usage):
                self.usage = usage
            case RunCompleted() | RunFailed():
                if self.ending is None:
                    self.ending = event
                    if event.usage is not None:
                        self.usage = event.usage
                    if isinstance(event, RunCompleted) and event.session_id:
                        self.session_id = event.session_id

    def note(
        self,
        kind: LogKind,
        message: str,
        level: LogLevel = LogLevel.INFO,
        data: dict[str, Any] | None = None,
    ) -> None:
        self._close_text()
        self._append(kind, message, level, data or {})

    def take(self) -> list[LogLine]:
        """The buffered lines, now written: the buffer empties."""
        lines = self.pending()
        self._lines = []
        return lines

    def pending(self) -> list[LogLine]:
        """The buffered lines, still kept (to write them in a transaction that may fail)."""
        self._close_text()
        return list(self._lines)

    def written(self, through: int) -> None:
        """The lines numbered up to `through` are stored: forget them."""
        if self._lines and self._lines[-1].sequence <= through:
            self._lines = []
        else:
            self._lines = [line for line in self._lines if line.sequence > through]

    def mark(self) -> int:
        self._close_text()
        return self._sequence

    def rewind(self, mark: int) -> None:
        """Forget what was noted since the mark, so a retried write numbers its lines the same."""
        self._sequence = mark
        self._lines = [line for line in self._lines if line.sequence <= mark]

    def _close_text(self) -> None:
        if self._text:
            text, self._text = "".join(self._text), []
            self._append(LogKind.ASSISTANT, text, LogLevel.INFO, {})

    def _append(self, kind: LogKind, message: str, level: LogLevel, data: dict[str, Any]) -> None:
        message, clipped = clip_message(message)
        if clipped:
            data = {**data, "truncated": True}
        self._sequence += 1
        self._lines.append(
            LogLine(
                task_id=self.task_id,
                execution_id=self.execution_id,
                execution_number=self.number,
                sequence=self._sequence,
                at=self._clock.now(),
                kind=kind,
                message=message,
                level=level,
                data=data,
            )
        )
