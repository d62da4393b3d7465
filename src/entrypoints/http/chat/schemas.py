"""Bodies of the chat endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from agentry.application.chat.history import ChatMessage, HistoryPage
from agentry.application.chat.send_message import Sent
from agentry.domain.chat.session import TITLE_MAX, ChatSession, ChatTurn

Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX)]


class TurnAccepted(Struct, kw_only=True):
    session_id: UUID
    turn_id: UUID
    turn: int
    status: str  # "running": the agent answers now; "queued": after the turns before it
    task_id: UUID | None

    @classmethod
    def from_domain(cls, sent: Sent) -> TurnAccepted:
        return cls.of(sent.turn)

    @classmethod
    def of(cls, turn: ChatTurn) -> TurnAccepted:
        return cls(
            session_id=turn.session_id,
            turn_id=turn.id,
            turn=turn.number,
            status=turn.status.value,
            task_id=turn.task_id,
        )


class ChatSessionBody(Struct, kw_only=True):
    id: UUID
    project_id: UUID
    title: str
    archived: bool
    turns: int
    answering: bool
    public: bool  # begun in a project's public chat (by a visitor, adopted since if it is yours)
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, session: ChatSession) -> ChatSessionBody:
        return cls(
            id=session.id,
            project_id=session.project_id,
            title=session.title,
            archived=session.archived,
            turns=session.turn_count,
            answering=session.busy,
            public=session.public,
            created_at=session.created_at,
            updated_at=session.updated_at,
        )


class SessionPageBody(Struct, kw_only=True):
    items: list[ChatSessionBody]
    next_cursor: str | None


class SessionChange(Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title | UnsetType = UNSET
    archived: bool | UnsetType = UNSET


class ChatToolCallBody(Struct, kw_only=True):
    id: str | None
    name: str
    input: Any
    result: str | None
    is_error: bool


class ChatUsageBody(Struct, kw_only=True):
    input_tokens: int
    output_tokens: int
    cost_usd: float


class ChatMessageBody(Struct, kw_only=True, omit_defaults=True):
    turn_id: UUID
    turn: int
    role: str
    text: str
    at: datetime
    status: str
    tool_calls: list[ChatToolCallBody] = []
    usage: ChatUsageBody | None = None
    error: dict[str, str] | None = None

    @classmethod
    def from_domain(cls, message: ChatMessage) -> ChatMessageBody:
        usage = message.usage
        return cls(
            turn_id=message.turn_id,
            turn=message.turn,
            role=message.role,
            text=message.text,
            at=message.at,
            status=message.status.value,
            tool_calls=[
                ChatToolCallBody(id=c.id, name=c.name, input=c.input, result=c.result, is_error=c.is_error)
                for c in message.tool_calls
            ],
            usage=ChatUsageBody(
                input_tokens=usage.input_tokens, output_tokens=usage.output_tokens, cost_usd=usage.cost_usd
            )
            if usage
            else None,
            error={"code": message.error_code, "message": message.error_message or ""} if message.error_code else None,
        )


class HistoryBody(Struct, kw_only=True):
    items: list[ChatMessageBody]
    next_after: int | None

    @classmethod
    def from_domain(cls, page: HistoryPage) -> HistoryBody:
        return cls(items=[ChatMessageBody.from_domain(m) for m in page.items], next_after=page.next_after)


class VisitorBody(Struct, kw_only=True):
    """A visitor of a project's public chat: its cookie is set with this answer; send `csrf_token` in the
    X-CSRF-Token header of every write."""

    visitor_id: UUID
    project_id: UUID
    csrf_token: str
    expires_at: datetime


class AdoptedBody(Struct, kw_only=True):
    items: list[ChatSessionBody]
