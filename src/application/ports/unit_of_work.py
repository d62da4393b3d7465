from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """One transaction shared by the repositories of a use case."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
