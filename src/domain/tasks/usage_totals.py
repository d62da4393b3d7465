"""What ended executions add up to, and where each one is counted: its project, its task's submitter, the
model asked for, and the day (UTC) it started on. The usage roll-ups keep these sums per day and per month,
so reports and the monthly budget never add up executions one by one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date
from uuid import UUID

from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution

DEFAULT_MODEL = ""  # a task that names no model runs on its runner's default one
_FAILED = frozenset({ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT})


@dataclass(frozen=True, slots=True)
class UsageTotals:
    """`failed` counts failed and timed-out executions; cancelled ones count only in `executions`."""

    executions: int = 0
    succeeded: int = 0
    failed: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: UsageTotals) -> UsageTotals:
        return UsageTotals(
            self.executions + other.executions,
            self.succeeded + other.succeeded,
            self.failed + other.failed,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cost_usd + other.cost_usd,
        )

    @property
    def success_rate(self) -> float | None:
        """Succeeded among the executions that succeeded or failed (None when there were none)."""
        decided = self.succeeded + self.failed
        return self.succeeded / decided if decided else None

    @classmethod
    def of(cls, execution: TaskExecution) -> UsageTotals:
        """One ended execution's share (nothing for one still running: its usage is written as it ends)."""
        status = execution.status
        if not status.is_terminal:
            return cls()
        usage = execution.usage
        return cls(
            executions=1,
            succeeded=int(status is ExecutionStatus.SUCCEEDED),
            failed=int(status in _FAILED),
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=usage.cost_usd,
        )


@dataclass(frozen=True, slots=True)
class UsageKey:
    """Where an ended execution is counted. `model` is the task's `options.model`, or DEFAULT_MODEL."""

    project_id: UUID
    user_id: UUID
    model: str
    day: date

    @property
    def month(self) -> date:
        return self.day.replace(day=1)

    @classmethod
    def of(cls, project_id: UUID, owner_id: UUID, model: str | None, execution: TaskExecution) -> UsageKey:
        day = execution.started_at.astimezone(UTC).date()
        return cls(project_id, owner_id, model or DEFAULT_MODEL, day)
