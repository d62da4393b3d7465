"""Opaque keyset cursors: where a page ended, bound to the sort it was made for."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from uuid import UUID

from agentry.application.errors import InvalidCursor
from agentry.application.tasks.ports.task_repository import SortPosition, TaskSort
from agentry.domain.tasks.task import AgentTask


def encode_cursor(sort: TaskSort, last: AgentTask) -> str:
    payload = {"s": sort.value, "c": last.created_at.isoformat(), "i": str(last.id), "p": last.priority.rank}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: TaskSort) -> SortPosition:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        position = SortPosition(
            created_at=datetime.fromisoformat(payload["c"]),
            task_id=UUID(payload["i"]),
            priority_rank=int(payload["p"]),
        )
        made_for = payload["s"]
        position.created_at.astimezone(UTC)  # a time with no UTC equivalent cannot be a position
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor("it was not made by this service") from None
    if made_for != sort.value:
        raise InvalidCursor(f"it was made for sort {made_for!r}, not {sort.value!r}")
    if position.created_at.tzinfo is None or not 0 <= position.priority_rank <= 3:
        raise InvalidCursor("it was not made by this service")
    return position
