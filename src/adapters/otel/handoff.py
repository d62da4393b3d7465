"""Spans made without the SDK's span object (leaf.py, spans.py) reach the exporters as the SDK's own do.

Ended, each becomes the ReadableSpan the SDK would make (name, context, parent, resource, attributes,
events, kind, status, times, instrumentation scope), handed to the provider's span processors; or,
where the provider's one processor is a `RecordBatch` (the OTLP exporter's, setup.py), a plain tuple
(`record`, which export.py encodes as it would that ReadableSpan) put straight on its queue. The
ReadableSpan's making (and a leaf's SpanContext's), the processors' loop, the batch processor's checks
and its process-id syscall were half of what a leaf span cost the thread that made it (a worker's
event loop): the exporter thread reads the tuple instead."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from time import time_ns
from typing import Any

from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import SpanContext, SpanKind, Status, TraceFlags

from agentry.adapters.otel.records import SpanRecord


class RecordBatch(BatchSpanProcessor):
    """A batch processor whose exporter encodes `SpanRecord`s as well as ReadableSpans (export.py's
    encoder): spans made here are queued as records, without the ReadableSpan, the processors' loop
    and `emit`'s checks."""

    def put(self, record: SpanRecord) -> None:
        batch = self._batch_processor
        if batch._shutdown:
            return
        queue = batch._queue
        if len(queue) == batch._max_queue_size:  # full: `emit` says so, and drops the oldest
            batch.emit(record)  # type: ignore[arg-type]
            return
        queue.appendleft(record)
        if len(queue) >= batch._max_export_batch_size and not batch._worker_awaken.is_set():
            batch._worker_awaken.set()


class SpanHandOff:
    """Ended spans of the instrumentation scope `scope`, for `provider`'s processors."""

    def __init__(self, provider: TracerProvider, scope: str) -> None:
        # The provider's processors (all that were added, in order): no public accessor.
        self._processor = provider._active_span_processor
        self._resource = provider.resource
        self._scope = InstrumentationScope(scope)
        ids = provider.id_generator
        # A span id as RandomIdGenerator makes it, without its method's frame (0 is not an id: drawn again).
        self._span_id = random.getrandbits if type(ids) is RandomIdGenerator else None
        self._ids = ids

    def span_id(self) -> int:
        new = self._span_id
        return (new(64) or self._ids.generate_span_id()) if new is not None else self._ids.generate_span_id()

    def _batch(self) -> RecordBatch | None:
        """The processor records go to: the provider's only one, if it is a RecordBatch."""
        processors = self._processor._span_processors
        if len(processors) == 1 and type(processors[0]) is RecordBatch:
            return processors[0]
        return None

    def end(
        self,
        name: str,
        context: SpanContext,
        parent: SpanContext | None,
        attributes: Mapping[str, Any],
        kind: SpanKind,
        status: Status,
        start: int,
        end: int | None = None,
        events: Sequence[Event] = (),
    ) -> None:
        """A span with children (a step, a request) ended."""
        batch = self._batch()
        if batch is not None:
            if context.trace_flags & TraceFlags.SAMPLED:  # as the batch processor's on_end
                trace_id, span_id, state = context.trace_id, context.span_id, context.trace_state
                ends = end or time_ns()
                self._put(batch, trace_id, span_id, state, parent, name, kind, start, ends, attributes, events, status)
            return
        self._hand(name, context, parent, attributes, kind, status, start, end or time_ns(), events)

    def end_leaf(
        self, name: str, parent: SpanContext, attributes: Mapping[str, Any], status: Status, start: int
    ) -> None:
        """A leaf (kind CLIENT, a child of `parent`, a new span id) ended."""
        batch = self._batch()
        if batch is not None:
            if parent.trace_flags & TraceFlags.SAMPLED:
                trace_id, span_id, state = parent.trace_id, self.span_id(), parent.trace_state
                ends, kind = time_ns(), SpanKind.CLIENT
                self._put(batch, trace_id, span_id, state, parent, name, kind, start, ends, attributes, (), status)
            return
        context = SpanContext(parent.trace_id, self.span_id(), False, parent.trace_flags, parent.trace_state)
        self._hand(name, context, parent, attributes, SpanKind.CLIENT, status, start, time_ns(), ())

    def _put(self, batch: RecordBatch, *fields: Any) -> None:
        """A record (records.py) of this resource and scope, the rest of its fields as given, queued."""
        batch.put((self._resource, self._scope, *fields))

    def _hand(
        self,
        name: str,
        context: SpanContext,
        parent: SpanContext | None,
        attributes: Mapping[str, Any],
        kind: SpanKind,
        status: Status,
        start: int,
        end: int,
        events: Sequence[Event],
    ) -> None:
        self._processor.on_end(
            ReadableSpan(
                name,
                context,
                parent,
                self._resource,
                attributes,  # read only: readers get it as a MappingProxyType
                events,
                kind=kind,
                status=status,
                start_time=start,
                end_time=end,
                instrumentation_scope=self._scope,
            )
        )
