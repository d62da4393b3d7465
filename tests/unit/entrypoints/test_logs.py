"""One log format: a JSON object a line with the work's context, or a readable line on a terminal."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider

from agentry.adapters.otel import context as work_context
from agentry.adapters.otel.context import PlainWorkContext, correlation_id
from agentry.adapters.otel.setup import _current_ids
from agentry.application.ports.work_context import EXECUTION_ID, TASK_ID
from agentry.entrypoints.logs import ConsoleFormatter, JsonFormatter, _ContextFilter, chosen_format, configure_logging


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_ContextFilter())
    logger = logging.getLogger("agentry.test-logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_names_time_level_logger_message_and_what_the_caller_added(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.warning("slow %s", "thing", extra={"duration_ms": 12.5})
    [line] = lines(stream)
    assert line["level"] == "WARNING" and line["logger"] == "agentry.test-logs"
    assert line["message"] == "slow thing" and line["duration_ms"] == 12.5
    assert str(line["time"]).endswith("+00:00")
    assert "correlation_id" not in line and "trace_id" not in line


def test_a_line_written_during_a_step_names_its_correlation_id_task_and_execution(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    with PlainWorkContext().span(
        "execution run", {TASK_ID: "t-9", EXECUTION_ID: "e-9"}, parent={"correlation_id": "c-9"}
    ):
        logger.info("running")
    logger.info("after")
    during, after = lines(stream)
    assert (during["correlation_id"], during["task_id"], during["execution_id"]) == ("c-9", "t-9", "e-9")
    assert "task_id" not in after and "correlation_id" not in after


def test_a_line_written_in_a_span_names_its_trace_and_span(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    work_context.use_trace_ids(_current_ids)
    try:
        tracer = TracerProvider().get_tracer("test")
        with tracer.start_as_current_span("step") as span:
            logger.info("inside")
        logger.info("outside")
    finally:
        work_context.use_trace_ids(work_context._no_trace)
    inside, outside = lines(stream)
    assert inside["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert inside["span_id"] == format(span.get_span_context().span_id, "016x")
    assert "trace_id" not in outside


def test_an_exception_is_kept_in_the_line(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise ValueError("bad")
    except ValueError:
        logger.exception("failed")
    [line] = lines(stream)
    assert "ValueError: bad" in str(line["exception"])


def test_the_console_format_is_one_readable_line_with_the_context() -> None:
    record = logging.makeLogRecord({"name": "agentry.x", "levelname": "INFO", "msg": "hello", "created": 0})
    token = correlation_id.set("c-1")
    try:
        _ContextFilter().filter(record)
    finally:
        correlation_id.reset(token)
    text = ConsoleFormatter().format(record)
    assert "INFO" in text and "agentry.x: hello" in text and "correlation_id=c-1" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_the_format_is_json_unless_asked_for_the_console_or_on_a_terminal() -> None:
    assert chosen_format("json") == "json" and chosen_format("console") == "console"
    assert chosen_format("auto") in ("json", "console")  # depends on pytest's stdout


def test_each_outgoing_http_request_is_not_an_info_line_but_its_warnings_are_kept() -> None:
    root = logging.getLogger()
    kept = (root.handlers[:], root.level, logging.getLogger("httpx").level)
    try:
        configure_logging("INFO", "json")
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
        assert logging.getLogger("httpx").isEnabledFor(logging.WARNING)
        assert logging.getLogger("agentry.webhooks").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], root.level = kept[0], kept[1]
        logging.getLogger("httpx").setLevel(kept[2])
