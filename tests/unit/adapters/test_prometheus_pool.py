"""The pool gauges: connections checked out (the pools' own count, sampled), and callers that found
none idle and wait for one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from agentry.adapters.prometheus import families
from agentry.adapters.prometheus.pool import PoolsInUse, watch_pool


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

    def set(self, value: int) -> None:
        self.value = value
        self.moves += 1


def _engine(tmp_path: Path, name: str, size: int = 1) -> AsyncEngine:
    url = f"sqlite+aiosqlite:///{tmp_path / name}"
    return create_async_engine(url, poolclass=AsyncAdaptedQueuePool, pool_size=size, max_overflow=0)


async def test_only_a_checkout_that_finds_no_idle_connection_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = Gauge()
    monkeypatch.setattr(families, "db_pool_in_use", Gauge())
    monkeypatch.setattr(families, "db_pool_waiting", waiting)
    engine = watch_pool(_engine(tmp_path, "pool.db"))
    try:
        async with engine.connect():  # none idle yet: a new connection is made, waited for
            pass
        assert (waiting.value, waiting.moves) == (0, 2)
        async with engine.connect():  # the idle one: no wait
            pass
        assert waiting.moves == 2
        async with engine.connect():
            second = asyncio.create_task(engine.connect().__aenter__())
            await asyncio.sleep(0.05)
            assert waiting.value == 1 and not second.done()  # the only connection is checked out
        connection = await second
        await connection.close()
        assert waiting.value == 0
    finally:
        await engine.dispose()


async def test_in_use_is_the_pools_count_summed_and_written_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_use = Gauge()
    monkeypatch.setattr(families, "db_pool_in_use", in_use)
    pools = PoolsInUse(interval=3600)  # sampled here, not by its thread
    first, second = _engine(tmp_path, "a.db", 2), _engine(tmp_path, "b.db")
    for engine in (first, second):
        pools.watch(engine.sync_engine.pool)
    try:
        pools.sample()
        assert (in_use.value, in_use.moves) == (0, 1)
        async with first.connect(), first.connect(), second.connect():
            pools.sample()
            assert in_use.value == 3
            pools.sample()
            assert in_use.moves == 2  # unchanged: not written again
        pools.sample()
        assert (in_use.value, in_use.moves) == (0, 3)
    finally:
        for engine in (first, second):
            await engine.dispose()


async def test_the_thread_samples_every_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_use = Gauge()
    monkeypatch.setattr(families, "db_pool_in_use", in_use)
    pools = PoolsInUse(interval=0.01)
    engine = _engine(tmp_path, "c.db")
    pools.watch(engine.sync_engine.pool)
    try:
        async with engine.connect():
            for _ in range(200):
                if in_use.value == 1:
                    break
                await asyncio.sleep(0.01)
            assert in_use.value == 1
    finally:
        await engine.dispose()
