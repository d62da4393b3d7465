"""The ports only the chat uses: where sessions and their turns are kept, and the tools runners offer."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from agentry.domain.chat.session import ChatSession, ChatTurn
from agentry.domain.chat.visitor import ChatVisitor
from agentry.domain.tasks.task import AgentTask


class ChatSessionRepository(Protocol):
    async def add(self, session: ChatSession) -> None: ...

    async def get(self, session_id: UUID, *, for_update: bool = False) -> ChatSession | None: ...

    async def of_owner(
        self, owner_id: UUID, *, archived: bool | None, before: tuple[datetime, UUID] | None, limit: int
    ) -> list[ChatSession]:
        """The owner's sessions, newest first (by last activity, then id), after the `before` key."""
        ...

    async def remove(self, session: ChatSession) -> None:
        """The session and its turns (their tasks stay with the task machinery)."""
        ...


class ChatTurnRepository(Protocol):
    async def add(self, turn: ChatTurn) -> None: ...

    async def get(self, turn_id: UUID) -> ChatTurn | None: ...

    async def by_task(self, task_id: UUID) -> ChatTurn | None:
        """The turn a task answers, if it is a chat turn's task."""
        ...

    async def tasks_with_turns(self, task_ids: Collection[UUID]) -> set[UUID]:
        """Those of the tasks that a chat turn asked for."""
        ...

    async def with_task(self, turn_id: UUID) -> tuple[ChatTurn, AgentTask | None] | None:
        """The turn and its task (None: not begun, or its task deleted), in one read."""
        ...

    async def of_session(self, session_id: UUID, *, after_number: int = 0, limit: int = 100) -> list[ChatTurn]:
        """The session's turns in order, numbered above `after_number`."""
        ...

    async def next_queued(self, session_id: UUID) -> ChatTurn | None:
        """The earliest queued turn of the session."""
        ...

    async def queued_of_owner(self, owner_id: UUID) -> int:
        """How many turns of the owner's sessions wait, queued behind a turn being answered (read fresh)."""
        ...


class ChatVisitorRepository(Protocol):
    async def add(self, visitor: ChatVisitor) -> None: ...

    async def get(self, visitor_id: UUID) -> ChatVisitor | None: ...

    async def remove(self, visitor: ChatVisitor) -> None: ...

    async def expired(self, now: datetime, limit: int) -> list[ChatVisitor]:
        """Visitors expired by `now`, the longest expired first."""
        ...

    async def tokens_used(self, visitor_id: UUID) -> int:
        """Tokens (in and out) the executions of the visitor's tasks used."""
        ...

    async def hand_over_tasks(self, visitor_id: UUID, user_id: UUID) -> None:
        """The visitor's tasks become the user's."""
        ...


class PublicChatSpend(Protocol):
    """What a project's public chat spent each day (UTC): the cost of its visitors' turns, added as each
    turn ends. It outlives the visitors (their clean-up, their adoption by a user)."""

    async def add(self, project_id: UUID, day: date, cost_usd: float) -> None:
        """Add to the day's total (staged in this unit of work; concurrent additions add up)."""
        ...

    async def of_day(self, project_id: UUID, day: date) -> float:
        """US dollars spent that day; 0 for a day nothing was."""
        ...

    async def prune(self, before: date, limit: int) -> int:
        """Delete up to `limit` rows of days before `before` (any project); how many."""
        ...


class Workspaces(Protocol):
    async def remove(self, workspace_id: UUID) -> None:
        """Delete a workspace's files (its directory and its HOME), if this machine holds them."""
        ...


@dataclass(frozen=True, slots=True)
class OfferedTools:
    """The tools a runner gives its agent. `source`: "init_event" (Claude Code's own list, read from the
    `system`/`init` event the CLI prints at the start of a run) or "fixed" (a runner's built-in list);
    `version`: the runner's version, where it has one."""

    tools: tuple[str, ...]
    source: str
    version: str | None = None


class ToolsUnknown(Exception):
    """A runner's tools could not be learnt now (its CLI did not start, or printed no init event)."""


class RunnerTools(Protocol):
    async def offered(self, runner: str) -> OfferedTools:
        """The tools the named runner (one of the catalog's) offers; raises ToolsUnknown."""
        ...
