"""Names people type: inner runs of whitespace become one space, and the result has a bounded length."""

from __future__ import annotations

from domain.errors import InvalidValue


def clean_name(field: str, value: str, max_length: int) -> str:
    cleaned = " ".join(value.split())
    if not 1 <= len(cleaned) <= max_length:
        raise InvalidValue(field, f"must be 1 to {max_length} characters")
    return cleaned
