from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """One transaction shared by the repositories of a use case."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def each_on_its_own(self) -> None:
        """Before its first statement, for work whose one write is one statement: each statement from
        here to the commit commits as it runs, where the database allows it (PostgreSQL), which spares
        the transaction's BEGIN and COMMIT, two round trips. Elsewhere nothing changes."""
        ...

    def unavailable(self, error: BaseException) -> bool:
        """True if `error` (raised by this unit of work or one of its repositories) says the database
        could not be reached or could not serve now, so the same work may succeed later; False for a
        statement that failed on its own merits (it would fail the same way again)."""
        ...
