"""A request's database session, closed after the request only if it was used."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession


@asynccontextmanager
async def request_session(factory: Callable[[], AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session that never began a transaction and holds no object has nothing to close: a request
    answered from the caches (a 304, a known principal) skips the close, which costs an asyncio task
    and a greenlet."""
    session = factory()
    try:
        yield session
    finally:
        if session.in_transaction() or session.identity_map or session.new:
            await session.close()
