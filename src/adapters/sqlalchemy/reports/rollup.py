"""Adding ended executions to the usage roll-ups: one upsert per roll-up row, in the caller's transaction.
On PostgreSQL the upsert takes the row's lock, so two workers ending executions of the same project, user,
model and day add up, one after the other; rows are written in key order, so two such writers never wait
for each other in a circle."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table
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
    for table, column, rows in ((usage_monthly, "month", monthly), (usage_daily, "day", daily)):
        for at in sorted(rows, key=lambda k: (str(k[0]), k[1], str(k[2]), k[3])):
            _upsert(connection, table, column, at, rows[at])


def _upsert(connection: Connection, table: Table, column: str, at: tuple[Any, ...], totals: UsageTotals) -> None:
    project_id, when, user_id, model = at
    values = {"project_id": project_id, column: when, "user_id": user_id, "model": model} | {
        name: getattr(totals, name) for name in SUMS
    }
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["project_id", column, "user_id", "model"],
        set_={name: table.c[name] + statement.excluded[name] for name in SUMS},
    )
    connection.execute(statement)
