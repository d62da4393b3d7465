"""Names and email addresses people type: what is kept, and what is refused before it reaches storage."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.emails import normalize_email
from agentry.domain.errors import InvalidValue
from agentry.domain.names import clean_name


@given(st.text(max_size=60))
def test_a_cleaned_name_has_single_inner_spaces_and_no_control_characters(value: str) -> None:
    try:
        cleaned = clean_name("name", value, 50)
    except InvalidValue:
        return
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert 1 <= len(cleaned) <= 50
    assert not any(ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0 for character in cleaned)


@pytest.mark.parametrize("value", ["Ada\x00Lovelace", "Ada\x07", "\x1b[31mred"])
def test_a_name_with_a_control_character_is_refused(value: str) -> None:
    with pytest.raises(InvalidValue, match="control characters"):
        clean_name("display_name", value, 100)


def test_tabs_and_newlines_in_a_name_become_single_spaces() -> None:
    assert clean_name("name", "  Ada\t\tLovelace\n", 100) == "Ada Lovelace"


@pytest.mark.parametrize("value", ["ada\x00@example.com", "ada@exa\x01mple.com", "ada@example.c\x7fom"])
def test_an_email_with_a_control_character_is_refused(value: str) -> None:
    with pytest.raises(InvalidValue):
        normalize_email(value)


def test_an_email_is_trimmed_and_lowered() -> None:
    assert normalize_email("  Ada@Example.COM ") == "ada@example.com"
