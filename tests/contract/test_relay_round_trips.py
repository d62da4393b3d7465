"""On PostgreSQL an event relay pass that finds nothing is two round trips: BEGIN with the claim, then COMMIT.
(Ended with a rollback it was three: psycopg follows a ROLLBACK with DEALLOCATE ALL, and the statements it
had prepared are parsed again on the next pass.)"""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from agentry.adapters.sqlalchemy.outbox.events import SqlAlchemyEventStore
from agentry.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from agentry.application.outbox.deliver_events import DeliverEvents, EventRelaySettings, Subscribers
from tests.contract.counted_engine import counted_engine
from tests.fakes.app import SYSTEM
from tests.fakes.policy import TablePolicy
from tests.fakes.system import FakeClock


async def test_an_empty_relay_pass_is_two_round_trips(postgres_database: str) -> None:
    async with counted_engine(postgres_database) as (engine, proxy):
        async with async_sessionmaker(engine)() as session:  # the connection has a statement prepared
            for _ in range(6):
                await session.execute(text("SELECT 1"))
            await session.commit()
        async with async_sessionmaker(engine)() as session:
            relay = DeliverEvents(
                SqlAlchemyEventStore(session),
                Subscribers(()),
                TablePolicy(),
                SqlAlchemyUnitOfWork(session, uuid4),
                FakeClock(),
                EventRelaySettings(),
            )
            before = proxy.counter.round_trips
            assert (await relay(SYSTEM)).delivered == 0
            assert proxy.counter.round_trips - before == 2
