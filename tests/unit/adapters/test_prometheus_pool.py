"""The pool gauges: connections checked out, and callers that found none idle and wait for one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from agentry.adapters.prometheus import families
from agentry.adapters.prometheus.pool import watch_pool


class Gauge:
    def __init__(self) -> None:
        self.value = 0
        self.moves = 0

    def inc(self) -> None:
        self.value += 1
        self.moves += 1

    def dec(self) -> None:
        self.value -= 1
        self.moves += 1


async def test_only_a_checkout_that_finds_no_idle_connection_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_use, waiting = Gauge(), Gauge()
    monkeypatch.setattr(families, "db_pool_in_use", in_use)
    monkeypatch.setattr(families, "db_pool_waiting", waiting)
    url = f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}"
    engine = watch_pool(create_async_engine(url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0))
    try:
        async with engine.connect():  # none idle yet: a new connection is made, waited for
            assert in_use.value == 1
        assert (in_use.value, waiting.value, waiting.moves) == (0, 0, 2)
        async with engine.connect():  # the idle one: no wait
            pass
        assert waiting.moves == 2
        async with engine.connect():
            second = asyncio.create_task(engine.connect().__aenter__())
            await asyncio.sleep(0.05)
            assert waiting.value == 1 and not second.done()  # the only connection is checked out
        connection = await second
        await connection.close()
        assert (in_use.value, waiting.value) == (0, 0)
    finally:
        await engine.dispose()
