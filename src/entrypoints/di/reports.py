"""Usage reports: the roll-up reader and the use case."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.reports.usage_reports import SqlAlchemyUsageReports
from agentry.application.reports.get_usage_report import GetUsageReport
from agentry.application.reports.ports import UsageReports


class ReportsProvider(Provider):
    scope = Scope.REQUEST

    reports = provide(SqlAlchemyUsageReports, provides=UsageReports)
    use_cases = provide_all(GetUsageReport)
