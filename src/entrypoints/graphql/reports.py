"""Reports: the task statistics (GET /api/v1/tasks/stats) and the usage report (GET /api/v1/reports/usage),
from the same use cases. A backlog row's project is batched over the rows (the context's project loader)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from agentry.application.reports.get_usage_report import GetUsageReport, UsageQuery, UsageReport
from agentry.application.reports.ports import UsageGroup
from agentry.application.tasks.ports.task_repository import ProjectBacklog, TaskStats
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.usage_totals import UsageTotals
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.types import ProjectType
from agentry.entrypoints.http.kit.validators import require_utc_range
from agentry.entrypoints.http.reports.schemas import UsageReportBody

UsageGroupType = strawberry.enum(UsageGroup, name="UsageGroup")


@strawberry.type(name="StatusCount")
class StatusCountType:
    status: TaskStatus
    count: int


@strawberry.type(name="Backlog", description="A project's waiting tasks now, whatever the creation window")
class BacklogType:
    project_id: UUID
    waiting: int = strawberry.field(description="pending + queued")
    pending: int = strawberry.field(description="Scheduled for later")
    queued: int = strawberry.field(description="Due, waiting for a worker")
    oldest_queued_at: datetime | None
    oldest_wait_s: float | None = strawberry.field(description="How long the longest-waiting queued task has waited")

    @classmethod
    def of(cls, backlog: ProjectBacklog) -> BacklogType:
        return cls(
            project_id=backlog.project_id,
            waiting=backlog.pending + backlog.queued,
            pending=backlog.pending,
            queued=backlog.queued,
            oldest_queued_at=backlog.oldest_queued_at,
            oldest_wait_s=backlog.oldest_wait_s,
        )

    @strawberry.field(description="The project (batched over the rows)")
    async def project(self, info: Info[Any, Any]) -> ProjectType | None:
        context = context_of(info)
        project = await context.projects.load(self.project_id)
        if project is None:
            return None
        return ProjectType.of(project, (await context.principal()).project_role(project.id))


@strawberry.type(name="TaskStats")
class TaskStatsType:
    counts: list[StatusCountType] = strawberry.field(description="Every status, with 0 for those without tasks")
    total: int
    success_rate: float | None
    average_duration_s: float | None
    p95_duration_s: float | None
    backlog: list[BacklogType]

    @classmethod
    def of(cls, stats: TaskStats) -> TaskStatsType:
        return cls(
            counts=[StatusCountType(status=s, count=stats.counts.get(s, 0)) for s in TaskStatus],
            total=stats.total,
            success_rate=stats.success_rate,
            average_duration_s=stats.average_duration_s,
            p95_duration_s=stats.p95_duration_s,
            backlog=[BacklogType.of(b) for b in stats.backlog],
        )


@strawberry.type(name="UsageFigures")
class UsageFiguresType:
    executions: int
    succeeded: int
    failed: int
    success_rate: float | None
    input_tokens: int
    output_tokens: int
    cost_usd: float

    @classmethod
    def of(cls, totals: UsageTotals) -> UsageFiguresType:
        return cls(
            executions=totals.executions,
            succeeded=totals.succeeded,
            failed=totals.failed,
            success_rate=totals.success_rate,
            input_tokens=totals.input_tokens,
            output_tokens=totals.output_tokens,
            cost_usd=totals.cost_usd,
        )


@strawberry.type(name="UsageGroupRow")
class UsageGroupRowType:
    key: str | None = strawberry.field(
        description="A project or user id, a model (null: the runner's default), or a day (YYYY-MM-DD)"
    )
    figures: UsageFiguresType


@strawberry.type(name="UsageReport")
class UsageReportType:
    group_by: UsageGroup
    from_: date = strawberry.field(name="from", description="The first day (UTC), included")
    to: date = strawberry.field(description="The last day (UTC), included")
    groups: list[UsageGroupRowType]
    total: UsageFiguresType

    @classmethod
    def of(cls, report: UsageReport) -> UsageReportType:
        body = UsageReportBody.from_domain(report)  # the keys shown as REST shows them
        return cls(
            group_by=report.group_by,
            from_=report.first_day,
            to=report.last_day,
            groups=[
                UsageGroupRowType(key=shown.key, figures=UsageFiguresType.of(row.totals))
                for shown, row in zip(body.groups, report.rows, strict=True)
            ],
            total=UsageFiguresType.of(report.total),
        )


@strawberry.type
class ReportQuery:
    @strawberry.field(description="Counts by status, success rate, durations and backlog (as GET /tasks/stats)")
    async def task_stats(
        self,
        info: Info[Any, Any],
        project_id: UUID | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> TaskStatsType:
        require_utc_range("created_after", created_after)
        require_utc_range("created_before", created_before)
        stats = await context_of(info).call(
            GetTaskStats,
            lambda use, actor: use(
                actor, project_id=project_id, created_after=created_after, created_before=created_before
            ),
        )
        return TaskStatsType.of(stats)

    @strawberry.field(description="Executions, success rate, tokens and cost, grouped (as GET /reports/usage)")
    async def usage_report(
        self,
        info: Info[Any, Any],
        group_by: UsageGroup = UsageGroup.PROJECT,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> UsageReportType:
        query = UsageQuery(group_by, from_, to)
        report = await context_of(info).call(GetUsageReport, lambda use, actor: use(actor, query))
        return UsageReportType.of(report)
