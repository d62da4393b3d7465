from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from agentry.entrypoints.read_only import READ_ONLY


def read_only_middleware(app: ASGIApp) -> ASGIApp:
    """GET and HEAD requests never write: mark them so their session skips the transaction."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        token = READ_ONLY.set(True)
        try:
            await app(scope, receive, send)
        finally:
            READ_ONLY.reset(token)

    return middleware
