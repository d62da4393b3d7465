"""Checks and field constraints the slices share: no NUL characters, moments PostgreSQL can store, an email address."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from msgspec import Meta

from agentry.domain.emails import EMAIL_MAX
from agentry.domain.errors import InvalidValue

Email = Annotated[str, Meta(min_length=3, max_length=EMAIL_MAX, examples=["ada@example.com"])]


def require_utc_range(field: str, value: datetime | None) -> None:
    """The database keeps moments in UTC; some have no UTC equivalent (0001-01-01T00:00:00+14:00)."""
    if value is None or value.tzinfo is None:
        return
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise InvalidValue(field, "out of range once converted to UTC") from None


def refuse_nul(value: object, field: str = "") -> None:
    """PostgreSQL cannot store NUL characters in text: refuse them here, naming where, rather than fail there."""
    if isinstance(value, str) and "\x00" in value:
        raise InvalidValue(field or "body", "must not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key, field or "body")
            refuse_nul(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, f"{field}[{index}]")
