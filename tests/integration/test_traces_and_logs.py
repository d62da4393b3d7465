"""One task, one trace, one correlation id, across processes: the production profile on PostgreSQL and
Redis, `agentry serve` and `agentry worker` exporting their spans over OTLP/HTTP to a collector double
on loopback, and writing their logs as JSON.

The trace runs from the POST /api/v1/tasks request through the outbox (stored with the job), the relay
(in whichever process took the job), the Dramatiq message, and the worker's claim, run and ending, each
span's parent in the same trace; the database statements and the Redis calls are spans in it too. The
request's X-Request-ID is in the API's access line and in the worker's lines for that task."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import free_port, migrated, running, serving_with_worker
from tests.integration.helpers import sign_in, submit, wait_for_task
from tests.integration.otlp_double import OtlpDouble, ReceivedSpan

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

SCRIPT = [{"say": "Reading. "}, {"tool": "Read", "input": {"path": "a.py"}, "output": "print(1)"}, {"say": "Done."}]
STEPS = ("outbox enqueue", "relay publish", "execution message", "execution claim", "execution run", "execution ending")


def json_lines(log: Path) -> list[dict[str, Any]]:
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"{log.name}: a line that is not JSON: {line!r}")
    return parsed


def only(spans: list[ReceivedSpan], name: str) -> ReceivedSpan:
    named = [span for span in spans if span.name == name]
    assert len(named) == 1, (name, [s.name for s in spans])
    return named[0]


async def test_a_task_submitted_over_http_and_run_by_a_worker_process_makes_one_trace_and_carries_its_correlation_id(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    correlation = "trace-test-7f3a"
    with OtlpDouble() as collector:
        env = production_env | {
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "AGENTRY_LOG_LEVEL": "INFO",
            "AGENTRY_LOG_FORMAT": "json",
        }
        with serving_with_worker(env, tmp_path) as stack:
            async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
                await sign_in(client)
                client.headers["X-Request-ID"] = correlation
                task = await submit(client, {"title": "traced", "prompt": "p", "options": {"script": SCRIPT}}, "t-1")
                del client.headers["X-Request-ID"]
                await wait_for_task(client, task["id"], {"succeeded"})
                collector.wait_for("execution ending")
                requests = [
                    s
                    for s in collector.wait_for("POST /api/v1/tasks")
                    if s.attributes.get("http.response.status_code") == 201
                ]
        logs = [json_lines(service.log) for service in stack.services]

    # One trace, from the request to the ending.
    [request] = requests
    spans = collector.trace(request.trace_id)
    by_id = {span.span_id: span for span in spans}
    assert request.parent_id is None and request.service == "agentry-api"
    assert request.attributes["http.route"] == "/api/v1/tasks" and request.attributes["enduser.id"]
    enqueue, publish, message, claim, run, ending = (only(spans, name) for name in STEPS)
    assert all(span.attributes["agentry.task.id"] == task["id"] for span in (enqueue, publish, message, claim, run))

    def ancestors(span: ReceivedSpan) -> list[str]:
        chain = []
        while span.parent_id is not None:
            span = by_id[span.parent_id]  # a parent missing from the trace fails here
            chain.append(span.name)
        return chain

    assert ancestors(enqueue)[-1] == request.name  # under the request (and its use case's statements)
    assert publish.parent_id == enqueue.span_id  # the relay continues the context stored with the job
    assert message.parent_id == publish.span_id and message.service == "agentry-worker"
    assert {claim.parent_id, run.parent_id, ending.parent_id} == {message.span_id}
    assert all(span.parent_id is None or span.parent_id in by_id for span in spans), "parents intact"

    # The run's span: runner, model, tokens and cost; an event per tool use.
    assert run.attributes["agentry.runner"] == "scripted" and run.attributes["agentry.model"]
    assert run.attributes["agentry.tokens.input"] > 0 and "agentry.cost_usd" in run.attributes
    assert run.events == ["tool_use"]
    assert ending.attributes["agentry.outcome"] == "succeeded"

    # Database statements and Redis calls, in the same trace, on both sides.
    statements = [s for s in spans if s.attributes.get("db.system") == "postgresql" or "db.system.name" in s.attributes]
    assert {s.service for s in statements if s.attributes.get("db.system") != "redis"} >= {
        "agentry-api",
        "agentry-worker",
    }
    assert any(s.attributes.get("db.system") == "redis" for s in spans), sorted({s.name for s in spans})

    # Logs: every line is JSON; the request's access line and the worker's lines carry its correlation id.
    api, worker = logs
    [access] = [
        line
        for line in api
        if line["logger"] == "agentry.access" and line["route"] == "/api/v1/tasks" and line["method"] == "POST"
    ]
    assert access["correlation_id"] == correlation and access["status"] == 201
    assert access["user_id"] and access["duration_ms"] > 0 and access["trace_id"] == request.trace_id
    for line in api + worker:
        assert {"time", "level", "logger", "message"} <= line.keys()
    about_task = [line for line in worker if line.get("task_id") == task["id"]]
    assert about_task and all(line["correlation_id"] == correlation for line in about_task)
    [ended] = [line for line in about_task if line["message"] == "execution #1 ended: succeeded"]
    assert ended["execution_id"] == run.attributes["agentry.execution.id"] and ended["outcome"] == "succeeded"
    assert all(line.get("trace_id") == request.trace_id for line in about_task)


async def test_the_api_sends_the_spans_it_still_holds_when_it_is_stopped(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    # Exports only when told to (the default is every 5 s): the request's spans are still batched
    # when the SIGTERM comes, which uvicorn raises again once it has shut down (no exit hooks run).
    with OtlpDouble() as collector:
        env = production_env | {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "600000"}
        migrated(env, tmp_path)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        with running((["serve", "--port", str(port)], env), cwd=tmp_path, wait_for=base_url):
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                await sign_in(client)
            assert collector.spans == []  # nothing sent yet
        # Stopped: what it held has been sent.
        assert {"POST /api/v1/auth/register", "POST /api/v1/auth/login"} <= {span.name for span in collector.spans}
