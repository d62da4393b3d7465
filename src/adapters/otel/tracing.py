"""The work context with OpenTelemetry: steps are spans, the carrier holds W3C traceparent/tracestate
beside the correlation id."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from agentry.adapters.otel.context import continued, correlation_carrier
from agentry.application.ports.work_context import Attributes

TRACER_NAME = "agentry"


class _Span:
    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span = span

    def set(self, attributes: Attributes) -> None:
        self._span.set_attributes(dict(attributes))

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        self._span.add_event(name, dict(attributes or {}))


class OtelWorkContext:
    def __init__(self, provider: trace.TracerProvider | None = None) -> None:
        self._tracer = (provider or trace.get_tracer_provider()).get_tracer(TRACER_NAME)

    def carrier(self) -> dict[str, str]:
        carrier = correlation_carrier()
        inject(carrier)
        return carrier

    @contextmanager
    def span(
        self, name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
    ) -> Iterator[_Span]:
        # Work carried from elsewhere continues its trace: a consumer's span, child of the stored context.
        context = extract(parent) if parent is not None else None
        kind = SpanKind.CONSUMER if parent is not None else SpanKind.INTERNAL
        with (
            continued(parent, attributes),
            self._tracer.start_as_current_span(
                name, context=context, kind=kind, attributes=dict(attributes or {}), record_exception=True
            ) as span,
        ):
            try:
                yield _Span(span)
            except BaseException as error:
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                raise
