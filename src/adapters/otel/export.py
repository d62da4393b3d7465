"""OTLP/HTTP export with a leaner encoder than the exporter's own.

The exporter package's `encode_spans` hashes the span's resource (a JSON dump of its attributes) for
every span and builds a fresh protobuf key-value for every attribute, though most attribute pairs
repeat (a statement span's engine description, its statement text). `encode_spans` here groups by the
resource and scope objects themselves and keeps the encoded pairs it has seen (bounded), which halves
the encoding's CPU per span (bench/tracing.py; tests/unit/adapters/test_otel_export.py checks that
both encodings decode to the same spans). The request is the same OTLP message: an unset status is
left out rather than sent empty, which means the same in proto3."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from opentelemetry.exporter.otlp.proto.common._internal import (
    _encode_instrumentation_scope,
    _encode_key_value,
    _encode_resource,
)
from opentelemetry.exporter.otlp.proto.common._internal.trace_encoder import (
    _SPAN_KIND_MAP,
    _encode_events,
    _encode_links,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, SpanFlags
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter
from opentelemetry.trace import SpanContext, StatusCode

_LOCAL = SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK
_REMOTE = _LOCAL | SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK
_SCALARS = (str, bool, int, float)


class _Pairs(dict[tuple[str, type, Any], KeyValue]):
    """Encoded attribute pairs of scalar values, kept up to REMEMBERED at a time."""

    REMEMBERED = 4096

    def encode(self, key: str, value: Any) -> KeyValue:
        if not isinstance(value, _SCALARS):
            return _encode_key_value(key, value)
        known = self.get((key, type(value), value))  # the type too: True == 1
        if known is None:
            if len(self) >= self.REMEMBERED:
                self.clear()
            known = self[key, type(value), value] = _encode_key_value(key, value)
        return known


_pairs = _Pairs()


def _encode_span(span: ReadableSpan) -> Span:
    context = cast(SpanContext, span.get_span_context())  # a finished span's
    parent = span.parent
    encoded = Span(
        trace_id=context.trace_id.to_bytes(16, "big"),
        span_id=context.span_id.to_bytes(8, "big"),
        name=span.name,
        kind=_SPAN_KIND_MAP[span.kind],
        start_time_unix_nano=span.start_time or 0,
        end_time_unix_nano=span.end_time or 0,
        attributes=[_pairs.encode(key, value) for key, value in (span.attributes or {}).items()],
        flags=_REMOTE if parent is not None and parent.is_remote else _LOCAL,
    )
    if parent is not None:
        encoded.parent_span_id = parent.span_id.to_bytes(8, "big")
    if context.trace_state:
        encoded.trace_state = ",".join(f"{key}={value}" for key, value in context.trace_state.items())
    if span.events:
        encoded.events.extend(_encode_events(span.events) or ())
    if span.links:
        encoded.links.extend(_encode_links(span.links) or ())
    if span.status.status_code is not StatusCode.UNSET:
        encoded.status.code = span.status.status_code.value
        encoded.status.message = span.status.description or ""
    encoded.dropped_attributes_count = span.dropped_attributes
    encoded.dropped_events_count = span.dropped_events
    encoded.dropped_links_count = span.dropped_links
    return encoded


def encode_spans(sdk_spans: Sequence[ReadableSpan]) -> ExportTraceServiceRequest:
    """The OTLP request for `sdk_spans`: grouped by resource, then instrumentation scope."""
    scopes: dict[tuple[int, int], tuple[Any, Any, list[Span]]] = {}
    for span in sdk_spans:
        resource, scope = span.resource, span.instrumentation_scope
        group = scopes.get((id(resource), id(scope)))
        if group is None:
            group = scopes[id(resource), id(scope)] = (resource, scope, [])
        group[2].append(_encode_span(span))
    resources: dict[int, tuple[Any, list[ScopeSpans]]] = {}
    for resource, scope, encoded in scopes.values():
        resources.setdefault(id(resource), (resource, []))[1].append(
            ScopeSpans(
                scope=_encode_instrumentation_scope(scope),
                spans=encoded,
                schema_url=scope.schema_url if scope else "",
            )
        )
    return ExportTraceServiceRequest(
        resource_spans=[
            ResourceSpans(resource=_encode_resource(resource), scope_spans=scoped, schema_url=resource.schema_url)
            for resource, scoped in resources.values()
        ]
    )


def otlp_http_exporter() -> SpanExporter:
    """The OTLP/HTTP span exporter (configured by the standard OTEL_* variables), encoding with
    `encode_spans` above."""
    from opentelemetry.exporter.otlp.proto.http import trace_exporter

    trace_exporter.encode_spans = encode_spans  # type: ignore[attr-defined]  # the name its `export` calls
    return trace_exporter.OTLPSpanExporter()
