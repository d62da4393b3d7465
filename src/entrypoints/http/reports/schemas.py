"""The usage report's response body."""

from __future__ import annotations

from datetime import date

from msgspec import Struct, field

from agentry.application.reports.get_usage_report import UsageReport
from agentry.application.reports.ports import UsageGroup, UsageKeyValue
from agentry.domain.tasks.usage_totals import DEFAULT_MODEL, UsageTotals


class UsageFiguresBody(Struct, kw_only=True):
    executions: int
    succeeded: int
    failed: int
    success_rate: float | None
    input_tokens: int
    output_tokens: int
    cost_usd: float

    @classmethod
    def from_domain(cls, totals: UsageTotals) -> UsageFiguresBody:
        return cls(
            executions=totals.executions,
            succeeded=totals.succeeded,
            failed=totals.failed,
            success_rate=totals.success_rate,
            input_tokens=totals.input_tokens,
            output_tokens=totals.output_tokens,
            cost_usd=totals.cost_usd,
        )


class UsageGroupBody(UsageFiguresBody, kw_only=True):
    key: str | None  # a project or user id, a model (null: the runner's default), or a day (YYYY-MM-DD)


class UsageReportBody(Struct, kw_only=True):
    group_by: UsageGroup
    from_: date = field(name="from")  # the first day of the window (UTC), included
    to: date  # the last day, included
    groups: list[UsageGroupBody]
    total: UsageFiguresBody

    @classmethod
    def from_domain(cls, report: UsageReport) -> UsageReportBody:
        return cls(
            group_by=report.group_by,
            from_=report.first_day,
            to=report.last_day,
            groups=[_group(row.key, row.totals) for row in report.rows],
            total=UsageFiguresBody.from_domain(report.total),
        )


def _group(key: UsageKeyValue, totals: UsageTotals) -> UsageGroupBody:
    figures = UsageFiguresBody.from_domain(totals)
    shown = None if key == DEFAULT_MODEL else (key.isoformat() if isinstance(key, date) else str(key))
    return UsageGroupBody(key=shown, **{name: getattr(figures, name) for name in figures.__struct_fields__})
