"""Spans made without the SDK's tracer: the request's server span (http.py) and the work's steps
(tracing.py), the spans with children.

`start_as_current_span` goes through three context managers, a span object with its lock and bounded
attributes, and `use_span`: some 30 us of CPU a recorded span (12 us an unsampled one), 7 of them a
task (request, outbox enqueue, relay publish, message, claim, run, ending). Here the provider's sampler
decides as the SDK's tracer would (same arguments, same trace flags and trace state); an unrecorded
span is the NonRecordingSpan the SDK would make, a recorded one a small span whose end hands the
processors the same ReadableSpan (name, kind, parent, attributes, events, status, times, resource,
scope; to the OTLP exporter's batch, a record that encodes as it would: handoff.py). Attributes
are taken as given: the callers' are typed scalars, which the SDK would keep as they are."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from time import time_ns
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.context.contextvars_context import ContextVarsRuntimeContext
from opentelemetry.sdk.trace import Event, TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, Decision, ParentBased
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.trace.propagation import _SPAN_KEY
from opentelemetry.util.types import Attributes, AttributeValue

from agentry.adapters.otel.handoff import SpanHandOff

_UNSET = Status(StatusCode.UNSET)

# The current context's variable, read directly where the runtime context is the API's default one:
# get_current_span is three calls deep, asked for every span (and every statement, leaf.py).
_runtime = otel_context._RUNTIME_CONTEXT
_current = getattr(_runtime, "_current_context", None) if type(_runtime) is ContextVarsRuntimeContext else None


def current_span(context: Context | None = None) -> trace.Span | None:
    """The span of `context` (the current context if None), or None: get_current_span without its
    INVALID_SPAN."""
    if context is not None:
        return context.get(_SPAN_KEY)  # type: ignore[return-value]
    if _current is not None:
        return _current.get().get(_SPAN_KEY)  # type: ignore[no-any-return]
    span = trace.get_current_span()
    return span if span is not trace.INVALID_SPAN else None


class SpanStarter:
    """Spans of the instrumentation scope `scope`, for `provider`'s sampler and processors."""

    def __init__(self, provider: TracerProvider, scope: str) -> None:
        self._sampler = sampler = provider.sampler
        # ParentBased with its default for a sampled parent (always on): a child of a sampled span is
        # recorded, with its attributes and its parent's trace state, without asking (one span in two).
        self._follows = (
            type(sampler) is ParentBased
            and sampler._local_parent_sampled is ALWAYS_ON
            and sampler._remote_parent_sampled is ALWAYS_ON
        )
        self._ids = provider.id_generator
        self._random = TraceFlags.RANDOM_TRACE_ID if provider.id_generator.is_trace_id_random() else 0
        self._hand_off = SpanHandOff(provider, scope)

    def start(
        self, name: str, kind: SpanKind, attributes: Mapping[str, Any], parent_context: Context | None = None
    ) -> trace.Span:
        """A span, child of the span in `parent_context` (the current context's if None), not yet current."""
        current = current_span(parent_context)
        parent = current.get_span_context() if current is not None else None
        if parent is not None and parent.is_valid:
            trace_id, flags = parent.trace_id, parent.trace_flags & TraceFlags.RANDOM_TRACE_ID
            if self._follows and parent.trace_flags & TraceFlags.SAMPLED:  # what ParentBased would answer
                flags |= TraceFlags.SAMPLED
                context = SpanContext(trace_id, self._hand_off.span_id(), False, TraceFlags(flags), parent.trace_state)
                return RecordedSpan(self._hand_off, name, kind, context, parent, dict(attributes))
        else:
            parent, trace_id, flags = None, self._ids.generate_trace_id(), self._random
        sampled = self._sampler.should_sample(parent_context, trace_id, name, kind, attributes)
        if sampled.decision is Decision.RECORD_AND_SAMPLE:
            flags |= TraceFlags.SAMPLED
        context = SpanContext(trace_id, self._hand_off.span_id(), False, TraceFlags(flags), sampled.trace_state)
        if sampled.decision is Decision.DROP:
            return NonRecordingSpan(context)
        return RecordedSpan(self._hand_off, name, kind, context, parent, dict(sampled.attributes or {}))


class RecordedSpan(trace.Span):
    """A recorded span: the parent of the spans made while it is current, exported when it ends."""

    def __init__(
        self,
        hand_off: SpanHandOff,
        name: str,
        kind: SpanKind,
        context: SpanContext,
        parent: SpanContext | None,
        attributes: dict[str, Any],
    ) -> None:
        self._hand_off = hand_off
        self._name = name
        self._kind = kind
        self._context = context
        self._parent = parent
        self.attributes = attributes
        self.events: list[Event] = []
        self.status = _UNSET
        self.start = time_ns()
        self._ended = False

    def get_span_context(self) -> SpanContext:
        return self._context

    def is_recording(self) -> bool:
        return not self._ended

    def set_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        if not self._ended:
            self.attributes.update(attributes)

    def set_attribute(self, key: str, value: AttributeValue) -> None:
        if not self._ended:
            self.attributes[key] = value

    def add_event(self, name: str, attributes: Attributes = None, timestamp: int | None = None) -> None:
        if not self._ended:
            self.events.append(Event(name, attributes, timestamp or time_ns()))

    def update_name(self, name: str) -> None:
        self._name = name

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        if self._ended or self.status.status_code is StatusCode.OK:  # OK is final, as in the SDK
            return
        self.status = status if isinstance(status, Status) else Status(status, description)

    def record_exception(
        self,
        exception: BaseException,
        attributes: Attributes = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        described = {
            "exception.type": type(exception).__name__,
            "exception.message": str(exception),
            "exception.stacktrace": "".join(traceback.format_exception(exception)),
            "exception.escaped": str(escaped),
            **(attributes or {}),
        }
        self.add_event("exception", described, timestamp)

    def end(self, end_time: int | None = None) -> None:
        if self._ended:
            return
        self._ended = True
        self._hand_off.end(
            self._name,
            self._context,
            self._parent,
            self.attributes,
            self._kind,
            self.status,
            self.start,
            end_time,
            tuple(self.events),
        )
