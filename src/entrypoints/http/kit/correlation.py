"""A correlation id for every request: taken from X-Request-ID when sane, made up otherwise,
returned in the response header, carried in problem documents and in the logs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from agentry.adapters.otel.context import (
    correlation_id as correlation_id,  # the logs and the work carried to workers read it
)

HEADER = b"x-request-id"
_SANE = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")


def correlation_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        value = correlation_id_from(scope["headers"])
        token = correlation_id.set(value)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (HEADER, value.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            correlation_id.reset(token)

    return middleware


def correlation_id_from(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The caller's X-Request-ID when it is sane, a new id otherwise."""
    given = next((value for name, value in headers if name == HEADER), None)
    # a new one as random as a uuid4's, without building a UUID
    return given.decode() if given is not None and _SANE.match(given) else os.urandom(16).hex()
