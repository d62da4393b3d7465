"""Redis calls are spans under a recorded span, one per command or pipeline, naming the command but
never its arguments; outside one they make none. (A server that refuses the connection: each call
fails at once, which also shows a failed call's span.)"""

from __future__ import annotations

import pytest
import redis
import redis.asyncio
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from agentry.adapters.otel.redis import instrument_redis


def traced() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrument_redis(provider)
    return provider, exporter


def refused() -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1, retry=None)


def test_a_command_and_a_pipeline_under_a_recorded_span_are_one_span_each_without_their_arguments() -> None:
    provider, exporter = traced()
    client = refused()
    with provider.get_tracer("t").start_as_current_span("work"):
        with pytest.raises(redis.ConnectionError):
            client.get("secret-key")
        pipe = client.pipeline(transaction=False)
        pipe.set("a", "token").expire("a", 5)
        with pytest.raises(redis.ConnectionError):
            pipe.execute()
    spans = {span.name: span for span in exporter.get_finished_spans()}
    assert set(spans) == {"GET", "PIPELINE", "work"}
    get, pipeline = spans["GET"], spans["PIPELINE"]
    assert (
        get.kind is SpanKind.CLIENT and get.parent is not None and get.parent.span_id == spans["work"].context.span_id
    )
    assert get.attributes is not None and pipeline.attributes is not None
    assert dict(get.attributes) == {
        "db.system": "redis",
        "db.operation": "GET",
        "db.statement": "GET ?",
        "db.redis.database_index": 0,
        "server.address": "127.0.0.1",
        "server.port": 1,
    }
    assert pipeline.attributes["db.statement"] == "PIPELINE ? ?"
    assert get.status.status_code is StatusCode.ERROR and get.status.description == "ConnectionError"


def test_calls_outside_a_recorded_span_make_none() -> None:
    _, exporter = traced()
    with pytest.raises(redis.ConnectionError):
        refused().get("k")
    assert exporter.get_finished_spans() == ()


async def test_asyncio_clients_are_traced_too() -> None:
    provider, exporter = traced()
    client = redis.asyncio.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1, retry=None)
    with provider.get_tracer("t").start_as_current_span("work"), pytest.raises(redis.ConnectionError):
        await client.set("k", "v", ex=5)
    await client.aclose()
    [command] = [span for span in exporter.get_finished_spans() if span.name != "work"]
    assert command.name == "SET" and command.attributes is not None
    assert command.attributes["db.statement"] == "SET ? ? ? ?"
