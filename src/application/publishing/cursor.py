"""Opaque keyset cursors over publications: the project's (newest created first) and the public list
(newest published first) are told apart, so one cannot be used for the other."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from agentry.application.errors import InvalidCursor
from agentry.application.publishing.ports import PublicationPosition


def encode_cursor(kind: str, at: datetime, publication_id: UUID) -> str:
    raw = json.dumps({"d": kind, "c": at.isoformat(), "i": str(publication_id)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> PublicationPosition:
    refusal = f"it was not made by this service for {kind}"
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["d"] != kind:
            raise ValueError
        position = PublicationPosition(datetime.fromisoformat(payload["c"]), UUID(payload["i"]))
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor(refusal) from None
    if position.at.tzinfo is None:
        raise InvalidCursor(refusal)
    return position
