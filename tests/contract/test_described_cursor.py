"""DescribedOnceCursor: the same description as psycopg's cursor, made once per statement and result."""

from __future__ import annotations

import psycopg

from agentry.adapters.sqlalchemy.described_cursor import DescribedOnceCursor


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


async def test_a_statement_is_described_once_for_all_its_executions(postgres_database: str) -> None:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, cursor_factory=DescribedOnceCursor) as connection:
        query = "SELECT %s AS given, 'x'::text AS two"
        await (first := connection.cursor()).execute(query, (1,))
        await (second := connection.cursor()).execute(query, (2,))
        assert second.description is first.description  # one description, not a Column per column each time
        assert [(c.name, c.type_code) for c in first.description] == [("given", 21), ("two", 25)]
        # the same text with a parameter of another type is another statement, with another result type
        await (text := connection.cursor()).execute(query, ("a",))
        assert [(c.name, c.type_code) for c in text.description] == [("given", 25), ("two", 25)]
        assert text.description is not first.description


async def test_each_result_of_a_statement_is_described_as_it_is(postgres_database: str) -> None:
    url = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, cursor_factory=DescribedOnceCursor) as connection:
        for _ in range(2):
            cursor = connection.cursor()
            await cursor.execute("SELECT 1 AS one; SELECT 'a'::text AS letter")  # as many columns, not the same
            assert [(c.name, c.type_code) for c in cursor.description] == [("one", 23)]
            assert cursor.nextset()
            assert [(c.name, c.type_code) for c in cursor.description] == [("letter", 25)]
