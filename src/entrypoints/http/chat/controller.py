"""/api/v1/agent/chat: send a message (a new session or the next turn of one), the sender's sessions,
a session's history, rename, archive, delete, cancel the turn the agent is answering, and adopt the
chats of the public chat visitor whose cookie the user holds."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import Dependency, JSONBody, PathParameter, QueryParameter
from msgspec import UNSET

from agentry.application.chat.history import TURNS_MAX, ChatHistory
from agentry.application.chat.send_message import SendMessage, SendMessageCommand
from agentry.application.chat.sessions import SESSIONS_MAX, CancelTurn, ChangeSession, DeleteSession, ListSessions
from agentry.application.chat.visitors import AdoptVisitor
from agentry.application.ports.clock import Clock
from agentry.domain.principal import Principal
from agentry.entrypoints.http.chat.cursor import decode_session_cursor, encode_session_cursor
from agentry.entrypoints.http.chat.schemas import (
    AdoptedBody,
    ChatSessionBody,
    HistoryBody,
    SessionChange,
    SessionPageBody,
    TurnAccepted,
)
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.chat_send import ChatSend, TurnsSent
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import OPAQUE_CURSOR, TASK_CURSOR_PATTERN
from agentry.entrypoints.http.kit.visitor_cookie import COOKIE, CSRF_HEADER, VisitorCookies

Actor = NamedDependency[Principal]
SessionId = Annotated[UUID, PathParameter(description="The chat session's id")]
_READ = problem_responses(400, 401, 404, 422)
_WRITE = problem_responses(
    400,
    401,
    403,
    404,
    409,
    422,
    new_work=True,
    when={422: "the message or title is blank, or the options are not a task's options or break the project's rules"},
)


class ChatController(Controller):
    security = REQUIRES_BEARER
    path = "/agent/chat"
    tags = ("chat",)

    @post(
        "/",
        status_code=202,
        summary="Send a message: a new session (no session_id) or the next turn of one",
        description="Answers at once; the reply streams over the WebSocket and the session's events. One turn "
        "runs at a time per session: a message sent while the agent answers is queued, and answered in order.",
        responses=_WRITE,
    )
    async def send(
        self,
        data: JSONBody[ChatSend],
        actor: Actor,
        send: FromDishka[SendMessage],
        live: Annotated[TurnsSent, Dependency(skip_validation=True)],  # the live slice's channels
    ) -> TurnAccepted:
        command = SendMessageCommand(data.message, data.session_id, data.project_id, data.options_raw())
        sent = await send(actor, command)
        live.turn_sent(sent.session.id)  # the session's followers need not wait for their next poll
        return TurnAccepted.from_domain(sent)

    @post(
        "/adopt",
        status_code=200,
        summary="Adopt the chats of the public chat visitor whose cookie I hold",
        description=f"With the `{COOKIE}` cookie and its {CSRF_HEADER} header (after signing up or logging in in "
        "the browser that chatted): the visitor's sessions, their turns and tasks become mine, and the visitor ends "
        "(the answer deletes the cookie; it reaches nothing any more). The sessions stay in the public chat's "
        "project, where their workspace is: I list, read, rename, archive and delete them; sending into one "
        "takes the right to submit tasks in that project (403 otherwise).",
        responses=problem_responses(
            401, 403, 404, when={403: f"the {CSRF_HEADER} header is missing or is not the cookie's"}
        ),
    )
    async def adopt(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        adopt: FromDishka[AdoptVisitor],
        cookies: FromDishka[VisitorCookies],
        clock: FromDishka[Clock],
    ) -> Response[AdoptedBody]:
        sessions = await adopt(actor, cookies.visitor_writing(request, clock.now()))
        body = AdoptedBody(items=[ChatSessionBody.from_domain(s) for s in sessions])
        return Response(body, status_code=200, cookies=[cookies.cleared()])

    @get("/sessions", summary="My chat sessions, latest activity first", responses=_READ)
    async def sessions(
        self,
        actor: Actor,
        list_sessions: FromDishka[ListSessions],
        archived: Annotated[
            bool | None, QueryParameter(description="false (default): active sessions; true: archived ones")
        ] = False,
        cursor: Annotated[
            str | None,
            QueryParameter(
                description=f"next_cursor of the previous page. {OPAQUE_CURSOR}", pattern=TASK_CURSOR_PATTERN
            ),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=SESSIONS_MAX)] = 50,
    ) -> SessionPageBody:
        page = await list_sessions(actor, archived=archived, before=decode_session_cursor(cursor), limit=limit)
        last = page.next_before
        return SessionPageBody(
            items=[ChatSessionBody.from_domain(s) for s in page.items],
            next_cursor=encode_session_cursor(*last) if last else None,
        )

    @get(
        "/history/{session_id:uuid}",
        summary="A session's messages in order, with tool calls and usage",
        responses=_READ,
    )
    async def history(
        self,
        session_id: SessionId,
        actor: Actor,
        history: FromDishka[ChatHistory],
        after: Annotated[int, QueryParameter(ge=0, description="the next_after of the page before (a turn)")] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=TURNS_MAX, description="turns (two messages each)")] = 50,
    ) -> HistoryBody:
        return HistoryBody.from_domain(await history(actor, session_id, after=after, limit=limit))

    @patch("/{session_id:uuid}", summary="Rename, archive or unarchive a session", responses=_WRITE)
    async def change(
        self,
        request: Request[Any, Any, Any],
        session_id: SessionId,
        data: JSONBody[SessionChange],
        actor: Actor,
        change: FromDishka[ChangeSession],
    ) -> ChatSessionBody:
        try:  # strictly: the lax decoding takes 0 and 1 for booleans
            data = msgspec.convert(await request.json(), SessionChange, strict=True)
        except msgspec.ValidationError as error:
            raise ValidationException(
                f"Validation failed for PATCH {request.url.path}",
                extra=[{"message": str(error), "key": "body", "source": "body"}],
            ) from None
        title = data.title if data.title is not UNSET else None
        archived = data.archived if data.archived is not UNSET else None
        return ChatSessionBody.from_domain(await change(actor, session_id, title=title, archived=archived))

    @delete("/{session_id:uuid}", summary="Delete a session, its turns' tasks and its workspace", responses=_WRITE)
    async def delete_session(self, session_id: SessionId, actor: Actor, delete_it: FromDishka[DeleteSession]) -> None:
        await delete_it(actor, session_id)

    @post(
        "/{session_id:uuid}/cancel", status_code=202, summary="Stop the turn the agent is answering", responses=_WRITE
    )
    async def cancel(self, session_id: SessionId, actor: Actor, cancel: FromDishka[CancelTurn]) -> TurnAccepted:
        return TurnAccepted.of(await cancel(actor, session_id))
