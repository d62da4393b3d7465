"""Opaque keyset cursors over entities and relationships, newest first."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from agentry.application.errors import InvalidCursor
from agentry.application.knowledge.ports.graph import Position


def encode_cursor(kind: str, created_at: datetime, id_: UUID) -> str:
    raw = json.dumps({"d": kind, "c": created_at.isoformat(), "i": str(id_)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> Position:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["d"] != kind:
            raise ValueError
        position = Position(datetime.fromisoformat(payload["c"]), UUID(payload["i"]))
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor(f"it was not made by this service for {kind}") from None
    if position.created_at.tzinfo is None:
        raise InvalidCursor(f"it was not made by this service for {kind}")
    return position
