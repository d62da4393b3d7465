"""A span as export.py encodes it, without the ReadableSpan: what handoff.py queues for a RecordBatch.

(resource, instrumentation scope, trace id, span id, trace state, parent context or None, name, kind,
start ns, end ns, attributes, events, status): no links, nothing dropped, never remote itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import SpanContext, SpanKind, Status
from opentelemetry.trace.span import TraceState

SpanRecord = tuple[
    Resource,
    InstrumentationScope,
    int,
    int,
    TraceState,
    SpanContext | None,
    str,
    SpanKind,
    int,
    int,
    Mapping[str, Any],
    Sequence[Event],
    Status,
]
