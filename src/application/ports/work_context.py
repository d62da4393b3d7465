"""The context that travels with a piece of work, across processes: what a trace and a log line need to
say that a worker's run belongs to the request that submitted it.

A use case marks the steps worth seeing (`span`); an adapter stores the `carrier` of the current work
with work left for later (an outbox row) and hands it back as `parent` where that work is done. What
the carrier holds (trace context, a correlation id) is the adapter's business: to the application it
is an opaque mapping of strings."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Protocol

AttributeValue = str | int | float | bool
Attributes = Mapping[str, AttributeValue]

# Attribute names the log lines pick up too, while a step that names them is open.
TASK_ID = "agentry.task.id"
EXECUTION_ID = "agentry.execution.id"
EXECUTION_NUMBER = "agentry.execution.number"


class WorkSpan(Protocol):
    """One step of the work, open."""

    def set(self, attributes: Attributes) -> None: ...

    def event(self, name: str, attributes: Attributes | None = None) -> None: ...


class WorkContext(Protocol):
    def carrier(self) -> dict[str, str]:
        """The current work's context, to store with work that continues later, elsewhere."""
        ...

    def span(
        self, name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
    ) -> AbstractContextManager[WorkSpan]:
        """A step of the current work (or, with `parent`, of the work whose carrier that is)."""
        ...
