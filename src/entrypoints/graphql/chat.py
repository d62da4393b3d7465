"""Chat: the caller's sessions, one session with its history, and the chat mutations, through the use
cases of /api/v1/agent/chat. A session another user owns does not exist for the caller (not_found).

A page of sessions resolves each session's project through the context's loader (one batch per page);
`history` is read only on `chatSession(id)` (ChatSessionWithHistory), never once per session of a page."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self, cast
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from agentry.application.chat.history import ChatHistory, ChatMessage
from agentry.application.chat.send_message import SendMessage, SendMessageCommand
from agentry.application.chat.sessions import (
    CancelTurn,
    ChangeSession,
    DeleteSession,
    GetSession,
    ListSessions,
)
from agentry.domain.chat.session import ChatSession, ChatTurn, TurnStatus
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.rest_bodies import body_fields
from agentry.entrypoints.graphql.types import ErrorType, ProjectType, UsageType
from agentry.entrypoints.http.chat.cursor import decode_session_cursor, encode_session_cursor
from agentry.entrypoints.http.chat.schemas import ChatSessionBody, SessionChange
from agentry.entrypoints.http.kit.chat_send import ChatSend

strawberry.enum(TurnStatus)


@strawberry.type(name="ChatToolCall")
class ChatToolCallType:
    id: str | None
    name: str
    input: JSON
    result: str | None
    is_error: bool


@strawberry.type(name="ChatMessage")
class ChatMessageType:
    turn_id: UUID
    turn: int
    role: str = strawberry.field(description="user or assistant")
    text: str
    at: datetime
    status: TurnStatus
    tool_calls: list[ChatToolCallType]
    usage: UsageType | None
    error: ErrorType | None

    @classmethod
    def of(cls, message: ChatMessage) -> ChatMessageType:
        return cls(
            turn_id=message.turn_id,
            turn=message.turn,
            role=message.role,
            text=message.text,
            at=message.at,
            status=message.status,
            tool_calls=[
                ChatToolCallType(id=c.id, name=c.name, input=cast(JSON, c.input), result=c.result, is_error=c.is_error)
                for c in message.tool_calls
            ],
            usage=UsageType.of(message.usage) if message.usage else None,
            error=ErrorType(code=message.error_code, message=message.error_message or "")
            if message.error_code
            else None,
        )


@strawberry.type(name="ChatHistoryPage")
class ChatHistoryPageType:
    items: list[ChatMessageType]
    next_after: int | None = strawberry.field(description="The turn to page on from (after); null: no more")


@strawberry.type(name="ChatSession")
class ChatSessionType:
    id: UUID
    project_id: UUID
    title: str
    archived: bool
    turns: int
    answering: bool
    public: bool = strawberry.field(description="Begun in a project's public chat (by a visitor, adopted since)")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, session: ChatSession) -> Self:
        return cls(**body_fields(ChatSessionBody.from_domain(session)))

    @strawberry.field(description="The session's project (batched over a page of sessions)")
    async def project(self, info: Info[Any, Any]) -> ProjectType | None:
        context = context_of(info)
        project = await context.projects.load(self.project_id)
        if project is None:
            return None
        return ProjectType.of(project, (await context.principal()).project_role(project.id))


@strawberry.type(name="ChatSessionWithHistory")
class ChatSessionWithHistoryType(ChatSessionType):
    @strawberry.field(description="The messages in order, with tool calls and usage, paged by turn")
    async def history(self, info: Info[Any, Any], first: int = 50, after: int = 0) -> ChatHistoryPageType:
        page = await context_of(info).call(
            ChatHistory, lambda use, actor: use(actor, self.id, after=after, limit=first)
        )
        return ChatHistoryPageType(items=[ChatMessageType.of(m) for m in page.items], next_after=page.next_after)


@strawberry.type(name="ChatSessionPage")
class ChatSessionPageType:
    items: list[ChatSessionType]
    next_cursor: str | None


@strawberry.type(name="ChatTurnAccepted")
class TurnAcceptedType:
    session_id: UUID
    turn_id: UUID
    turn: int
    status: TurnStatus = strawberry.field(description="RUNNING: the agent answers now; QUEUED: after the turns before")
    task_id: UUID | None

    @classmethod
    def of(cls, turn: ChatTurn) -> TurnAcceptedType:
        return cls(
            session_id=turn.session_id, turn_id=turn.id, turn=turn.number, status=turn.status, task_id=turn.task_id
        )


@strawberry.input(description="As the body of POST /api/v1/agent/chat")
class SendChatMessageInput:
    message: str
    session_id: UUID | None = strawberry.field(default=None, description="Omitted: a new session")
    project_id: UUID | None = strawberry.field(default=None, description="A new session's; omitted: your personal one")
    options: JSON | None = strawberry.field(default=None, description="A task's options, as in the REST body")


@strawberry.type
class ChatQuery:
    @strawberry.field(description="Your chat sessions, latest activity first")
    async def chat_sessions(
        self, info: Info[Any, Any], first: int = 50, after: str | None = None, archived: bool = False
    ) -> ChatSessionPageType:
        before = decode_session_cursor(after)
        page = await context_of(info).call(
            ListSessions, lambda use, actor: use(actor, archived=archived, before=before, limit=first)
        )
        last = page.next_before
        return ChatSessionPageType(
            items=[ChatSessionType.of(s) for s in page.items],
            next_cursor=encode_session_cursor(*last) if last else None,
        )

    @strawberry.field(description="One of your chat sessions (not found for anyone else's)")
    async def chat_session(self, info: Info[Any, Any], id: UUID) -> ChatSessionWithHistoryType:
        session = await context_of(info).call(GetSession, lambda use, actor: use(actor, id))
        return ChatSessionWithHistoryType.of(session)


@strawberry.type
class ChatMutation:
    @strawberry.mutation(description="Send a message: a new session (no sessionId) or the next turn of one")
    async def send_chat_message(self, info: Info[Any, Any], input: SendChatMessageInput) -> TurnAcceptedType:
        raw = {name: value for name, value in vars(input).items() if value is not None}
        body = msgspec.convert(raw, ChatSend, strict=False)
        command = SendMessageCommand(body.message, body.session_id, body.project_id, body.options_raw())
        sent = await context_of(info).call(SendMessage, lambda use, actor: use(actor, command))
        return TurnAcceptedType.of(sent.turn)

    @strawberry.mutation(description="Stop the turn the agent is answering")
    async def cancel_chat_turn(self, info: Info[Any, Any], session_id: UUID) -> TurnAcceptedType:
        return TurnAcceptedType.of(await context_of(info).call(CancelTurn, lambda use, actor: use(actor, session_id)))

    @strawberry.mutation(description="Rename a session")
    async def rename_chat_session(self, info: Info[Any, Any], id: UUID, title: str) -> ChatSessionType:
        checked = msgspec.convert({"title": title}, SessionChange).title  # as REST checks it
        new_title = checked if isinstance(checked, str) else None
        session = await context_of(info).call(ChangeSession, lambda use, actor: use(actor, id, title=new_title))
        return ChatSessionType.of(session)

    @strawberry.mutation(description="Archive (true) or unarchive (false) a session")
    async def archive_chat_session(self, info: Info[Any, Any], id: UUID, archived: bool = True) -> ChatSessionType:
        session = await context_of(info).call(ChangeSession, lambda use, actor: use(actor, id, archived=archived))
        return ChatSessionType.of(session)

    @strawberry.mutation(description="Delete a session, its turns' tasks and its workspace; answers the id")
    async def delete_chat_session(self, info: Info[Any, Any], id: UUID) -> UUID:
        await context_of(info).call(DeleteSession, lambda use, actor: use(actor, id))
        return id
