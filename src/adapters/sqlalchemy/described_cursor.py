"""A psycopg cursor that describes a result once, and makes the description's columns only when someone
reads them.

psycopg makes a new `Column` for each of the result's columns at every read of `description`, and
SQLAlchemy reads it three times a statement (whether there are rows, the result's columns, and again as
the result closes): a task's 27 columns, 81 objects for every read of a task. Here the description is
kept for its result; and it is a sequence whose columns are made on first use. SQLAlchemy knows a
statement's result columns from its compiled form once it has run it (its cached result metadata): from
then on it only asks whether there is a description, and how long it is, and no `Column` is made at all
(the worker's claim read 41 columns a task, a GET of a task 27)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from psycopg import Column
from psycopg.adapt import AdaptersMap
from psycopg.pq import ExecStatus
from psycopg.pq.abc import PGresult
from psycopg.rows import Row

from agentry.adapters.sqlalchemy.pipelined_begin import PipelinedBeginCursor

_WITH_TUPLES = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


class DescribedOnceCursor(PipelinedBeginCursor[Row]):
    __slots__ = ("_described", "_described_result")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._described_result: PGresult | None = None
        self._described: Described | None = None

    @property
    def description(self) -> Described | None:  # type: ignore[override]
        """psycopg's description (None for a result without tuples), its columns made when first read."""
        result = self.pgresult
        if result is None or result is not self._described_result:
            # As psycopg decides: columns if the result has fields, or says it returned tuples ("SELECT ;").
            with_columns = result is not None and (result.nfields or result.status in _WITH_TUPLES)
            self._described = Described(_Source(result, self._encoding, self.adapters)) if with_columns else None
            self._described_result = result
        return self._described


class _Source:
    """What psycopg's `Column` reads of its cursor, as it was when the result was described: the
    columns made later describe that result, whatever the cursor ran since."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, pgresult: PGresult | None, encoding: str, adapters: AdaptersMap) -> None:
        self.pgresult = pgresult
        self._encoding = encoding
        self.adapters = adapters


class Described(Sequence[Column]):
    """A result's columns, as psycopg describes them, made on first use."""

    __slots__ = ("_columns", "_count", "_source")

    def __init__(self, source: _Source) -> None:
        assert source.pgresult is not None
        self._source: _Source | None = source
        self._count = source.pgresult.nfields
        self._columns: list[Column] | None = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Column: ...

    @overload
    def __getitem__(self, index: slice) -> list[Column]: ...

    def __getitem__(self, index: int | slice) -> Column | list[Column]:
        return self.columns[index]

    @property
    def columns(self) -> list[Column]:
        if self._columns is None:
            self._columns = [Column(self._source, i) for i in range(self._count)]  # type: ignore[arg-type]
            self._source = None  # the result may go now
        return self._columns

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Described):
            other = other.columns
        return self.columns == other

    __hash__ = None  # type: ignore[assignment]  # as a list's

    def __repr__(self) -> str:
        return repr(self.columns)
