"""DescribedOnceCursor: the same description as psycopg's cursor, made once per result, its columns only
when read."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import bindparam, func, literal_column, select

from agentry.adapters.sqlalchemy.described_cursor import DescribedOnceCursor
from agentry.adapters.sqlalchemy.engine import create_async_database


@pytest.fixture
def columns_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many psycopg Columns the cursor made, so far."""
    made = [0]
    make = psycopg.Column.__init__

    def counted(column: psycopg.Column, *args: Any) -> None:
        made[0] += 1
        make(column, *args)

    monkeypatch.setattr(psycopg.Column, "__init__", counted)
    return made


async def test_a_result_is_described_once_and_as_psycopg_describes_it(postgres_database: str) -> None:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, cursor_factory=DescribedOnceCursor) as connection:
        cursor = connection.cursor()
        assert isinstance(cursor, DescribedOnceCursor)
        await cursor.execute("SELECT 1 AS one, 'x'::text AS two")
        first = cursor.description
        assert first is cursor.description
        plain = psycopg.AsyncCursor.description.fget(cursor)  # type: ignore[attr-defined]
        assert (
            [(c.name, c.type_code) for c in first]
            == [(c.name, c.type_code) for c in plain]
            == [
                ("one", 23),
                ("two", 25),
            ]
        )
        await cursor.execute("SELECT 2 AS three")
        assert [c.name for c in cursor.description] == ["three"]
        await cursor.execute("SET application_name = 'described'")
        assert cursor.description is None


async def test_a_description_makes_its_columns_when_read_and_they_describe_its_own_result(
    postgres_database: str, columns_made: list[int]
) -> None:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, cursor_factory=DescribedOnceCursor) as connection:
        cursor = connection.cursor()
        await cursor.execute("SELECT 1 AS one, 'x'::text AS two")
        first = cursor.description
        assert first is not None
        assert (bool(first), len(first), columns_made[0]) == (True, 2, 0)
        await cursor.execute("SELECT 2 AS three")
        assert [(c.name, c.type_code) for c in first] == [("one", 23), ("two", 25)]
        assert first[-1:][0].name == "two"
        assert columns_made[0] == 2
        await cursor.execute("SELECT")
        empty = cursor.description
        assert empty is not None
        assert (bool(empty), len(empty)) == (False, 0)


async def test_sqlalchemy_running_a_statement_again_makes_no_column(
    postgres_database: str, columns_made: list[int]
) -> None:
    """From a statement's second run SQLAlchemy takes its result's columns from the compiled statement."""
    engine = create_async_database(postgres_database)
    statement = select(func.generate_series(1, bindparam("last")).label("n"), literal_column("'x'").label("s"))
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(statement, {"last": 2})).all() == [(1, "x"), (2, "x")]
            made_by_first = columns_made[0]
            assert (await connection.execute(statement, {"last": 3})).mappings().all()[-1] == {"n": 3, "s": "x"}
            assert made_by_first >= 2  # its result's columns, to learn them (and the dialect's first questions)
            assert columns_made[0] == made_by_first  # none for the second
    finally:
        await engine.dispose()
