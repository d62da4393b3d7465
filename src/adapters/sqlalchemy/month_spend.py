"""A project's spend this month, read ahead with the task a worker claims and with a project read by id or
as someone's personal project (PostgreSQL): the claim, and a submit, then check the monthly budget without
a round trip of their own. The value is kept for the transaction that
read it, and for the month the database's clock was in; any other question is asked of the roll-up."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Date, ScalarSelect, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.sqlalchemy.reports.tables import usage_monthly
from agentry.adapters.sqlalchemy.tasks.tables import tasks

_KEY = "agentry.month_spend"
m = usage_monthly.c

# The first day of the month (UTC) by the database's clock, at the start of the transaction.
THIS_MONTH = cast(func.date_trunc("month", func.timezone("UTC", func.now())), Date)


def spent_this_month(project_id: ColumnElement[Any] = tasks.c.project_id) -> ScalarSelect[Any]:
    """The spend this month of the project `project_id` names (the task's, by default): one range of the
    roll-up's primary key (project_id, month)."""
    return (
        select(func.coalesce(func.sum(m.cost_usd), 0.0))
        .where(m.project_id == project_id, m.month == THIS_MONTH)
        .scalar_subquery()
    )


def remember(session: AsyncSession, project_id: UUID, month: date, spent: float) -> None:
    session.info[_KEY] = (session.sync_session.get_transaction(), project_id, month, float(spent))


def recall(session: AsyncSession, project_id: UUID, month: date) -> float | None:
    """The spend read ahead in this transaction for this project and month, once; else None."""
    kept = session.info.pop(_KEY, None)
    if kept is None:
        return None
    transaction, kept_project, kept_month, spent = kept
    current = session.sync_session.get_transaction()
    if current is None or transaction is not current or (kept_project, kept_month) != (project_id, month):
        return None
    return float(spent)
