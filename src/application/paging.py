"""One page of a list read by keyset: one row more than the page is fetched, so the page knows whether
another follows without counting; the next page starts after the page's last row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

Row = TypeVar("Row")
Position = TypeVar("Position")


async def fetch_page(
    fetch: Callable[[int], Awaitable[Sequence[Row]]], limit: int, position_of: Callable[[Row], Position]
) -> tuple[list[Row], Position | None]:
    """The first `limit` rows `fetch(n)` returns (it is asked for one more), and the position of the last
    of them when more follow (None on the last page)."""
    rows = await fetch(limit + 1)
    page = list(rows[:limit])
    return page, position_of(page[-1]) if len(rows) > limit and page else None
