"""A request's session is closed after the request when it was used (its connection goes back to the
pool, its objects are let go), and left alone when it was not (a request answered from the caches)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import AsyncAdaptedQueuePool

from agentry.adapters.sqlalchemy.request_session import request_session


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(primary_key=True)


class Counting:
    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory
        self.closed = 0

    def __call__(self) -> AsyncSession:
        session = self.factory()
        close = session.close

        async def counted() -> Any:
            self.closed += 1
            return await close()

        session.close = counted  # type: ignore[method-assign]
        return session


async def test_a_used_session_is_closed_and_an_unused_one_is_left(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sessions.db'}"
    engine = create_async_engine(url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0)
    sessions = Counting(async_sessionmaker(engine, expire_on_commit=False))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with request_session(sessions):
            pass
        assert sessions.closed == 0

        async with request_session(sessions) as session:
            await session.execute(text("SELECT 1"))
            assert engine.sync_engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        assert sessions.closed == 1
        assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]

        async with request_session(sessions) as session:
            row = Row(id=1)
            session.add(row)
            await session.commit()  # no transaction left, but what it wrote is still attached
        assert sessions.closed == 2
        assert inspect(row).detached
    finally:
        await engine.dispose()
