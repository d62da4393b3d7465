"""DescribedOnceCursor: the same description as psycopg's cursor, made once per result."""

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
