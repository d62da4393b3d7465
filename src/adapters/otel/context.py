"""The work context without tracing: the correlation id and the log fields, carried across processes.

`correlation_id` is set per request (from X-Request-ID) and, in a worker, from the carrier stored with
the work; `log_fields` holds the task and execution ids of the step in progress. The log formatter reads
both. Nothing here imports OpenTelemetry: with tracing off this is all the work context costs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from agentry.application.ports.work_context import EXECUTION_ID, EXECUTION_NUMBER, TASK_ID, Attributes

CORRELATION_KEY = "correlation_id"
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
log_fields: ContextVar[Mapping[str, str]] = ContextVar("log_fields", default={})  # noqa: B039  (never mutated)

_LOGGED = {TASK_ID: "task_id", EXECUTION_ID: "execution_id", EXECUTION_NUMBER: "execution_number"}


class _NoSpan:
    def set(self, attributes: Attributes) -> None:
        pass

    def event(self, name: str, attributes: Attributes | None = None) -> None:
        pass


NO_SPAN = _NoSpan()


class Continued:
    """While open (`with`): the correlation id of `parent` (if it has one), and the ids `attributes`
    name, in the logs. A class rather than a generator: entered for every step of every task."""

    __slots__ = ("_fields", "_fields_token", "_given", "_id_token")

    def __init__(self, parent: Mapping[str, str] | None, attributes: Attributes | None) -> None:
        self._fields = (
            {_LOGGED[key]: str(value) for key, value in attributes.items() if key in _LOGGED} if attributes else None
        )
        self._given = parent.get(CORRELATION_KEY) if parent else None

    def __enter__(self) -> None:
        fields = self._fields
        self._fields_token = log_fields.set({**log_fields.get(), **fields}) if fields else None
        self._id_token = correlation_id.set(self._given) if self._given else None

    def __exit__(self, *exc: object) -> None:
        if self._id_token is not None:
            correlation_id.reset(self._id_token)
        if self._fields_token is not None:
            log_fields.reset(self._fields_token)


def correlation_carrier() -> dict[str, str]:
    value = correlation_id.get()
    return {CORRELATION_KEY: value} if value else {}


class PlainWorkContext:
    """No tracing: steps only carry the correlation id and the log fields."""

    def carrier(self) -> dict[str, str]:
        return correlation_carrier()

    @contextmanager
    def span(
        self, name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
    ) -> Iterator[_NoSpan]:
        with Continued(parent, attributes):
            yield NO_SPAN


def _no_trace() -> tuple[str, str] | None:
    return None


_trace_ids: list[Callable[[], tuple[str, str] | None]] = [_no_trace]


def trace_ids() -> tuple[str, str] | None:
    """The current trace and span ids (hex), when tracing is on and a span is open."""
    return _trace_ids[0]()


def use_trace_ids(source: Callable[[], tuple[str, str] | None]) -> None:
    _trace_ids[0] = source
