"""/api/v1/public/projects/{project_id}/chat: a project's public chat, for browsers without an account
(README "Public chat"). The visitor is named by its cookie (kit/visitor_cookie.py); every write needs
the cookie's CSRF token. A project that has not opened its chat answers 404. The events of a session
stream from /api/v1/public/projects/{project_id}/chat/{session_id}/events (live/public_chat_stream.py);
a visitor may also chat over its own WebSocket, …/chat/ws (live/public_chat_socket.py)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, get, post
from litestar.params import Dependency, JSONBody, PathParameter, QueryParameter

from agentry.application.chat.history import TURNS_MAX, ChatHistory
from agentry.application.chat.visitors import IdentifyVisitor, SendVisitorMessage, WelcomeVisitor
from agentry.application.ports.clock import Clock
from agentry.domain.principal import Principal
from agentry.entrypoints.http.chat.schemas import HistoryBody, TurnAccepted, VisitorBody
from agentry.entrypoints.http.kit.chat_send import PublicSend, TurnsSent
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.visitor_cookie import COOKIE, VisitorCookies

ProjectId = Annotated[UUID, PathParameter(description="The project whose public chat this is")]
SessionId = Annotated[UUID, PathParameter(description="The chat session's id")]
_READ = problem_responses(400, 401, 404, 422)
_WRITE = problem_responses(
    400,
    401,
    403,
    404,
    409,
    422,
    when={403: "the X-CSRF-Token header is missing or is not the chat session's"},
)


class PublicChatController(Controller):
    path = "/public/projects/{project_id:uuid}/chat"
    tags = ("public chat",)

    @post(
        "/session",
        status_code=201,
        summary="Start (or resume) a visitor's chat session: sets its cookie, gives its CSRF token",
        description=f"Sets the `{COOKIE}` cookie (Secure, HttpOnly, SameSite=Strict, signed, expiring after "
        "AGENTRY_ANON_CHAT_TTL_S). A current cookie of this project is kept (the same visitor, its token again).",
        responses=problem_responses(400, 404),
    )
    async def start(
        self,
        request: Request[Any, Any, Any],
        project_id: ProjectId,
        welcome: FromDishka[WelcomeVisitor],
        cookies: FromDishka[VisitorCookies],
        clock: FromDishka[Clock],
    ) -> Response[VisitorBody]:
        now = clock.now()
        visitor = (await welcome(project_id, cookies.visitor_of(request.cookies.get(COOKIE), now))).visitor
        body = VisitorBody(
            visitor_id=visitor.id,
            project_id=visitor.project_id,
            csrf_token=cookies.csrf(visitor.id),
            expires_at=visitor.expires_at,
        )
        return Response(body, status_code=201, cookies=[cookies.cookie(visitor.id, visitor.expires_at, now)])

    @post(
        "/",
        status_code=202,
        summary="Send a message as a visitor: a new session (no session_id) or the next turn of one",
        description="Needs the visitor's cookie and its X-CSRF-Token. Answers at once; the reply streams over the "
        "session's events. Turns run on the public chat's runner, with its tools only. A 429 /problems/rate-limited "
        "names the public chat limit reached in `limit` (chat-minute, chat-day, chat-tokens, chat-daily-cost), with "
        "the RateLimit headers and Retry-After. A browser may chat over the visitor's WebSocket instead: "
        "/api/v1/public/projects/{project_id}/chat/ws, with the cookie, its CSRF token as the first message "
        '(`{"type": "auth", "csrf_token": …}`) and this service\'s own Origin (README "Public chat").',
        responses=_WRITE,
    )
    async def send(
        self,
        request: Request[Any, Any, Any],
        project_id: ProjectId,
        data: JSONBody[PublicSend],
        identify: FromDishka[IdentifyVisitor],
        send: FromDishka[SendVisitorMessage],
        cookies: FromDishka[VisitorCookies],
        clock: FromDishka[Clock],
        live: Annotated[TurnsSent, Dependency(skip_validation=True)],  # the live slice's channels
    ) -> TurnAccepted:
        actor = await identify(project_id, cookies.visitor_writing(request, clock.now()))
        sent = await send(actor, project_id, data.message, data.session_id)
        live.turn_sent(sent.session.id)  # the session's followers need not wait for their next poll
        return TurnAccepted.from_domain(sent)

    @get("/history/{session_id:uuid}", summary="A visitor's session: its messages in order", responses=_READ)
    async def history(
        self,
        request: Request[Any, Any, Any],
        project_id: ProjectId,
        session_id: SessionId,
        identify: FromDishka[IdentifyVisitor],
        history: FromDishka[ChatHistory],
        cookies: FromDishka[VisitorCookies],
        clock: FromDishka[Clock],
        after: Annotated[int, QueryParameter(ge=0, description="the next_after of the page before (a turn)")] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=TURNS_MAX, description="turns (two messages each)")] = 50,
    ) -> HistoryBody:
        actor: Principal = await identify(project_id, cookies.visitor_reading(request, clock.now()))
        return HistoryBody.from_domain(await history(actor, session_id, after=after, limit=limit))
