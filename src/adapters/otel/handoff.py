"""Spans made without the SDK's span object (leaf.py, http.py) reach the exporters as the SDK's own do:
ended, each becomes the ReadableSpan the SDK would make (name, context, parent, resource, attributes,
events, kind, status, times, instrumentation scope), handed to the provider's span processors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from time import time_ns
from typing import Any

from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import SpanContext, SpanKind, Status


class SpanHandOff:
    """Ended spans of the instrumentation scope `scope`, for `provider`'s processors."""

    def __init__(self, provider: TracerProvider, scope: str) -> None:
        # The provider's processors (all that were added, in order): no public accessor.
        self._processor = provider._active_span_processor
        self._resource = provider.resource
        self._scope = InstrumentationScope(scope)

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
                end_time=end or time_ns(),
                instrumentation_scope=self._scope,
            )
        )
