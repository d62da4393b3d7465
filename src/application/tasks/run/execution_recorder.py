"""Turns a run's agent events into numbered log lines, and remembers usage, session and ending."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from agentry.application.ports.clock import Clock
from agentry.application.ports.work_context import WorkSpan
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    NetworkUse,
    RunCompleted,
    RunFailed,
    SessionStarted,
    StderrLine,
    TextDelta,
    ToolCalled,
    ToolReturned,
    UsageReported,
)
from agentry.application.tasks.run.run_settings import OutputCaps
from agentry.domain.tasks.clipping import TextClipper, clip
from agentry.domain.tasks.executions import TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLevel, LogLine
from agentry.domain.tasks.usage import Usage


class ExecutionRecorder:
    """Consecutive text deltas are joined into one assistant line; other events are a line each.
    Lines stay buffered until they are known to be written (a write may fail and be tried again);
    a line's sequence number is given once, when it is noted.

    Within the caps, as the events arrive: a message longer than a line may hold is clipped (text
    deltas as they stream), with a marker saying how much was left out; past the agent's allowance
    of lines, one line says so and later ones are dropped (the recorder's own notes, such as how the
    run ended, are always kept); a result's output is clipped to its cap."""

    def __init__(
        self, execution: TaskExecution, clock: Clock, caps: OutputCaps | None = None, span: WorkSpan | None = None
    ) -> None:
        # Plain values, read once: the execution object itself may be expired by a rollback later.
        self.task_id = execution.task_id
        self.execution_id = execution.id
        self.number = execution.number
        self._clock = clock
        self._caps = caps or OutputCaps()
        self._sequence = 0
        self._lines: list[LogLine] = []
        self._text = TextClipper(self._caps.log_line_max_bytes)
        self._agent_lines = 0  # lines from the agent's events, kept or dropped
        self.usage = Usage()
        self.session_id: str | None = None
        self.ending: RunCompleted | RunFailed | None = None
        self._span = span  # the run's step in its trace: the model, and an event per tool use

    @property
    def buffered(self) -> int:
        return len(self._lines) + (1 if self._text else 0)

    def record(self, event: AgentEvent) -> None:
        if isinstance(event, TextDelta):
            self._text.add(event.text)
            return
        self._close_text()
        match event:
            case SessionStarted(session_id, model):
                self.session_id = session_id
                if self._span is not None and model:
                    self._span.set({"agentry.model": model})
                self._agent_line(
                    LogKind.SYSTEM, "agent session started", data={"session_id": session_id, "model": model}
                )
            case ToolCalled(tool_use_id, name, tool_input):
                if self._span is not None:
                    self._span.event("tool_use", {"agentry.tool.name": name, "agentry.tool.use_id": tool_use_id})
                self._agent_line(LogKind.TOOL_USE, name, data={"tool_use_id": tool_use_id, "input": tool_input})
            case ToolReturned(tool_use_id, output, is_error):
                level = LogLevel.ERROR if is_error else LogLevel.INFO
                self._agent_line(LogKind.TOOL_RESULT, output, level, {"tool_use_id": tool_use_id, "is_error": is_error})
            case StderrLine(text):
                self._agent_line(LogKind.STDERR, text, LogLevel.WARNING)
            case NetworkUse(host, port, allowed, message, sent, received):
                level = LogLevel.INFO if allowed else LogLevel.WARNING
                data = {"host": host, "port": port, "allowed": allowed, "sent": sent, "received": received}
                self._agent_line(LogKind.SYSTEM, message, level, {"network": data})
            case UsageReported(usage):
                self.usage = usage
            case RunCompleted() | RunFailed():
                if self.ending is None:
                    self.ending = self._clipped(event)
                    if event.usage is not None:
                        self.usage = event.usage
                    if isinstance(event, RunCompleted) and event.session_id:
                        self.session_id = event.session_id

    @property
    def dropped_lines(self) -> int:
        """How many of the agent's lines were past its allowance, and not kept."""
        return max(0, self._agent_lines - self._caps.log_lines_max)

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
            text, self._text = self._text, TextClipper(self._caps.log_line_max_bytes)
            self._agent_line(LogKind.ASSISTANT, text.text(), truncated=text.clipped)

    def _agent_line(
        self,
        kind: LogKind,
        message: str,
        level: LogLevel = LogLevel.INFO,
        data: dict[str, Any] | None = None,
        *,
        truncated: bool = False,
    ) -> None:
        """A line from the agent's events, within its allowance of lines; the first one past it is
        replaced by a line saying later ones are dropped."""
        self._agent_lines += 1
        allowed = self._caps.log_lines_max
        if self._agent_lines <= allowed:
            self._append(kind, message, level, data or {}, truncated=truncated)
        elif self._agent_lines == allowed + 1:
            self._append(
                LogKind.SYSTEM,
                f"this execution's log reached its limit of {allowed:,} lines from the agent "
                "(AGENTRY_LOG_LINES_MAX): later lines are dropped",
                LogLevel.WARNING,
                {"lines_max": allowed},
            )

    def _clipped(self, ending: RunCompleted | RunFailed) -> RunCompleted | RunFailed:
        if isinstance(ending, RunFailed):
            return ending
        output, clipped = clip(ending.output, self._caps.result_max_bytes)
        return replace(ending, output=output) if clipped else ending

    def _append(
        self, kind: LogKind, message: str, level: LogLevel, data: dict[str, Any], *, truncated: bool = False
    ) -> None:
        message, clipped = clip(message, self._caps.log_line_max_bytes)
        if clipped or truncated:
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
