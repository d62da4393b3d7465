"""The unit of work over one AsyncSession, translating database conflicts into port errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from application.errors import ConcurrentUpdate, DuplicateIdempotencyKey

OUTBOX_TOUCHED = "agentry.outbox_touched"


class SqlAlchemyUnitOfWork:
    def __init__(self, session: AsyncSession, on_outbox_commit: Callable[[], None] | None = None) -> None:
        self._session = session
        self._on_outbox_commit = on_outbox_commit

    async def commit(self) -> None:
        try:
            await self._session.commit()
        except Exception as error:
            await self._session.rollback()
            raise translate(error) from error
        finally:
            touched = self._session.info.pop(OUTBOX_TOUCHED, False)
        if touched and self._on_outbox_commit is not None:
            self._on_outbox_commit()

    async def rollback(self) -> None:
        self._session.info.pop(OUTBOX_TOUCHED, None)
        await self._session.rollback()


async def execute(session: AsyncSession, statement: Any, params: Any = None) -> Any:
    """Run a statement; a conflict surfacing from the autoflush before it becomes a port error."""
    try:
        return await session.execute(statement, params)
    except (StaleDataError, DBAPIError) as error:
        raise translate(error) from error


def translate(error: Exception) -> Exception:
    """Database conflicts become the port errors use cases understand; anything else stays."""
    if isinstance(error, StaleDataError):
        return ConcurrentUpdate()
    if isinstance(error, IntegrityError) and "idempotency_key" in str(error.orig):
        return DuplicateIdempotencyKey()
    if isinstance(error, DBAPIError) and _sqlstate(error) in {"40001", "40P01"}:
        return ConcurrentUpdate()  # serialization failure or deadlock: safe to repeat
    return error


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)
