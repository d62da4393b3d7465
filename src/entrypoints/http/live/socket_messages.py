"""What the two WebSockets (a user's, socket.py; a visitor's, public_chat_socket.py) share: how a client's
message is read, how a refusal is told, and the request scope each question to the use cases runs in."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket

from agentry.application.errors import Forbidden, NotFound, Unauthenticated
from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.entrypoints.http.kit.json_depth import JsonTooDeep, require_depth

UNAUTHENTICATED = 4401
GOING_AWAY = 1001
AUTH_TIMEOUT_S = 10.0


def request_scope(socket: WebSocket[Any, Any, Any]) -> contextlib.AbstractAsyncContextManager[AsyncContainer]:
    """A request scope of its own for each question asked of the use cases, so the socket holds
    no database session between messages."""
    session: AsyncContainer = socket.state.dishka_container
    return session()


def decode_message(text: str, max_depth: int) -> dict[str, Any] | None:
    """The message as an object; None if it is not one. Its nesting is checked before decoding."""
    require_depth(text, max_depth, "the message")
    try:
        message = msgspec.json.decode(text)
    except msgspec.DecodeError:
        return None
    return message if isinstance(message, dict) else None


async def auth_message(socket: WebSocket[Any, Any, Any], max_depth: int) -> dict[str, Any]:
    """The client's first message if it is `{"type": "auth", …}`, else an empty one; Unauthenticated if none
    comes within AUTH_TIMEOUT_S."""
    try:
        async with asyncio.timeout(AUTH_TIMEOUT_S):
            message = decode_message(await socket.receive_data("text"), max_depth)
    except TimeoutError:
        raise Unauthenticated(f"no auth message within {AUTH_TIMEOUT_S:g} s") from None
    except JsonTooDeep:
        message = None
    return message if message and message.get("type") == "auth" else {}


def code_of(refused: Exception) -> str:
    match refused:
        case NotFound():
            return "not_found"
        case Forbidden():
            return "forbidden"
        case InvalidValue():
            return "bad_request"
        case IllegalTransition():
            return "conflict"
    return getattr(refused, "code", "refused")


def error_message(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}
