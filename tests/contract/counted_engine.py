"""An engine of one connection to a migrated PostgreSQL, through a proxy that counts round trips."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bench.roundtrips import RoundTripProxy, proxy_for, through
from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.sqlalchemy.engine import create_async_database
from agentry.adapters.sqlalchemy.migrations import upgrade


@asynccontextmanager
async def counted_engine(postgres_database: str) -> AsyncIterator[tuple[AsyncEngine, RoundTripProxy]]:
    upgrade(postgres_database)
    proxy = proxy_for(postgres_database)
    port = await proxy.start()
    engine = create_async_database(through(postgres_database, port), pool_size=1)
    try:
        yield engine, proxy
    finally:
        await engine.dispose()
        await proxy.stop()
