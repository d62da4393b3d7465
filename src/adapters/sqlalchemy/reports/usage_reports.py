"""Usage reports from the daily roll-up: one grouped sum over the days asked for, filtered by what the
principal may see (primary key or index ranges; never the executions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.reports.tables import SUMS, usage_daily
from agentry.adapters.sqlalchemy.unit_of_work import execute
from agentry.application.reports.ports import UsageGroup, UsageRow, UsageScope
from agentry.domain.tasks.usage_totals import UsageTotals

d = usage_daily.c
_COLUMNS = {
    UsageGroup.PROJECT: d.project_id,
    UsageGroup.USER: d.user_id,
    UsageGroup.MODEL: d.model,
    UsageGroup.DAY: d.day,
}


class SqlAlchemyUsageReports:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def usage(self, scope: UsageScope, group_by: UsageGroup, first_day: date, last_day: date) -> list[UsageRow]:
        if scope.nothing:
            return []
        key = _COLUMNS[group_by]
        query = (
            select(key, *(func.sum(d[name]) for name in SUMS))
            .where(d.day >= first_day, d.day <= last_day)
            .group_by(key)
        )
        if not scope.everything:
            query = query.where(_visible(scope))
        rows = (await execute(self._session, query)).all()
        report = [UsageRow(row[0], _totals(row[1:])) for row in rows]
        return sorted(report, key=lambda r: str(r.key))


def _visible(scope: UsageScope) -> ColumnElement[bool]:
    allowed: list[ColumnElement[bool]] = []
    if scope.project_ids:
        allowed.append(d.project_id.in_(scope.project_ids))
    if scope.user_id is not None:
        allowed.append(d.user_id == scope.user_id)
    return or_(*allowed)


def _totals(sums: Sequence[Any]) -> UsageTotals:
    executions, succeeded, failed, input_tokens, output_tokens, cost = sums  # PostgreSQL: Decimal for bigints
    return UsageTotals(int(executions), int(succeeded), int(failed), int(input_tokens), int(output_tokens), float(cost))
