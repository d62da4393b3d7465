"""The work context with OpenTelemetry: steps are spans, the carrier holds W3C traceparent/tracestate
beside the correlation id."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import TracebackType
from typing import cast

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.baggage import _BAGGAGE_KEY
from opentelemetry.baggage.propagation import W3CBaggagePropagator
from opentelemetry.propagate import extract, get_global_textmap, inject
from opentelemetry.propagators.composite import CompositePropagator
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import (
    INVALID_SPAN_CONTEXT,
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
)
from opentelemetry.trace.propagation import _SPAN_KEY
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from agentry.adapters.otel.context import Continued, correlation_carrier
from agentry.adapters.otel.spans import SpanStarter
from agentry.application.ports.work_context import Attributes

TRACER_NAME = "agentry"


_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_DEFAULTS = [TraceContextTextMapPropagator, W3CBaggagePropagator]
_plain: list[object] = []  # the global propagator, once found to be the default one


def _plain_propagation() -> bool:
    """The global propagator is the default one (W3C trace context, then baggage)."""
    propagator = get_global_textmap()
    if _plain and _plain[0] is propagator:
        return True
    if type(propagator) is CompositePropagator and [type(one) for one in propagator._propagators] == _DEFAULTS:
        _plain[:] = [propagator]
        return True
    return False


def continued(carrier: Mapping[str, str]) -> otel_context.Context:
    """`extract(carrier)`: what a carrier made here holds (a version 00 `traceparent`, no trace state,
    no baggage) read with one match where the global propagator is the default one; anything else by
    the propagator. For every message and relayed job."""
    if not _plain_propagation():
        return extract(carrier)
    match = _TRACEPARENT.fullmatch(carrier.get("traceparent") or "")
    if match is None or "tracestate" in carrier or "baggage" in carrier:
        return extract(carrier)
    trace_id, span_id = int(match[1], 16), int(match[2], 16)
    if not (trace_id and span_id):
        return extract(carrier)
    context = SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(int(match[3], 16)))
    return trace.set_span_in_context(NonRecordingSpan(context), otel_context.Context())


def carry(carrier: dict[str, str]) -> None:
    """`inject(carrier)`: the current span's `traceparent` (and `tracestate`) written as the default
    propagator writes them, where it is the global one and the context holds no baggage; else by the
    propagator. For every job stored and every message sent."""
    current = otel_context.get_current()
    if current.get(_BAGGAGE_KEY) or not _plain_propagation():
        inject(carrier)
        return
    span = current.get(_SPAN_KEY)
    if not isinstance(span, trace.Span):
        return
    context = span.get_span_context()
    if context == INVALID_SPAN_CONTEXT:
        return
    carrier["traceparent"] = f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
    if context.trace_state:
        carrier["tracestate"] = context.trace_state.to_header()


class _Step:
    """One step, open while in `with`: its span is the current span, the ids it names are in the logs;
    an error raised through it is recorded on it. A class rather than nested generators (the step
    was two @contextmanager functions, some 5 us of its 11): made for every step of every task."""

    __slots__ = ("_attributes", "_context", "_continued", "_kind", "_name", "_span", "_starter", "_token")

    def __init__(
        self, starter: SpanStarter, name: str, attributes: Attributes | None, parent: Mapping[str, str] | None
    ) -> None:
        self._starter = starter
        self._name = name
        self._attributes = attributes or {}
        # Work carried from elsewhere continues its trace: a consumer's span, child of the stored context.
        self._context = continued(parent) if parent is not None else None
        self._kind = SpanKind.CONSUMER if parent is not None else SpanKind.INTERNAL
        self._continued = Continued(parent, attributes)

    def __enter__(self) -> _Step:
        self._continued.__enter__()
        try:
            span = self._span = self._starter.start(self._name, self._kind, self._attributes, self._context)
        except BaseException:
            self._continued.__exit__()
            raise
        self._token = otel_context.attach(trace.set_span_in_context(span))  # the current context, as use_span
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        span = self._span
        if isinstance(error, Exception):  # as use_span: recorded, the span an error with its message
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        elif error is not None:  # not an error as such (GeneratorExit, a cancel): its type alone
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        otel_context.detach(self._token)
        span.end()
        self._continued.__exit__()

    def set(self, attributes: Attributes) -> None:
        self._span.set_attributes(attributes)

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        self._span.add_event(name, dict(attributes or {}))


class OtelWorkContext:
    """Steps made as `start_as_current_span(..., record_exception=True)` would make them, without the
    SDK's tracer (spans.py: some 7 steps a task)."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        self._spans = SpanStarter(provider or cast(TracerProvider, trace.get_tracer_provider()), TRACER_NAME)

    def carrier(self) -> dict[str, str]:
        carrier = correlation_carrier()
        carry(carrier)
        return carrier

    def span(
        self, name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
    ) -> _Step:
        return _Step(self._spans, name, attributes, parent)
