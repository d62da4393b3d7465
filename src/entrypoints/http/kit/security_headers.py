"""Headers every answer carries: `X-Content-Type-Options: nosniff`, so no browser reads a JSON or
problem document as something else. A `before_send` hook sees every response, the refusals made
while routing (404, 405) and the OpenAPI pages included. `Cache-Control: no-store` is set by the
routes whose answers hold a secret (NO_STORE); no header names the server's software."""

from __future__ import annotations

from litestar.datastructures import CacheControlHeader
from litestar.types import Message, Scope

NO_STORE = CacheControlHeader(no_store=True)
NOSNIFF = (b"x-content-type-options", b"nosniff")


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        # the raw pairs, not Litestar's header view: this runs for every answer
        headers = list(message.get("headers", ()))
        if not any(name.lower() == NOSNIFF[0] for name, _ in headers):
            message["headers"] = [*headers, NOSNIFF]
