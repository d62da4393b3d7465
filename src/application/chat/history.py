"""A session's history: for each turn, the user's message and the agent's answer, in order, paged by
turn. The answer is read from the turn's task (its latest execution's log and usage): its text, the
tools it called with their results, and what it cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from agentry.application.chat.ports import ChatSessionRepository, ChatTurnRepository
from agentry.application.chat.visible import visible_session
from agentry.application.paging import fetch_page
from agentry.application.ports.access_policy import AccessPolicy
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.domain.chat.session import ChatSession, ChatTurn, TurnStatus
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.usage import Usage

TURNS_MAX = 100
LOG_LINES_MAX = 10_000  # of one answer, read in pages of this size


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str | None
    name: str
    input: Any
    result: str | None = None
    is_error: bool = False


@dataclass(frozen=True, slots=True)
class ChatMessage:
    turn_id: UUID
    turn: int
    role: str  # "user" | "assistant"
    text: str
    at: datetime
    status: TurnStatus
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: list[ChatMessage]
    next_after: int | None  # the turn number to page on from; None: no more turns


@dataclass(frozen=True, slots=True)
class ChatHistory:
    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    executions: ExecutionRepository
    logs: LogStore
    policy: AccessPolicy

    async def __call__(self, actor: Principal, session_id: UUID, *, after: int = 0, limit: int = 50) -> HistoryPage:
        if not 1 <= limit <= TURNS_MAX:
            raise InvalidValue("limit", f"must be from 1 to {TURNS_MAX} (turns)")
        if after < 0:
            raise InvalidValue("after", "must not be negative")
        await visible_session(self.sessions, self.policy, actor, session_id)
        turns, next_after = await fetch_page(
            lambda n: self.turns.of_session(session_id, after_number=after, limit=n), limit, lambda last: last.number
        )
        items: list[ChatMessage] = []
        for turn in turns:
            items.append(ChatMessage(turn.id, turn.number, "user", turn.message, turn.created_at, turn.status))
            if turn.task_id is not None:
                items.append(await self._answer(turn))
        return HistoryPage(items, next_after)

    async def _answer(self, turn: ChatTurn) -> ChatMessage:
        assert turn.task_id is not None
        executions = await self.executions.for_task(turn.task_id, limit=100)
        text: list[str] = []
        calls: list[ToolCall] = []
        usage: Usage | None = None
        if executions:
            latest = executions[-1]
            usage = latest.usage
            after = 0
            while True:
                lines = await self.logs.read(turn.task_id, latest.number, after, LOG_LINES_MAX)
                for line in lines:
                    if line.kind is LogKind.ASSISTANT:
                        text.append(line.message)
                    elif line.kind is LogKind.TOOL_USE:
                        calls.append(ToolCall(line.data.get("tool_use_id"), line.message, line.data.get("input")))
                    elif line.kind is LogKind.TOOL_RESULT:
                        _attach(calls, line.data.get("tool_use_id"), line.message, bool(line.data.get("is_error")))
                if len(lines) < LOG_LINES_MAX:
                    break
                after = lines[-1].sequence
        return ChatMessage(
            turn.id,
            turn.number,
            "assistant",
            "".join(text),
            turn.finished_at or turn.started_at or turn.created_at,
            turn.status,
            calls,
            usage,
            turn.error_code,
            turn.error_message,
        )


def _attach(calls: list[ToolCall], tool_use_id: Any, result: str, is_error: bool) -> None:
    for i in range(len(calls) - 1, -1, -1):
        if calls[i].id == tool_use_id and calls[i].result is None:
            call = calls[i]
            calls[i] = ToolCall(call.id, call.name, call.input, result, is_error)
            return


@dataclass(frozen=True, slots=True)
class ReadTurns:
    """The session (if the actor may see it) and its turns numbered from `first` on, for those who
    follow it live."""

    sessions: ChatSessionRepository
    turns: ChatTurnRepository
    policy: AccessPolicy

    async def __call__(
        self, actor: Principal, session_id: UUID, *, first: int = 1, limit: int = 10
    ) -> tuple[ChatSession, list[ChatTurn]]:
        session = await visible_session(self.sessions, self.policy, actor, session_id)
        return session, await self.turns.of_session(session_id, after_number=first - 1, limit=limit)
