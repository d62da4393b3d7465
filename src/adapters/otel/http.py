"""The server span of an HTTP request: continues the caller's trace (W3C traceparent/tracestate).

Made without the SDK's tracer, as leaf spans are (leaf.py): `start_as_current_span` goes through
three context managers, a span object with its lock and bounded attributes, and `use_span`, 12 us of
CPU a read at the default sampling (30 us a recorded span), for a read that takes about 1 ms. Here the
provider's sampler decides as the SDK's tracer would (same arguments, same trace flags and trace
state); an unrecorded request is the NonRecordingSpan the SDK would make, a recorded one a small span
whose end hands the processors the same ReadableSpan (name, kind SERVER, parent, attributes, events,
status, times, resource, scope)."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from time import time_ns
from types import TracebackType
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract
from opentelemetry.sdk.trace import Event, TracerProvider
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.util.types import Attributes, AttributeValue

from agentry.adapters.otel.handoff import SpanHandOff
from agentry.adapters.otel.tracing import TRACER_NAME

_PROPAGATED = frozenset({b"traceparent", b"tracestate", b"baggage"})
_UNSET = Status(StatusCode.UNSET)
_ERROR = Status(StatusCode.ERROR)


class ServerSpans:
    """Request spans for `provider`'s sampler and processors."""

    def __init__(self, provider: TracerProvider) -> None:
        self._sampler = provider.sampler
        self._ids = provider.id_generator
        self._random = TraceFlags.RANDOM_TRACE_ID if provider.id_generator.is_trace_id_random() else 0
        self._hand_off = SpanHandOff(provider, TRACER_NAME)

    def request(self, method: str, path: str, headers: Iterable[tuple[bytes, bytes]]) -> RequestSpan:
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers if name in _PROPAGATED}
        parent_context = extract(carrier) if carrier else None  # most callers send no trace context
        parent: SpanContext | None = trace.get_current_span(parent_context).get_span_context()
        if parent is not None and parent.is_valid:
            trace_id, flags = parent.trace_id, parent.trace_flags & TraceFlags.RANDOM_TRACE_ID
        else:
            parent, trace_id, flags = None, self._ids.generate_trace_id(), self._random
        attributes = {"http.request.method": method, "url.path": path}
        sampled = self._sampler.should_sample(parent_context, trace_id, method, SpanKind.SERVER, attributes)
        if sampled.decision is Decision.RECORD_AND_SAMPLE:
            flags |= TraceFlags.SAMPLED
        context = SpanContext(trace_id, self._ids.generate_span_id(), False, TraceFlags(flags), sampled.trace_state)
        span: trace.Span
        if sampled.decision is not Decision.DROP:
            span = _ServerSpan(self._hand_off, method, context, parent, dict(sampled.attributes or {}))
        else:
            span = NonRecordingSpan(context)
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


class _ServerSpan(trace.Span):
    """A recorded request span: the parent of the request's other spans, exported when it ends."""

    def __init__(
        self,
        hand_off: SpanHandOff,
        name: str,
        context: SpanContext,
        parent: SpanContext | None,
        attributes: dict[str, Any],
    ) -> None:
        self._hand_off = hand_off
        self._name = name
        self._context = context
        self._parent = parent
        self.attributes = attributes
        self.events: list[Event] = []
        self.status = _UNSET
        self.start = time_ns()
        self._ended = False

    def get_span_context(self) -> SpanContext:
        return self._context

    def is_recording(self) -> bool:
        return not self._ended

    def set_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        if not self._ended:
            self.attributes.update(attributes)

    def set_attribute(self, key: str, value: AttributeValue) -> None:
        if not self._ended:
            self.attributes[key] = value

    def add_event(self, name: str, attributes: Attributes = None, timestamp: int | None = None) -> None:
        if not self._ended:
            self.events.append(Event(name, attributes, timestamp or time_ns()))

    def update_name(self, name: str) -> None:
        self._name = name

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        if self._ended or self.status.status_code is StatusCode.OK:  # OK is final, as in the SDK
            return
        self.status = status if isinstance(status, Status) else Status(status, description)

    def record_exception(
        self,
        exception: BaseException,
        attributes: Attributes = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        described = {
            "exception.type": type(exception).__name__,
            "exception.message": str(exception),
            "exception.stacktrace": "".join(traceback.format_exception(exception)),
            "exception.escaped": str(escaped),
            **(attributes or {}),
        }
        self.add_event("exception", described, timestamp)

    def end(self, end_time: int | None = None) -> None:
        if self._ended:
            return
        self._ended = True
        self._hand_off.end(
            self._name,
            self._context,
            self._parent,
            self.attributes,
            SpanKind.SERVER,
            self.status,
            self.start,
            end_time,
            tuple(self.events),
        )
