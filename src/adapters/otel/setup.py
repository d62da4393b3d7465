"""Tracing for a process: on when the standard OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set (and
OTEL_SDK_DISABLED is not), exporting over OTLP/HTTP; off, at no cost, otherwise.

The exporter reads the other standard variables itself (headers, timeout, compression, ...), the
resource OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.

Unless OTEL_TRACES_SAMPLER says otherwise, what is traced (`WorkRoots`): every task's work in full
(every request that changes something, every message, and all that follows from them), a tenth of the
plain reads (GET, HEAD, OPTIONS: a read traced with its statements costs about as much again as the
read itself, see bench/tracing.py), and any request whose caller sent a sampled `traceparent`. The
relays' idle polls and housekeeping, whose statements have no parent, make no traces.
`OTEL_TRACES_SAMPLER=parentbased_always_on` traces every read too."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult, TraceIdRatioBased
from opentelemetry.trace import Link, SpanKind
from opentelemetry.util.types import Attributes

from agentry.adapters.otel.context import use_trace_ids

ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_instrumented: set[str] = set()


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
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        processor = BatchSpanProcessor(OTLPSpanExporter())
    sampler = None if os.environ.get("OTEL_TRACES_SAMPLER") else ParentBased(root=WorkRoots())
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME") or service})
    provider = TracerProvider(resource=resource, sampler=sampler)
    provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    use_trace_ids(_current_ids)
    _instrument_redis()
    return True


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


def instrument_engine(engine: Any) -> None:
    """Spans for the statements of an SQLAlchemy engine (sync or async), when tracing is on. The
    instrumentation's engine tracer is used directly: its instrumentor declares SQLAlchemy < 2.1 and
    instruments one engine per process, and its engine events are the same in 2.1."""
    if not tracing_on():
        return
    from opentelemetry.instrumentation.sqlalchemy import __name__ as scope
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    usage = get_meter(scope).create_up_down_counter("db.client.connections.usage", unit="connections")
    EngineTracer(trace.get_tracer(scope), getattr(engine, "sync_engine", engine), usage)  # type: ignore[no-untyped-call]


def _instrument_redis() -> None:
    if "redis" in _instrumented:
        return
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    RedisInstrumentor().instrument(skip_dep_check=True)
    _instrumented.add("redis")
