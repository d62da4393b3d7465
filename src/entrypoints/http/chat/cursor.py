"""The opaque cursor of a page of chat sessions (the last session's activity time and id), shared by the
REST list and GraphQL's chatSessions."""

from __future__ import annotations

from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import datetime
from uuid import UUID

from agentry.application.errors import InvalidCursor


def encode_session_cursor(at: datetime, session_id: UUID) -> str:
    return urlsafe_b64encode(f"{at.isoformat()}|{session_id}".encode()).decode().rstrip("=")


def decode_session_cursor(cursor: str | None) -> tuple[datetime, UUID] | None:
    if cursor is None:
        return None
    try:
        at, _, last = urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError(at)
        return moment, UUID(last)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("this service did not make it") from error
