"""What each request leaves behind: one access-log line (method, route template, status, duration,
user id) and, when tracing is on, a server span that the rest of the request's work hangs under.

Wraps the whole app, routing included, inside the correlation middleware: both carry the request's
correlation id, and a request refused while routing (404, 405) has its line too, with the route
`unmatched`."""

from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from agentry.adapters.otel.setup import tracing_on

access = logging.getLogger("agentry.access")
# Filled in as the request goes (the user, once authenticated): a dict, so that what a dependency
# resolved in another task writes is seen here too.
request_facts: ContextVar[dict[str, str] | None] = ContextVar("request_facts", default=None)


def note_user(user_id: str) -> None:
    facts = request_facts.get()
    if facts is not None:
        facts["user_id"] = user_id


def observe_middleware(app: ASGIApp) -> ASGIApp:
    spans = None  # decided once: with tracing off, requests pay for no span at all
    if tracing_on():
        from opentelemetry import trace

        from agentry.adapters.otel.http import ServerSpans

        spans = ServerSpans(trace.get_tracer_provider())  # type: ignore[arg-type]  # tracing_on: the SDK one

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        facts: dict[str, str] = {}
        token = request_facts.set(facts)
        status = 500
        method: str = scope["method"]

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        span: AbstractContextManager[Any] = nullcontext()
        if spans is not None:
            span = spans.request(method, scope["path"], scope["headers"])
        try:
            with span as opened:
                try:
                    await app(scope, receive, send_noting_status)
                finally:
                    # Known once routed; a template, never a raw path (ids).
                    route: str = scope.get("path_template") or "unmatched"
                    if opened is not None:
                        opened.finish(route, status, facts.get("user_id"))
                    duration_ms = round((time.perf_counter() - started) * 1000, 2)
                    access.info(
                        "%s %s %d %.1fms",
                        method,
                        route,
                        status,
                        duration_ms,
                        extra={
                            "method": method,
                            "route": route,
                            "status": status,
                            "duration_ms": duration_ms,
                            "user_id": facts.get("user_id"),
                        },
                    )
        finally:
            request_facts.reset(token)

    return middleware
