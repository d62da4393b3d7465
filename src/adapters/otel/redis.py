"""Spans for Redis calls: one per command, one per pipeline (its commands in its attributes' count),
made only under a recorded span.

Not the instrumentation package's: that one formats each command's arguments and names its span
before asking whether anything is recorded, makes every span the current one, and sets its attributes
one at a time; the Dramatiq consumers' polls and the relays' idle wake-ups, which have no recorded
parent, paid for that on every call. Here an unrecorded call costs one lookup of the current span, and
a recorded one a span whose attributes (the command's name, never its arguments: they hold keys and
tokens) are worked out once per client and command."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

from opentelemetry import trace

from agentry.adapters.otel.leaf import LeafSpan, LeafSpans
from agentry.adapters.otel.remembered import Remembered

_described: Remembered[tuple[int, str, int], dict[str, Any]] = Remembered(1000)
_leaves: list[LeafSpans] = []  # set by instrument_redis


def _attributes(client: Any, operation: str, length: int) -> dict[str, Any]:
    """The span's attributes for `operation` with `length` arguments (or commands) on `client`'s pool."""
    pool = client.connection_pool
    key = (id(pool), operation, length)
    known = _described.get(key)
    if known is None:
        settings = pool.connection_kwargs
        known = {"db.system": "redis", "db.operation": operation, "db.redis.database_index": settings.get("db", 0)}
        known["db.statement"] = operation if length <= 1 else f"{operation} {' '.join('?' * (length - 1))}"
        if "host" in settings:
            known["server.address"], known["server.port"] = settings["host"], settings.get("port", 6379)
        _described.remember(key, known)
    return known


def _name(command: Any) -> str:
    return (command.decode() if isinstance(command, bytes) else str(command)).upper()


def _command_span(client: Any, args: tuple[Any, ...]) -> LeafSpan | None:
    parent = LeafSpans.parent() if args else None
    if parent is None:
        return None
    name = _name(args[0])
    return _leaves[0].start(parent, name, _attributes(client, name, len(args)))


def _pipeline_span(pipeline: Any, args: tuple[Any, ...]) -> LeafSpan | None:
    parent = LeafSpans.parent() if pipeline.command_stack else None
    if parent is None:
        return None
    transaction = getattr(pipeline, "is_transaction", None) or getattr(pipeline, "transaction", False)  # asyncio, sync
    name = "MULTI" if transaction or pipeline.explicit_transaction else "PIPELINE"
    return _leaves[0].start(parent, name, _attributes(pipeline, name, len(pipeline.command_stack) + 1))


@contextlib.contextmanager
def _ended(span: LeafSpan) -> Iterator[None]:
    """Ends `span` when the call does; a call that raised marks it failed, with the error's type."""
    try:
        yield
    except BaseException as error:
        span.fail(error)
        raise
    finally:
        span.end()


def _sync(original: Callable[..., Any], start: Callable[..., LeafSpan | None]) -> Callable[..., Any]:
    @functools.wraps(original)
    def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        span = start(self, args)
        if span is None:
            return original(self, *args, **kwargs)
        with _ended(span):
            return original(self, *args, **kwargs)

    traced.__agentry_traced__ = True  # type: ignore[attr-defined]
    return traced


def _async(original: Callable[..., Any], start: Callable[..., LeafSpan | None]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        span = start(self, args)
        if span is None:
            return await original(self, *args, **kwargs)
        with _ended(span):
            return await original(self, *args, **kwargs)

    traced.__agentry_traced__ = True  # type: ignore[attr-defined]
    return traced


def instrument_redis(provider: trace.TracerProvider | None = None) -> None:
    """Trace the commands and pipelines of redis-py's clients, sync and asyncio, with `provider`'s
    tracer (the global one's by default); the methods are wrapped once per process."""
    import redis.asyncio.client
    import redis.client

    _leaves[:] = [LeafSpans(provider or trace.get_tracer_provider(), "agentry.redis")]  # type: ignore[arg-type]
    for module, wrap in ((redis.client, _sync), (redis.asyncio.client, _async)):
        starts = ((module.Redis, "execute_command", _command_span), (module.Pipeline, "execute", _pipeline_span))
        for cls, method, start in starts:
            original = getattr(cls, method)
            if getattr(original, "__agentry_traced__", False):
                continue
            setattr(cls, method, wrap(original, start))
