"""Process-wide logging set-up: one format for the API, the workers and the CLI.

The standard library's logging with a JSON formatter of our own, not structlog: every module (ours,
uvicorn's, Dramatiq's, SQLAlchemy's) already logs through `logging`, so one formatter on the root
handler covers them all with nothing to wrap or bridge, and no new dependency.

Every line is one JSON object: `time` (UTC, ISO 8601), `level`, `logger`, `message`, and, when known,
`correlation_id` (the request's X-Request-ID or a made-up one, carried into the worker with the task's
message), `trace_id` and `span_id` (when tracing is on), `task_id`, `execution_id` and
`execution_number`, then whatever the call passed in `extra`, and `exception` (the traceback). A
readable line instead when standard output is a terminal, or with AGENTRY_LOG_FORMAT=console."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal

from agentry.adapters.otel.context import correlation_id, log_fields, trace_ids

LogFormat = Literal["auto", "json", "console"]
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName", "_context"}
# httpx and httpcore: a line per webhook delivery (the delivery log has them); warnings still show
_NOISY = ("sqlalchemy", "alembic", "casbin", "opentelemetry", "httpx", "httpcore")


def context_fields() -> dict[str, Any]:
    """What the current work says about itself: correlation id, trace and span, task and execution."""
    fields: dict[str, Any] = {}
    if (value := correlation_id.get()) is not None:
        fields["correlation_id"] = value
    if (ids := trace_ids()) is not None:
        fields["trace_id"], fields["span_id"] = ids
    fields.update(log_fields.get())
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_context_of(record))
        line.update({key: value for key, value in record.__dict__.items() if key not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
        fields = {**_context_of(record), **{k: v for k, v in record.__dict__.items() if k not in _STANDARD}}
        fields.pop("span_id", None)
        shown = " ".join(f"{key}={value}" for key, value in fields.items())
        text = f"{moment} {record.levelname:<7} {record.name}: {record.getMessage()}" + (
            f"  [{shown}]" if shown else ""
        )
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


class _ContextFilter(logging.Filter):
    """Takes the context when the line is logged (formatting may happen later, or elsewhere)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "_context" not in record.__dict__:
            record.__dict__["_context"] = context_fields()
        return True


def _context_of(record: logging.LogRecord) -> dict[str, Any]:
    context: dict[str, Any] | None = record.__dict__.get("_context")
    return context if context is not None else context_fields()


def chosen_format(wanted: LogFormat) -> Literal["json", "console"]:
    if wanted != "auto":
        return wanted
    out = sys.__stdout__
    return "console" if out is not None and out.isatty() else "json"


def configure_logging(level: str, log_format: LogFormat = "auto") -> None:
    """One handler on the root logger, to stderr, in the chosen format; replaces any set before."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen_format(log_format) == "json" else ConsoleFormatter())
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # Python's warnings too, in the same format
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "dramatiq"):
        named = logging.getLogger(name)
        named.handlers.clear()  # their own set-ups would print a second format
        named.propagate = True
