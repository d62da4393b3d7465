"""SQL statements are leaf spans under a recorded span (one per statement, its operation, text and
engine in its attributes; a failed one marked with the error's type); outside one they make none."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import create_engine, exc, text

from agentry.adapters.otel.setup import instrument_engine


def test_statements_under_a_recorded_span_are_its_children_and_outside_one_make_none() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    engine = create_engine("sqlite://")
    instrument_engine(engine, provider)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))  # no recorded span: no statement span
        with provider.get_tracer("t").start_as_current_span("work") as work:
            connection.execute(text("  select 2"))
            with pytest.raises(exc.OperationalError):
                connection.execute(text("SELECT * FROM missing"))
    select, failed, parent = exporter.get_finished_spans()
    assert parent.name == "work" and parent.context is not None
    for span in (select, failed):
        assert span.kind is SpanKind.CLIENT and span.name == "SELECT"
        assert span.parent == parent.context and span.context is not None
        assert span.context.trace_id == parent.context.trace_id and span.context.span_id != parent.context.span_id
        assert span.start_time is not None and span.end_time is not None and span.start_time <= span.end_time
        assert span.instrumentation_scope is not None and span.instrumentation_scope.name == "agentry.sql"
        assert span.resource is provider.resource
    assert dict(select.attributes or {}) == {
        "db.system": "sqlite",
        "db.statement": "  select 2",
        "db.operation": "SELECT",
    }
    assert select.status.status_code is StatusCode.UNSET
    assert failed.status.status_code is StatusCode.ERROR and failed.status.description == "OperationalError"
    assert work.get_span_context().span_id == parent.context.span_id
