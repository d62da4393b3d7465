"""A work context that remembers the steps opened, with their attributes, events and nesting."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from agentry.application.ports.work_context import Attributes


@dataclass
class RecordedSpan:
    name: str
    attributes: dict[str, Any]
    parent: RecordedSpan | None
    carried: Mapping[str, str] | None
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failed: bool = False

    def set(self, attributes: Attributes) -> None:
        self.attributes.update(attributes)

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        self.events.append((name, dict(attributes or {})))


_current: ContextVar[RecordedSpan | None] = ContextVar("recorded_span", default=None)


class RecordingWorkContext:
    def __init__(self) -> None:
        self.spans: list[RecordedSpan] = []

    def carrier(self) -> dict[str, str]:
        current = _current.get()
        return {"span": current.name} if current else {}

    @contextmanager
    def span(
        self, name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
    ) -> Iterator[RecordedSpan]:
        recorded = RecordedSpan(name, dict(attributes or {}), _current.get(), parent)
        self.spans.append(recorded)
        token = _current.set(recorded)
        try:
            yield recorded
        except BaseException:
            recorded.failed = True
            raise
        finally:
            _current.reset(token)

    def named(self, name: str) -> list[RecordedSpan]:
        return [span for span in self.spans if span.name == name]
