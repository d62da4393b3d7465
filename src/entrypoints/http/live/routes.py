"""The live slice's route handlers, as the app registers them: one task's server-sent events, and the WebSocket."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.types import ControllerRouterHandler

from agentry.entrypoints.http.live.chat_stream import ChatEventsController
from agentry.entrypoints.http.live.public_chat_stream import PublicChatEventsController
from agentry.entrypoints.http.live.socket import live_socket
from agentry.entrypoints.http.live.task_stream import TaskEventsController

LIVE_ROUTES: Sequence[ControllerRouterHandler] = (
    TaskEventsController,
    ChatEventsController,
    PublicChatEventsController,
    live_socket,
)
