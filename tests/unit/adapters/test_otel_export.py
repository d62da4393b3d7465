"""The lean OTLP encoder says what the exporter package's does, and the exporter uses it; spans are
batched as the standard variables say, bigger batches otherwise; the spans made here reach the OTLP
exporter's batch as records that encode as their ReadableSpans would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans as library_encode_spans
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import Link, NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.trace.span import TraceState

from agentry.adapters.otel.export import encode_spans, otlp_http_exporter
from agentry.adapters.otel.handoff import RecordBatch
from agentry.adapters.otel.leaf import LeafSpans
from agentry.adapters.otel.setup import BATCH, QUEUE, batching
from agentry.adapters.otel.tracing import OtelWorkContext


def some_spans() -> tuple[ReadableSpan, ...]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "agentry-test"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    remote = SpanContext(0xABC, 0xDEF, is_remote=True, trace_flags=TraceFlags(1), trace_state=TraceState([("k", "v")]))
    statement = {"db.system": "postgresql", "db.statement": "SELECT 1", "server.port": 5432}
    with provider.get_tracer("agentry").start_as_current_span(
        "POST /tasks", context=_parent(remote), kind=SpanKind.SERVER, attributes={"flag": True, "one": 1}
    ) as request:
        request.add_event("tool_use", {"tool": "Read", "ratio": 0.5})
        for _ in range(3):
            provider.get_tracer("agentry.sql").start_span("SELECT", kind=SpanKind.CLIENT, attributes=statement).end()
        long = {"db.statement": "SELECT " + "x, " * 6000, "server.port": 2**40, "ratio": -0.25}  # multi-byte lengths
        provider.get_tracer("agentry.sql").start_span("S" * 200, kind=SpanKind.CLIENT, attributes=long).end()
        failed = provider.get_tracer("agentry.redis").start_span("GET", links=[Link(remote, {"why": "retry"})])
        failed.set_attribute("ids", ["a", "b"])
        failed.set_status(Status(StatusCode.ERROR, "ConnectionError"))
        failed.end()
    return exporter.get_finished_spans()


def _parent(context: SpanContext) -> object:
    from opentelemetry import trace

    return trace.set_span_in_context(NonRecordingSpan(context))


def spans_of(request: ExportTraceServiceRequest) -> dict[bytes, object]:
    """Each span with its resource and scope, an unset status cleared (absent and empty mean the same)."""
    found = {}
    for resource_spans in request.resource_spans:
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                if span.status.code == 0:
                    span.ClearField("status")
                found[span.span_id] = (resource_spans.resource, scope_spans.scope.name, span)
    return found


def test_the_lean_encoding_decodes_to_the_same_spans_as_the_exporter_package_s() -> None:
    spans = some_spans()
    ours = ExportTraceServiceRequest.FromString(encode_spans(spans).SerializeToString())
    theirs = ExportTraceServiceRequest.FromString(library_encode_spans(spans).SerializeToString())
    assert len(spans_of(ours)) == 6
    assert spans_of(ours) == spans_of(theirs)
    assert len(ours.resource_spans) == 1 and len(ours.resource_spans[0].scope_spans) == 3


def _two_statements(leaves: LeafSpans) -> None:
    """Two statement spans under the current step, the second failed."""
    parent = LeafSpans.parent()
    assert parent is not None
    leaves.start(parent, "SELECT", {"db.statement": "SELECT 1", "server.port": 5432}).end()
    failed = leaves.start(parent, "INSERT", {"db.statement": "INSERT 1"})
    failed.fail(RuntimeError())
    failed.end()


def test_spans_made_without_the_sdk_s_span_decode_to_the_same_spans_as_the_exporter_package_s() -> None:
    # Read from the ReadableSpan's own fields (plain attributes, events and links): the steps' and leaves'
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "agentry-test"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    work = OtelWorkContext(provider)
    leaves = LeafSpans(provider, "agentry.sql")
    with work.span("execution run", {"agentry.task.id": "t-1", "agentry.execution.number": 2}) as step:
        step.set({"agentry.tags": ["a", "b"], "agentry.cost_usd": 0.25, "agentry.claimed": False})
        step.event("tool_use", {"agentry.tool.name": "Read"})
        _two_statements(leaves)
    spans = exporter.get_finished_spans()
    assert {type(span) for span in spans} == {ReadableSpan}
    ours = ExportTraceServiceRequest.FromString(encode_spans(spans).SerializeToString())
    theirs = ExportTraceServiceRequest.FromString(library_encode_spans(spans).SerializeToString())
    assert len(spans_of(ours)) == 3
    assert spans_of(ours) == spans_of(theirs)


def test_the_lean_encoding_keeps_pairs_of_the_same_type_apart() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    for value in (1, True, 1.0, "1"):
        provider.get_tracer("t").start_span("s", attributes={"v": value}).end()
    request = ExportTraceServiceRequest.FromString(encode_spans(exporter.get_finished_spans()).SerializeToString())
    encoded = request.resource_spans[0].scope_spans[0].spans
    assert [span.attributes[0].value.WhichOneof("value") for span in encoded] == [
        "int_value",
        "bool_value",
        "double_value",
        "string_value",
    ]


def test_the_otlp_exporter_encodes_with_the_lean_encoder() -> None:
    from opentelemetry.exporter.otlp.proto.http import trace_exporter

    exporter = otlp_http_exporter()
    try:
        assert trace_exporter.encode_spans is encode_spans
    finally:
        exporter.shutdown()


def test_spans_are_batched_in_bigger_batches_unless_the_standard_variables_say_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exporter = InMemorySpanExporter()
    monkeypatch.delenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", raising=False)
    monkeypatch.delenv("OTEL_BSP_MAX_QUEUE_SIZE", raising=False)
    default = batching(exporter)
    monkeypatch.setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64")
    monkeypatch.setenv("OTEL_BSP_MAX_QUEUE_SIZE", "128")
    told = batching(exporter)
    try:
        assert (default._batch_processor._max_export_batch_size, default._batch_processor._max_queue_size) == (
            BATCH,
            QUEUE,
        )
        assert (told._batch_processor._max_export_batch_size, told._batch_processor._max_queue_size) == (64, 128)
        assert BATCH > 512  # the SDK's default
    finally:
        default.shutdown()
        told.shutdown()


class _Counting(IdGenerator):
    """Ids in sequence: two runs of the same spans get the same ids."""

    def __init__(self) -> None:
        self._next = 0

    def generate_span_id(self) -> int:
        self._next += 1
        return self._next

    def generate_trace_id(self) -> int:
        self._next += 1
        return self._next


class _Kept(SpanExporter):
    def __init__(self) -> None:
        self.exported: list[object] = []

    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        self.exported += spans
        return SpanExportResult.SUCCESS


def _some_work(processor: SpanProcessor) -> None:
    """A request-like step with a continued step beneath, statements (one failed) and an event."""
    provider = TracerProvider(resource=Resource.create({"service.name": "agentry-test"}), id_generator=_Counting())
    provider.add_span_processor(processor)
    work, leaves = OtelWorkContext(provider), LeafSpans(provider, "agentry.sql")
    with work.span("outbox enqueue", {"agentry.task.id": "t-1"}):
        carrier = work.carrier()
    carrier["tracestate"] = "k=v"
    with work.span("execution message", {"agentry.task.id": "t-1"}, parent=carrier) as step:
        step.event("tool_use", {"agentry.tool.name": "Read"})
        _two_statements(leaves)
    processor.force_flush()


def _timeless(request: ExportTraceServiceRequest) -> dict[bytes, object]:
    for resource_spans in request.resource_spans:
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                span.ClearField("start_time_unix_nano")
                span.ClearField("end_time_unix_nano")
                for event in span.events:
                    event.ClearField("time_unix_nano")
    return spans_of(request)


def test_with_a_record_batch_spans_are_queued_as_records_that_encode_as_their_readable_spans() -> None:
    # The OTLP exporter's processor (start_tracing's) gets plain records, the ReadableSpan never made
    # where the span ended; another processor the ReadableSpans, as before
    readable = InMemorySpanExporter()
    _some_work(SimpleSpanProcessor(readable))
    kept = _Kept()
    batch = batching(kept, records=True)
    try:
        _some_work(batch)
    finally:
        batch.shutdown()
    assert isinstance(batch, RecordBatch) and len(kept.exported) == 4
    assert {type(span) for span in kept.exported} == {tuple}
    ours = ExportTraceServiceRequest.FromString(encode_spans(kept.exported).SerializeToString())  # type: ignore[arg-type]
    theirs = ExportTraceServiceRequest.FromString(
        library_encode_spans(readable.get_finished_spans()).SerializeToString()
    )
    assert len(_timeless(ours)) == 4
    assert _timeless(ours) == _timeless(theirs)


def test_a_record_batch_beside_another_processor_gets_readable_spans() -> None:
    kept, readable = _Kept(), InMemorySpanExporter()
    provider = TracerProvider()
    batch = batching(kept, records=True)
    provider.add_span_processor(batch)
    provider.add_span_processor(SimpleSpanProcessor(readable))
    try:
        with OtelWorkContext(provider).span("execution message", parent={}):
            pass
        batch.force_flush()
    finally:
        batch.shutdown()
    assert [type(span) for span in kept.exported] == [ReadableSpan]
    assert len(readable.get_finished_spans()) == 1
