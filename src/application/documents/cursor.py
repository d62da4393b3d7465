"""Opaque keyset cursors over documents, newest first."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from agentry.application.documents.ports import DocumentPosition
from agentry.application.errors import InvalidCursor
from agentry.domain.documents.document import Document


def encode_cursor(last: Document) -> str:
    raw = json.dumps({"d": "documents", "c": last.created_at.isoformat(), "i": str(last.id)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> DocumentPosition:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["d"] != "documents":
            raise ValueError
        position = DocumentPosition(datetime.fromisoformat(payload["c"]), UUID(payload["i"]))
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor("it was not made by this service for documents") from None
    if position.created_at.tzinfo is None:
        raise InvalidCursor("it was not made by this service for documents")
    return position
