"""Tracing for a process: on when the standard OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set (and
OTEL_SDK_DISABLED is not), exporting over OTLP/HTTP; off, at no cost, otherwise.

The exporter reads the other standard variables itself (headers, timeout, compression, ...), the
resource OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.

Unless OTEL_TRACES_SAMPLER says otherwise, what is traced (`WorkRoots`): every task's work in full
(every request that changes something, every message, and all that follows from them), a tenth of the
plain reads (GET, HEAD, OPTIONS: a read traced with its statements costs about as much again as the
read itself, see bench/tracing.py), and any request whose caller sent a sampled `traceparent`. The
relays' idle polls and housekeeping, whose statements have no parent, make no traces.
`OTEL_TRACES_SAMPLER=parentbased_always_on` traces every read too.

Spans are batched in bigger batches than the SDK's defaults (BATCH spans a request, QUEUE at most
waiting) unless OTEL_BSP_MAX_EXPORT_BATCH_SIZE / OTEL_BSP_MAX_QUEUE_SIZE say otherwise: a task makes
some two dozen spans (7 steps, the rest statements and Redis calls), and each export request has its own cost."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult, TraceIdRatioBased
from opentelemetry.trace import Link, SpanKind
from opentelemetry.util.types import Attributes

from agentry.adapters.otel.context import use_trace_ids
from agentry.adapters.otel.handoff import RecordBatch
from agentry.adapters.otel.leaf import LeafSpans
from agentry.adapters.otel.redis import instrument_redis
from agentry.adapters.otel.remembered import Remembered

ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
BATCH = 2048
QUEUE = 8192


def tracing_wanted(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(env.get(name, "").strip() for name in ENDPOINT_VARS)


def tracing_on() -> bool:
    """A real tracer provider is installed (by `start_tracing`, or by a test)."""
    return isinstance(trace.get_tracer_provider(), TracerProvider)


READS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_SAMPLE_RATIO = 0.1


class WorkRoots(Sampler):
    """Root spans for requests and messages only, reads among them at `read_ratio` (by trace id);
    children follow their parent (with ParentBased)."""

    def __init__(self, read_ratio: float = READ_SAMPLE_RATIO) -> None:
        self._reads = TraceIdRatioBased(read_ratio)

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if kind is SpanKind.SERVER and attributes and attributes.get("http.request.method") in READS:
            return self._reads.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)
        if kind in (SpanKind.SERVER, SpanKind.CONSUMER):
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)
        return SamplingResult(Decision.DROP)

    def get_description(self) -> str:
        return "WorkRoots"


def start_tracing(service: str, processor: SpanProcessor | None = None) -> bool:
    """Install the tracer provider if tracing is wanted (or a processor is given: tests); True if on."""
    if tracing_on():
        return True
    if processor is None:
        if not tracing_wanted():
            return False
        from agentry.adapters.otel.export import otlp_http_exporter

        processor = batching(otlp_http_exporter(), records=True)
    sampler = None if os.environ.get("OTEL_TRACES_SAMPLER") else ParentBased(root=WorkRoots())
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME") or service})
    provider = TracerProvider(resource=resource, sampler=sampler)
    provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    use_trace_ids(_current_ids)
    instrument_redis()
    return True


def batching(exporter: SpanExporter, *, records: bool = False) -> BatchSpanProcessor:
    """A batch processor for `exporter`: BATCH and QUEUE unless the standard variables say otherwise.
    `records`: the exporter encodes handoff.py's span records too (export.py's), which the spans made
    here are then queued as (a RecordBatch)."""
    env = os.environ
    batch = None if env.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") else BATCH
    queue = None if env.get("OTEL_BSP_MAX_QUEUE_SIZE") else max(QUEUE, batch or 0)
    kind = RecordBatch if records else BatchSpanProcessor
    return kind(exporter, max_queue_size=queue, max_export_batch_size=batch)


def _current_ids() -> tuple[str, str] | None:
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def stop_tracing() -> None:
    """Export what is left (at process exit)."""
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.shutdown()


def instrument_engine(engine: Any, provider: TracerProvider | None = None) -> None:
    """Spans for the statements of an SQLAlchemy engine (sync or async), when tracing is on: one per
    statement, a child of the span in progress, only if that one is recorded. (Not the
    instrumentation package's engine tracer: that one works out a statement's attributes, connection
    details included, even where no span is recorded, which an unsampled read would pay for.)
    `provider`: the installed one by default (nothing is done while tracing is off)."""
    if provider is None:
        installed = trace.get_tracer_provider()
        if not isinstance(installed, TracerProvider):  # tracing is off
            return
        provider = installed
    from sqlalchemy import event

    sync = getattr(engine, "sync_engine", engine)
    url = sync.url
    described: dict[str, Any] = {"db.system": "postgresql" if sync.dialect.name == "postgresql" else sync.dialect.name}
    if url.database:
        described["db.name"] = url.database
    if url.host:
        described["server.address"] = url.host
        described["server.port"] = url.port or 5432
    leaves = LeafSpans(provider, "agentry.sql")
    attributes_of = StatementAttributes(described)

    @event.listens_for(sync, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        parent = leaves.parent() if context is not None else None
        if parent is not None:
            attributes = attributes_of(statement)
            context._agentry_span = leaves.start(parent, attributes["db.operation"], attributes)

    @event.listens_for(sync, "after_cursor_execute")
    def _end(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        span = getattr(context, "_agentry_span", None)
        if span is not None:
            span.end()
            context._agentry_span = None

    @event.listens_for(sync, "handle_error")
    def _failed(error: Any) -> None:
        span = getattr(error.execution_context, "_agentry_span", None)
        if span is not None:
            span.fail(error.original_exception)
            span.end()
            error.execution_context._agentry_span = None


class StatementAttributes(Remembered[str, dict[str, Any]]):
    """A statement's span attributes, worked out once per distinct statement text (the engine's
    compiled statements repeat): the engine's description, the statement and its operation."""

    REMEMBERED = 2000

    def __init__(self, described: dict[str, Any]) -> None:
        super().__init__(self.REMEMBERED)
        self._described = described

    def __call__(self, statement: str) -> dict[str, Any]:
        known = self.get(statement)
        if known is not None:
            return known
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        attributes = {**self._described, "db.statement": statement[:2000], "db.operation": operation}
        return self.remember(statement, attributes)
