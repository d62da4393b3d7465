"""Names people type: inner runs of whitespace become one space, the result has a bounded length, and
control characters (NUL among them, which PostgreSQL cannot store) are refused."""

from __future__ import annotations

import unicodedata

from agentry.domain.errors import InvalidValue


def clean_name(field: str, value: str, max_length: int) -> str:
    cleaned = " ".join(value.split())
    if not 1 <= len(cleaned) <= max_length:
        raise InvalidValue(field, f"must be 1 to {max_length} characters")
    if any(unicodedata.category(character) == "Cc" for character in cleaned):
        raise InvalidValue(field, "must not contain control characters")
    return cleaned
