"""The work context with OpenTelemetry: steps are spans, the carrier holds W3C traceparent/tracestate
beside the correlation id."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import cast

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from agentry.adapters.otel.context import continued, correlation_carrier
from agentry.application.ports.work_context import Attributes

TRACER_NAME = "agentry"


class _Span:
    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span = span

    def set(self, attributes: Attributes) -> None:
        self._span.set_attributes(attributes)

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        self._span.add_event(name, dict(attributes or {}))


class OtelWorkContext:
    """Steps made as `start_as_current_span(..., record_exception=True)` would make them, without the
    SDK's tracer (spans.py: some 7 steps a task)."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        from agentry.adapters.otel.spans import SpanStarter

        self._spans = SpanStarter(provider or cast(TracerProvider, trace.get_tracer_provider()), TRACER_NAME)

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
        with continued(parent, attributes):
            span = self._spans.start(name, kind, attributes or {}, context)
            token = otel_context.attach(trace.set_span_in_context(span))  # the current context, as use_span
            try:
                yield _Span(span)
            except Exception as error:  # as use_span: recorded, the span an error with its message
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
                raise
            except BaseException as error:  # not an error as such (GeneratorExit, a cancel): its type alone
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                raise
            finally:
                otel_context.detach(token)
                span.end()
