"""The request's server span, made without the SDK's tracer: it samples, continues the caller's trace,
parents the request's work and exports what the SDK's span would."""

from __future__ import annotations

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased
from opentelemetry.trace import SpanKind, StatusCode

from agentry.adapters.otel.http import ServerSpans
from agentry.adapters.otel.setup import WorkRoots
from agentry.adapters.otel.tracing import OtelWorkContext

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


def spans(sampler: object = None) -> tuple[ServerSpans, TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=sampler or ParentBased(root=WorkRoots()))  # type: ignore[arg-type]
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return ServerSpans(provider), provider, exporter


def test_a_write_is_a_recorded_server_span_named_by_its_route_and_the_parent_of_the_request_s_work() -> None:
    server, provider, exporter = spans()
    with server.request("POST", "/api/v1/tasks", [(b"host", b"x")]) as request:
        with OtelWorkContext(provider).span("outbox enqueue"):
            pass
        request.finish("/api/v1/tasks", 201, "user-1")
    step, span = exporter.get_finished_spans()
    assert span.name == "POST /api/v1/tasks" and span.kind is SpanKind.SERVER and span.parent is None
    assert dict(span.attributes or {}) == {
        "http.request.method": "POST",
        "url.path": "/api/v1/tasks",
        "http.route": "/api/v1/tasks",
        "http.response.status_code": 201,
        "enduser.id": "user-1",
    }
    assert span.status.status_code is StatusCode.UNSET and span.resource is provider.resource
    assert span.instrumentation_scope is not None and span.instrumentation_scope.name == "agentry"
    assert span.context.trace_flags.sampled and span.start_time and span.end_time >= span.start_time  # type: ignore[operator]
    assert step.parent is not None and step.parent.span_id == span.context.span_id
    assert step.context.trace_id == span.context.trace_id
    assert not trace.get_current_span().get_span_context().is_valid  # the context is given back


def test_a_caller_s_sampled_trace_is_continued_even_for_a_read() -> None:
    server, _, exporter = spans()
    headers = [(b"traceparent", f"00-{CALLER_TRACE}-{CALLER_SPAN}-01".encode())]
    with server.request("GET", "/api/v1/tasks/1", headers) as request:
        request.finish("/api/v1/tasks/{task_id}", 200, None)
    (span,) = exporter.get_finished_spans()
    assert format(span.context.trace_id, "032x") == CALLER_TRACE
    assert span.parent is not None and span.parent.is_remote and format(span.parent.span_id, "016x") == CALLER_SPAN
    assert "enduser.id" not in (span.attributes or {})


def test_an_unsampled_request_exports_nothing_but_has_ids_for_its_log_lines() -> None:
    server, _, exporter = spans(ALWAYS_OFF)
    with server.request("POST", "/api/v1/tasks", []) as request:
        current = trace.get_current_span()
        request.finish("/api/v1/tasks", 500, None)
    assert not current.is_recording() and current.get_span_context().is_valid
    assert exporter.get_finished_spans() == ()


def test_a_server_error_or_an_escaping_exception_marks_the_span_an_error() -> None:
    server, _, exporter = spans()
    with server.request("POST", "/a", []) as request:
        request.finish("/a", 503, None)
    with pytest.raises(RuntimeError), server.request("POST", "/b", []):
        raise RuntimeError("boom")
    answered, raised = exporter.get_finished_spans()
    assert answered.status.status_code is StatusCode.ERROR
    assert raised.status.status_code is StatusCode.ERROR and raised.status.description == "RuntimeError: boom"
    assert [event.name for event in raised.events] == ["exception"]
    assert (raised.events[0].attributes or {})["exception.type"] == "RuntimeError"
