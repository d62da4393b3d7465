"""Live events as they travel on a channel and reach a client: one JSON object each, with a `type`.

The API forwards these bytes to WebSocket clients untouched, so the wire format is the client format.
"""

from __future__ import annotations

from typing import Any

import msgspec

from agentry.application.ports.live_events import (
    DocumentChanged,
    KnowledgeChanged,
    LiveEvent,
    LogAppended,
    PublicationChanged,
    RunEnded,
    TaskStatusChanged,
)
from agentry.domain.tasks.logs import LogLine

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def encode(event: LiveEvent) -> bytes:
    if isinstance(event, KnowledgeChanged):
        return _encoder.encode(
            {
                "type": event.type,
                f"{event.aggregate}_id": event.aggregate_id,
                "project_id": event.project_id,
                "data": dict(event.data),
                "at": event.at,
            }
        )
    if isinstance(event, DocumentChanged):
        return _encoder.encode(
            {
                "type": event.type,
                "document_id": event.document_id,
                "project_id": event.project_id,
                "title": event.title,
                "status": event.status,
                "chunk_count": event.chunk_count,
                "error": event.error,
                "at": event.at,
            }
        )
    if isinstance(event, PublicationChanged):
        return _encoder.encode(
            {
                "type": event.type,
                "publication_id": event.publication_id,
                "project_id": event.project_id,
                "title": event.title,
                "status": event.status,
                "by": event.by,
                "at": event.at,
            }
        )
    body: dict[str, Any] = {"type": event.type, "task_id": event.task_id, "project_id": event.project_id}
    match event:
        case TaskStatusChanged(status=status, at=at):
            body |= {"status": status, "at": at}
        case LogAppended(execution_number=number, lines=lines):
            body |= {"execution": number, "lines": [line_body(line) for line in lines]}
        case RunEnded(execution_number=number, status=status, summary=summary, error=error, usage=usage):
            body |= {
                "execution": number,
                "status": status,
                "summary": summary,
                "error": {"code": error.code, "message": error.message} if error else None,
                "usage": {
                    "input_tokens": usage.input_tokens,
                    "output_tokens": usage.output_tokens,
                    "cost_usd": usage.cost_usd,
                },
            }
    return _encoder.encode(body)


def line_body(line: LogLine) -> dict[str, Any]:
    """A log line as GET /tasks/{id}/logs shows it."""
    return {
        "sequence": line.sequence,
        "at": line.at,
        "kind": line.kind,
        "level": line.level,
        "message": line.message,
        "data": line.data,
    }


def decode(payload: bytes) -> dict[str, Any]:
    message: dict[str, Any] = _decoder.decode(payload)
    return message
