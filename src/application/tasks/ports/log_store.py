from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from agentry.domain.tasks.logs import LogLine


class LogStore(Protocol):
    async def append(self, lines: Sequence[LogLine]) -> None:
        """Stage lines in this unit of work; (execution, sequence) is unique."""
        ...

    async def read(self, task_id: UUID, execution_number: int, after: int, limit: int) -> list[LogLine]:
        """Lines of one execution with a sequence above `after`, in order."""
        ...
