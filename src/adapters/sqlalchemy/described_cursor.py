"""A psycopg cursor that describes a statement's result once per process: psycopg makes a new `Column`
for each of the result's columns at every read of `description` (its name decoded, its type looked
up), and SQLAlchemy reads it at every statement, although it keeps the result's columns itself, per
compiled statement, from the first execution on. A task's 26 columns were a tenth of a read's CPU.

The description is kept per statement: the query as sent and its parameters' types (what psycopg keys
its prepared statements by) and the result's place among the statement's results; a result whose
column count differs is described afresh. A statement's columns change only with the schema, and then
SQLAlchemy's own columns of that statement would be stale as well (and a prepared statement fails)."""

from __future__ import annotations

from typing import Any

from psycopg._queries import PostgresQuery
from psycopg.abc import Params, Query
from psycopg.pq.abc import PGresult
from psycopg.rows import Row

from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginCursor

_DESCRIPTIONS_MAX = 2048  # statements; the application's are a few hundred
_descriptions: dict[tuple[bytes, tuple[int, ...], int], Any] = {}


class DescribedOnceCursor(PipelinedBeginCursor[Row]):
    __slots__ = ("_described", "_described_result", "_statement")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._described_result: PGresult | None = None
        self._described: Any = None
        self._statement: tuple[bytes, tuple[int, ...]] | None = None

    def _reset(self, reset_query: bool = True) -> None:
        super()._reset(reset_query)
        self._statement = None  # until the next statement is converted: a result without one is described afresh

    def _convert_query(self, query: Query, params: Params | None = None) -> PostgresQuery:
        converted = super()._convert_query(query, params)
        self._statement = (converted.query, converted.types)
        return converted

    @property
    def description(self) -> Any:
        result = self.pgresult
        if result is None or result is not self._described_result:
            self._described = self._describe(result)
            self._described_result = result
        return self._described

    def _describe(self, result: PGresult | None) -> Any:
        if result is None or self._statement is None:
            return PipelinedBeginCursor.description.fget(self)  # type: ignore[attr-defined]
        key = (*self._statement, self._iresult)
        known = _descriptions.get(key)
        if known is not None and len(known) == result.nfields:
            return known
        columns = PipelinedBeginCursor.description.fget(self)  # type: ignore[attr-defined]
        if columns is None:
            return None
        described = tuple(columns)  # shared by every execution of the statement: not to be changed
        if len(_descriptions) < _DESCRIPTIONS_MAX:
            _descriptions[key] = described
        return described
