"""Opaque keyset cursors, newest first: a moment and an id, marked with the list they page (`kind`), so
a cursor made for one list is refused by another. Each slice wraps them in its own position type."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from agentry.application.errors import InvalidCursor


def encode_keyset(kind: str, at: datetime, id_: UUID) -> str:
    raw = json.dumps({"d": kind, "c": at.isoformat(), "i": str(id_)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_keyset(kind: str, cursor: str) -> tuple[datetime, UUID]:
    """The moment and id a cursor of `kind` holds; InvalidCursor for anything this service did not make
    for that list (a moment without a time zone included)."""
    refusal = f"it was not made by this service for {kind}"
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["d"] != kind:
            raise ValueError
        at, id_ = datetime.fromisoformat(payload["c"]), UUID(payload["i"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor(refusal) from None
    if at.tzinfo is None:
        raise InvalidCursor(refusal)
    return at, id_
