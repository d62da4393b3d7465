"""The port of the record of who made which correction to a knowledge graph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from agentry.application.ports.access_policy import ProjectScope
from agentry.domain.knowledge.edits import KnowledgeEdit


@dataclass(frozen=True, slots=True)
class EditPosition:
    """Where a page ended: oldest first, the edits after this."""

    at: datetime
    id: UUID


class KnowledgeEditLog(Protocol):
    async def add(self, edit: KnowledgeEdit) -> None: ...

    async def of_editor(
        self, editor_id: UUID, scope: ProjectScope, after: EditPosition | None, limit: int
    ) -> list[KnowledgeEdit]:
        """Up to `limit` of the person's edits in `scope`, oldest first."""
        ...

    async def forget_editor(self, editor_id: UUID) -> None:
        """Every edit the person made, in every project, goes (the corrections stay on the facts)."""
        ...
