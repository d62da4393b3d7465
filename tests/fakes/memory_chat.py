"""Chat sessions and turns in memory: the chat's ports over a MemorySession."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from agentry.domain.chat.session import ChatSession, ChatTurn, TurnStatus
from agentry.domain.chat.visitor import ChatVisitor
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from tests.fakes.memory import MemorySession
from tests.fakes.memory_tasks import MemoryTaskRepository


class MemoryChatSessions:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, session: ChatSession) -> None:
        self._s.insert_row("chat_sessions", session)

    async def get(self, session_id: UUID, *, for_update: bool = False) -> ChatSession | None:
        found: ChatSession | None = await self._s.load_row("chat_sessions", session_id, lock=for_update)
        return found

    async def of_owner(
        self, owner_id: UUID, *, archived: bool | None, before: tuple[datetime, UUID] | None, limit: int
    ) -> list[ChatSession]:
        found: list[ChatSession] = await self._s.visible_loaded(
            "chat_sessions",
            lambda s: (
                s.owner_id == owner_id
                and (archived is None or s.archived is archived)
                and (before is None or (s.updated_at, s.id) < before)
            ),
        )
        return sorted(found, key=lambda s: (s.updated_at, s.id), reverse=True)[:limit]

    async def remove(self, session: ChatSession) -> None:
        for turn in self._s.visible_rows("chat_turns"):
            if turn.session_id == session.id:
                self._s.delete_row("chat_turns", turn.id)
        self._s.delete_row("chat_sessions", session.id)


class MemoryChatTurns:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, turn: ChatTurn) -> None:
        self._s.insert_row("chat_turns", turn)

    async def get(self, turn_id: UUID) -> ChatTurn | None:
        found: ChatTurn | None = await self._s.load_row("chat_turns", turn_id)
        return found

    async def by_task(self, task_id: UUID) -> ChatTurn | None:
        found: list[ChatTurn] = await self._s.visible_loaded("chat_turns", lambda t: t.task_id == task_id)
        return found[0] if found else None

    async def tasks_with_turns(self, task_ids: Collection[UUID]) -> set[UUID]:
        found: list[ChatTurn] = await self._s.visible_loaded("chat_turns", lambda t: t.task_id in task_ids)
        return {t.task_id for t in found if t.task_id is not None}

    async def with_task(self, turn_id: UUID) -> tuple[ChatTurn, AgentTask | None] | None:
        turn = await self.get(turn_id)
        if turn is None:
            return None
        return turn, await self._s.load_task(turn.task_id, lock=False) if turn.task_id else None

    async def of_session(self, session_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[ChatTurn]:
        found: list[ChatTurn] = await self._s.visible_loaded(
            "chat_turns", lambda t: t.session_id == session_id and t.number > after_number
        )
        return sorted(found, key=lambda t: t.number)[:limit]

    async def next_queued(self, session_id: UUID) -> ChatTurn | None:
        found = await self.of_session(session_id, limit=1_000_000)
        return next((t for t in found if t.status is TurnStatus.QUEUED), None)

    async def queued_of_owner(self, owner_id: UUID) -> int:
        owners = {s.id: s.owner_id for s in self._s.visible_rows("chat_sessions")}
        queued = self._s.visible_rows("chat_turns")
        return sum(1 for t in queued if t.status is TurnStatus.QUEUED and owners.get(t.session_id) == owner_id)


class RecordingWorkspaces:
    def __init__(self) -> None:
        self.removed: list[UUID] = []

    async def remove(self, workspace_id: UUID) -> None:
        self.removed.append(workspace_id)


class MemoryChatVisitors:
    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, visitor: ChatVisitor) -> None:
        self._s.insert_row("chat_visitors", visitor)

    async def get(self, visitor_id: UUID) -> ChatVisitor | None:
        found: ChatVisitor | None = await self._s.load_row("chat_visitors", visitor_id)
        return found

    async def remove(self, visitor: ChatVisitor) -> None:
        self._s.delete_row("chat_visitors", visitor.id)

    async def expired(self, now: datetime, limit: int) -> list[ChatVisitor]:
        found: list[ChatVisitor] = await self._s.visible_loaded("chat_visitors", lambda v: v.expires_at <= now)
        return sorted(found, key=lambda v: (v.expires_at, v.id))[:limit]

    def _usage_of(self, owner: UUID) -> Usage:
        db = self._s.db
        total = Usage()
        for execution in db.executions.values():
            task = db.tasks.get(execution.task_id)
            if task is not None and task.owner_id == owner:
                total = total + execution.usage
        return total

    async def tokens_used(self, visitor_id: UUID) -> int:
        usage = self._usage_of(visitor_id)
        return usage.input_tokens + usage.output_tokens

    async def hand_over_tasks(self, visitor_id: UUID, user_id: UUID) -> None:
        tasks = MemoryTaskRepository(self._s)
        for task_id in [t.id for t in self._s.db.tasks.values() if t.owner_id == visitor_id]:
            task = await tasks.get(task_id, for_update=True)
            if task is not None:
                task.owner_id = user_id


@dataclass
class SpendRow:
    project_id: UUID
    day: date
    cost_usd: float


class MemoryPublicChatSpend:
    """A row per project and day; an addition locks the row till the commit, as the upsert does."""

    def __init__(self, session: MemorySession) -> None:
        self._s = session

    async def add(self, project_id: UUID, day: date, cost_usd: float) -> None:
        row: SpendRow | None = await self._s.load_row("public_chat_spend", (project_id, day), lock=True)
        if row is None:
            self._s.insert_row("public_chat_spend", SpendRow(project_id, day, cost_usd))
        else:
            row.cost_usd += cost_usd

    async def of_day(self, project_id: UUID, day: date) -> float:
        row: SpendRow | None = await self._s.load_row("public_chat_spend", (project_id, day))
        return row.cost_usd if row else 0.0

    async def prune(self, before: date, limit: int) -> int:
        old = [r for r in self._s.visible_rows("public_chat_spend") if r.day < before][:limit]
        for row in old:
            self._s.delete_row("public_chat_spend", (row.project_id, row.day))
        return len(old)
