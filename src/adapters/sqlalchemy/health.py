from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def ping_database(engine: AsyncEngine, timeout_s: float) -> None:
    """Raises unless the database answers a trivial query within the time-out."""
    async with asyncio.timeout(timeout_s):
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
