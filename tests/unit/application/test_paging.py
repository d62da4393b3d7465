"""A keyset page: one row more is fetched, the page holds `limit`, and a position to go on from only
when more follow."""

from __future__ import annotations

import pytest

from agentry.application.paging import fetch_page

ROWS = list(range(10))


async def fetch(n: int) -> list[int]:
    return ROWS[:n]


@pytest.mark.parametrize(("limit", "page", "position"), [(3, [0, 1, 2], "2"), (9, ROWS[:9], "8")])
async def test_a_page_with_more_after_it_says_where_the_next_starts(limit: int, page: list[int], position: str) -> None:
    assert await fetch_page(fetch, limit, str) == (page, position)


@pytest.mark.parametrize("limit", [10, 11, 50])
async def test_the_last_page_has_no_position(limit: int) -> None:
    assert await fetch_page(fetch, limit, str) == (ROWS, None)


async def test_it_asks_for_one_row_more_than_the_page() -> None:
    asked: list[int] = []

    async def counting(n: int) -> list[int]:
        asked.append(n)
        return ROWS[:n]

    await fetch_page(counting, 4, str)
    assert asked == [5]
