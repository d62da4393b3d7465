"""Adding ended executions to the usage roll-ups: one upsert per roll-up row, in the caller's transaction.
On PostgreSQL the upsert takes the row's lock, so two workers ending executions of the same project, user,
model and day add up, one after the other; rows are written in key order, so two such writers never wait
for each other in a circle.

Every ending runs these upserts: they are built once per dialect, with bound parameters, so each ending
only binds its values (building them anew took a worker about a millisecond of CPU per ending)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from agentry.adapters.sqlalchemy.reports.tables import SUMS, usage_daily, usage_monthly
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals

_TABLES = ((usage_monthly, "month"), (usage_daily, "day"))


def add_usage(connection: Connection, endings: Iterable[tuple[UsageKey, UsageTotals]]) -> None:
    monthly: dict[tuple[Any, ...], UsageTotals] = {}
    daily: dict[tuple[Any, ...], UsageTotals] = {}
    for key, totals in endings:
        if not totals.executions:
            continue
        for rows, when in ((monthly, key.month), (daily, key.day)):
            at = (key.project_id, when, key.user_id, key.model)
            rows[at] = rows.get(at, UsageTotals()) + totals
    dialect = connection.dialect.name
    upserts = [
        (table, column, _values(at, rows[at]))
        for (table, column), rows in zip(_TABLES, (monthly, daily), strict=True)
        for at in sorted(rows, key=lambda k: (str(k[0]), k[1], str(k[2]), k[3]))
    ]
    if dialect == "postgresql" and len(upserts) == 2:
        # The common ending (one monthly row, one daily row) in one statement, one round trip: the daily
        # upsert rides along as a data-modifying CTE, which PostgreSQL runs after the statement's own, so
        # the monthly row is still locked first. More rows (a recovery's batch) go one by one, in order.
        (*_, monthly_row), (*_, daily_row) = upserts
        both = {f"m_{name}": value for name, value in monthly_row.items()}
        both |= {f"d_{name}": value for name, value in daily_row.items()}
        connection.execute(_monthly_with_daily(), both)
        return
    for table, column, values in upserts:
        connection.execute(_upsert(dialect, table, column), values)


def _values(at: tuple[Any, ...], totals: UsageTotals) -> dict[str, Any]:
    """The row's key (its period as `when`) and sums, named as the upserts' parameters."""
    project_id, when, user_id, model = at
    return {"project_id": project_id, "when": when, "user_id": user_id, "model": model} | {
        name: getattr(totals, name) for name in SUMS
    }


@cache
def _upsert(dialect: str, table: Table, column: str, prefix: str = "") -> Insert:
    """Insert the row, or add its sums to the one there; its parameters are named `prefix` + column
    (`when` for the period's `column`)."""
    keys = ("project_id", column, "user_id", "model")
    values = {
        name: bindparam(f"{prefix}{'when' if name == column else name}", type_=table.c[name].type) for name in keys
    }
    values |= {name: bindparam(f"{prefix}{name}", type_=table.c[name].type) for name in SUMS}
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(values)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in SUMS}
    )


@cache
def _monthly_with_daily() -> Insert:
    daily = _upsert("postgresql", usage_daily, "day", "d_").cte("daily_rollup")
    return _upsert("postgresql", usage_monthly, "month", "m_").add_cte(daily)
