"""A psycopg cursor that describes a result once: psycopg makes a new `Column` for each of the result's
columns at every read of `description`, and SQLAlchemy reads it three times a statement (whether
there are rows, the result's columns, and again as the result closes): a task's 27 columns, 81
objects for every read of a task."""

from __future__ import annotations

from typing import Any

from psycopg.pq.abc import PGresult
from psycopg.rows import Row

from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginCursor


class DescribedOnceCursor(PipelinedBeginCursor[Row]):
    __slots__ = ("_described", "_described_result")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._described_result: PGresult | None = None
        self._described: Any = None

    @property
    def description(self) -> Any:
        result = self.pgresult
        if result is None or result is not self._described_result:
            self._described = PipelinedBeginCursor.description.fget(self)  # type: ignore[attr-defined]
            self._described_result = result
        return self._described
