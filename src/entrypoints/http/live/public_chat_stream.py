"""GET /api/v1/public/projects/{project_id}/chat/{session_id}/events: a visitor's session's replies as
they stream (server-sent events), the same events as a user's (chat_stream.py), named by the visitor's
cookie. Another visitor's session, or a project without public chat, is a 404."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter, PathParameter
from litestar.response import ServerSentEvent

from agentry.application.chat.visitors import IdentifyVisitor
from agentry.application.ports.clock import Clock
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.visitor_cookie import VisitorCookies
from agentry.entrypoints.http.live.channels import LiveChannels
from agentry.entrypoints.http.live.chat_stream import EVENT_ID_PATTERN, chat_events


class PublicChatEventsController(Controller):
    path = "/public/projects/{project_id:uuid}/chat"
    tags = ("public chat",)

    @get(
        "/{session_id:uuid}/events",
        summary="Follow a visitor's chat session's replies (server-sent events)",
        description="The events of /agent/chat/{session_id}/events, for the visitor whose cookie this is.",
        responses={
            200: ResponseSpec(
                str, description="An event stream", media_type="text/event-stream", generate_examples=False
            ),
            **problem_responses(
                400, 401, 404, when={400: "the Last-Event-ID is not an id this stream gave (`<turn>:<sequence>`)"}
            ),
        },
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        project_id: Annotated[UUID, PathParameter(description="The project whose public chat this is")],
        session_id: Annotated[UUID, PathParameter(description="The chat session's id")],
        live: NamedDependency[LiveChannels],
        identify: FromDishka[IdentifyVisitor],
        cookies: FromDishka[VisitorCookies],
        clock: FromDishka[Clock],
        last_event_id: Annotated[
            str | None,
            HeaderParameter(
                name="Last-Event-ID", required=False, pattern=EVENT_ID_PATTERN, description="`<turn>:<sequence>`"
            ),
        ] = None,
    ) -> ServerSentEvent:
        actor = await identify(project_id, cookies.visitor_reading(request, clock.now()))
        return await chat_events(request, actor, live, session_id, last_event_id)
