"""The live slice's route handlers, as the app registers them: the server-sent events of a task and of a chat
session (a user's or a visitor's), the WebSocket, and a visitor's WebSocket to a public chat."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.types import ControllerRouterHandler

from agentry.entrypoints.http.live.chat_stream import ChatEventsController
from agentry.entrypoints.http.live.public_chat_socket import public_chat_socket
from agentry.entrypoints.http.live.public_chat_stream import PublicChatEventsController
from agentry.entrypoints.http.live.socket import live_socket
from agentry.entrypoints.http.live.task_stream import TaskEventsController

LIVE_ROUTES: Sequence[ControllerRouterHandler] = (
    TaskEventsController,
    ChatEventsController,
    PublicChatEventsController,
    live_socket,
    public_chat_socket,
)
