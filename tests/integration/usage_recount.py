"""The usage roll-ups against a full recount of the executions, on PostgreSQL: what a crash test checks last."""

from __future__ import annotations

from typing import Any

import psycopg

_RECOUNT = """
SELECT t.project_id, {when} AS at, t.owner_id, COALESCE(t.options->>'model', '') AS model, count(*),
       sum((e.status = 'succeeded')::int), sum((e.status IN ('failed', 'timed_out'))::int),
       sum(e.input_tokens), sum(e.output_tokens), round(sum(e.cost_usd)::numeric, 9)
FROM task_executions e JOIN tasks t ON t.id = e.task_id
WHERE e.status <> 'running'
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""
_ROLLED_UP = """
SELECT project_id, {when}, user_id, model, executions, succeeded, failed, input_tokens, output_tokens,
       round(cost_usd::numeric, 9)
FROM {table} ORDER BY 1, 2, 3, 4
"""
DAY = "(e.started_at AT TIME ZONE 'UTC')::date"
MONTH = "date_trunc('month', e.started_at AT TIME ZONE 'UTC')::date"


def roll_ups_and_recounts(database_url: str) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """For each roll-up: (its rows, the same sums recounted from every execution that ended)."""
    with psycopg.connect(database_url) as db:
        return {
            table: (
                db.execute(_ROLLED_UP.format(when=column, table=table)).fetchall(),  # type: ignore[arg-type]
                db.execute(_RECOUNT.format(when=when)).fetchall(),  # type: ignore[arg-type]
            )
            for table, column, when in (("usage_daily", "day", DAY), ("usage_monthly", "month", MONTH))
        }


def assert_roll_ups_equal_a_recount(database_url: str) -> None:
    for table, (rolled_up, recounted) in roll_ups_and_recounts(database_url).items():
        assert rolled_up == recounted, f"{table} differs from a recount of the executions"
