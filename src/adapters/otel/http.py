"""The server span of an HTTP request: continues the caller's trace (W3C traceparent/tracestate)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.propagate import extract
from opentelemetry.trace import SpanKind, Status, StatusCode

from agentry.adapters.otel.tracing import TRACER_NAME

_PROPAGATED = frozenset({b"traceparent", b"tracestate", b"baggage"})


class RequestSpan:
    __slots__ = ("_method", "_span")

    def __init__(self, span: trace.Span, method: str) -> None:
        self._span = span
        self._method = method

    def finish(self, route: str, status: int, user_id: str | None) -> None:
        self._span.update_name(f"{self._method} {route}")
        self._span.set_attribute("http.route", route)
        self._span.set_attribute("http.response.status_code", status)
        if user_id is not None:
            self._span.set_attribute("enduser.id", user_id)
        if status >= 500:
            self._span.set_status(Status(StatusCode.ERROR))


@functools.cache
def _tracer() -> trace.Tracer:
    """The provider's tracer, got once (getting one builds it anew)."""
    return trace.get_tracer(TRACER_NAME)


_NO_PARENT = Context()


@contextmanager
def request_span(method: str, path: str, headers: Iterable[tuple[bytes, bytes]]) -> Iterator[RequestSpan]:
    carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers if name in _PROPAGATED}
    context = extract(carrier) if carrier else _NO_PARENT  # most callers send no trace context
    attributes = {"http.request.method": method, "url.path": path}
    with _tracer().start_as_current_span(method, context=context, kind=SpanKind.SERVER, attributes=attributes) as span:
        yield RequestSpan(span, method)
