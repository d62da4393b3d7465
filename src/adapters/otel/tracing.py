"""The work context with OpenTelemetry: steps are spans, the carrier holds W3C traceparent/tracestate
beside the correlation id."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import cast

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind, Status, StatusCode

from agentry.adapters.otel.context import Continued, correlation_carrier
from agentry.adapters.otel.spans import SpanStarter
from agentry.application.ports.work_context import Attributes

TRACER_NAME = "agentry"


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
        self._context = extract(parent) if parent is not None else None
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
        inject(carrier)
        return carrier

    def span(
        self, name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
    ) -> _Step:
        return _Step(self._spans, name, attributes, parent)
