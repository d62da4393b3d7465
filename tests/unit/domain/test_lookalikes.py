"""Emails and display names that could pass for someone else's: normalised to one form, and refused
when they hold invisible, bidirectional-control or mixed-script characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.emails import normalize_email
from agentry.domain.errors import InvalidValue
from agentry.domain.identity.users import clean_display_name
from agentry.domain.lookalikes import BIDI_CONTROLS, is_invisible, mixes_scripts, script_of

REFUSED = sorted(
    BIDI_CONTROLS | {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f", "\U000e0001", "\u3164"}
)
LOCAL = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)


@pytest.mark.parametrize(
    ("character", "script"),
    [
        ("a", "LATIN"), ("é", "LATIN"), ("а", "CYRILLIC"), ("α", "GREEK"), ("ա", "ARMENIAN"),
        ("א", "HEBREW"), ("ب", "ARABIC"), ("中", "HAN"), ("あ", "HIRAGANA"), ("ア", "KATAKANA"),
        ("한", "HANGUL"), ("ქ", "GEORGIAN"), ("क", "DEVANAGARI"), ("1", None), ("-", None), ("\u0301", None),
    ],
)  # fmt: skip
def test_the_script_of_a_character(character: str, script: str | None) -> None:
    assert script_of(character) == script


@pytest.mark.parametrize(
    ("word", "mixed"),
    [
        ("paypal", False), ("pаypal", True), ("Αpple", True), ("google", False), ("gооgle", True),
        ("東京タワー", False), ("ゲームApple", False), ("서울Seoul", False), ("Москва", False),
        ("Москваx", True), ("ab12", False), ("שלוםa", True), ("café", False), ("ἀλφα", False),
    ],
)  # fmt: skip
def test_a_word_mixing_look_alike_scripts(word: str, mixed: bool) -> None:
    assert mixes_scripts(word) is mixed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ada@Example.COM ", "ada@example.com"),
        ("ＡＤＡ@ｅｘａｍｐｌｅ.com", "ada@example.com"),  # full-width forms: NFKC
        ("ada@ex\u0061\u0301mple.com", "ada@exámple.com"),  # decomposed: composed
        ("ivan.пупкин@почта.рф", "ivan.пупкин@почта.рф"),  # one script per word
    ],
)
def test_an_email_is_stored_in_one_form(typed: str, stored: str) -> None:
    assert normalize_email(typed) == stored


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("ada\u200b@example.com", "invisible"),
        ("ada@exam\u00adple.com", "invisible"),
        ("ada@example.com\u202e", "bidirectional"),
        ("ada\u2066@example.com", "bidirectional"),
        ("pаypal@example.com", "mix scripts"),  # a Cyrillic а
        ("ada@аpple.com", "mix scripts"),
    ],
)
def test_a_deceptive_email_is_refused(email: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        normalize_email(email)


@pytest.mark.parametrize("name", ["Ada\u200dLovelace", "Ada \u202eecalevoL", "Аda Lovelace", "Ada\ufe0f", "\u3164"])
def test_a_deceptive_display_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidValue):
        clean_display_name(name)


def test_a_display_name_in_one_script_per_word_is_kept() -> None:
    assert clean_display_name(" Ada  Лавлейс 山田 ") == "Ada Лавлейс 山田"


def _normalized_or_none(email: str) -> str | None:
    try:
        return normalize_email(email)
    except InvalidValue:
        return None


@given(LOCAL, st.sampled_from(["example.com", "ПРИМЕР.рф", "Example.COM", "例え.jp"]))
def test_normalising_an_email_is_idempotent(local: str, domain: str) -> None:
    once = _normalized_or_none(f"{local}@{domain}")
    if once is not None:
        assert normalize_email(once) == once
        assert once == unicodedata.normalize("NFKC", once) == once.lower()


@given(LOCAL, st.sampled_from(REFUSED), st.integers(min_value=0, max_value=20))
def test_a_refused_character_never_passes(local: str, refused: str, at: int) -> None:
    at = min(at, len(local))
    with pytest.raises(InvalidValue):
        normalize_email(f"{local[:at]}{refused}{local[at:]}@example.com")
    with pytest.raises(InvalidValue):
        clean_display_name(f"{local[:at]}{refused}{local[at:]}")


@given(st.text(max_size=40))
def test_what_passes_holds_nothing_invisible(text: str) -> None:
    for value in (_normalized_or_none(text), _normalized_or_none(f"{text}@example.com")):
        if value is not None:
            assert not any(is_invisible(character) for character in value)
    try:
        name = clean_display_name(text)
    except InvalidValue:
        return
    assert clean_display_name(name) == name
    assert not any(is_invisible(character) or character in BIDI_CONTROLS for character in name)
