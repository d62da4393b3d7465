"""On PostgreSQL a count in the user's turn (`waiting_tasks_in_turn`, `running_executions_in_turn`) is one
round trip: the turn's lock and the count go out together (take_turn and the count apart: two)."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from agentry.adapters.sqlalchemy.tasks.user_usage import SqlAlchemyUserUsage
from tests.contract.counted_engine import counted_engine


async def test_a_count_in_turn_is_one_round_trip(postgres_database: str) -> None:
    async with counted_engine(postgres_database) as (engine, proxy), async_sessionmaker(engine)() as session:
        usage, owner = SqlAlchemyUserUsage(session), uuid4()
        await session.execute(text("SELECT 1"))  # the transaction has begun
        before = proxy.counter.round_trips
        assert await usage.waiting_tasks_in_turn(owner) == 0
        assert proxy.counter.round_trips - before == 1
        before = proxy.counter.round_trips
        assert await usage.running_executions_in_turn(owner) == 0
        assert proxy.counter.round_trips - before == 1
        mine = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        held = await session.execute(text(mine))
        assert held.scalar_one() == 1, "the turn is held in the session's transaction"
        await session.rollback()
