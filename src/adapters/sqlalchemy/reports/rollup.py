"""Adding ended executions to the usage roll-ups: one upsert per roll-up row, in the caller's transaction.
On PostgreSQL the upsert takes the row's lock, so two workers ending executions of the same project, user,
model and day add up, one after the other; rows are written in key order, so two such writers never wait
for each other in a circle."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite

from agentry.adapters.sqlalchemy.reports.tables import SUMS, usage_daily, usage_monthly
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals


def add_usage(connection: Connection, endings: Iterable[tuple[UsageKey, UsageTotals]]) -> None:
    monthly: dict[tuple[Any, ...], UsageTotals] = {}
    daily: dict[tuple[Any, ...], UsageTotals] = {}
    for key, totals in endings:
        if not totals.executions:
            continue
        for rows, when in ((monthly, key.month), (daily, key.day)):
            at = (key.project_id, when, key.user_id, key.model)
            rows[at] = rows.get(at, UsageTotals()) + totals
    upserts = [
        _upsert(connection, table, column, at, rows[at])
        for table, column, rows in ((usage_monthly, "month", monthly), (usage_daily, "day", daily))
        for at in sorted(rows, key=lambda k: (str(k[0]), k[1], str(k[2]), k[3]))
    ]
    if connection.dialect.name == "postgresql" and len(upserts) == 2:
        # The common ending (one monthly row, one daily row) in one statement, one round trip: the daily
        # upsert rides along as a data-modifying CTE, which PostgreSQL runs after the statement's own, so
        # the monthly row is still locked first. More rows (a recovery's batch) go one by one, in order.
        monthly_row, daily_row = upserts
        connection.execute(monthly_row.add_cte(daily_row.cte("daily_rollup")))
        return
    for statement in upserts:
        connection.execute(statement)


def _upsert(connection: Connection, table: Table, column: str, at: tuple[Any, ...], totals: UsageTotals) -> Insert:
    project_id, when, user_id, model = at
    values = {"project_id": project_id, column: when, "user_id": user_id, "model": model} | {
        name: getattr(totals, name) for name in SUMS
    }
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(values)
    return statement.on_conflict_do_update(
        index_elements=["project_id", column, "user_id", "model"],
        set_={name: table.c[name] + statement.excluded[name] for name in SUMS},
    )
