"""Names people type: NFKC-normalised, inner runs of whitespace become one space, the result has a
bounded length, and invisible, control (NUL among them, which PostgreSQL cannot store) and
bidirectional-control characters are refused. A display name must also not mix look-alike scripts
in one word (lookalikes.py): it is what other people recognise an account by."""

from __future__ import annotations

import unicodedata

from agentry.domain.errors import InvalidValue
from agentry.domain.lookalikes import BIDI_CONTROLS, is_invisible, refuse_lookalikes


def clean_name(field: str, value: str, max_length: int) -> str:
    cleaned = " ".join(unicodedata.normalize("NFKC", value).split())
    if not 1 <= len(cleaned) <= max_length:
        raise InvalidValue(field, f"must be 1 to {max_length} characters")
    if any(character in BIDI_CONTROLS for character in cleaned):
        raise InvalidValue(field, "must not contain bidirectional-control characters")
    if any(is_invisible(character) for character in cleaned):
        raise InvalidValue(field, "must not contain invisible or control characters")
    return cleaned


def clean_person_name(field: str, value: str, max_length: int) -> str:
    """A name that stands for a person: also no word mixing look-alike scripts."""
    return refuse_lookalikes(field, clean_name(field, value, max_length))


def checked_title(title: str, max_length: int) -> str:
    """A title (a document's, a publication's): stripped, not empty, at most `max_length` characters,
    without NUL (which PostgreSQL cannot store); otherwise kept as written."""
    title = title.strip()
    if not title:
        raise InvalidValue("title", "must not be empty")
    if len(title) > max_length:
        raise InvalidValue("title", f"at most {max_length} characters")
    if "\x00" in title:
        raise InvalidValue("title", "must not contain NUL characters")
    return title
