"""Text that could pass for other text: invisible characters, bidirectional controls, and words mixing
look-alike scripts (a Cyrillic "а" in a Latin "paypal"). Identifiers and names people see are refused
when they hold any of them, so that two accounts cannot look the same.

Unicode's script property is not in `unicodedata`, so a letter's script is read from its character
name ("LATIN SMALL LETTER A", "CYRILLIC SMALL LETTER A", "CJK UNIFIED IDEOGRAPH-4E00"), which starts
with the script for every letter of the scripts that matter here. Digits, punctuation, symbols and
combining marks named "COMBINING ..." belong to no script and go with any.
"""

from __future__ import annotations

import unicodedata

from agentry.domain.errors import InvalidValue

BIDI_CONTROLS = frozenset({chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)})
# Characters that show nothing, beyond the format/control/separator/unassigned categories.
_BLANK_LOOKING = frozenset(
    {chr(c) for c in (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0, *range(0x180B, 0x1810))}
)
_VARIATION_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cn", "Co", "Cs", "Zl", "Zp", "Zs"})

# Scripts that may share a word: Japanese, Chinese and Korean writing, each with Latin (UTS #39,
# "highly restrictive"). Any other two scripts in one word are refused.
_WRITING_SYSTEMS = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_NAME_ALIASES = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "HALFWIDTH": None, "FULLWIDTH": None, "MODIFIER": None}


def is_invisible(character: str) -> bool:
    """Shows nothing (or only a space other than the plain one): format and control characters,
    separators other than U+0020, unassigned and private-use code points, variation selectors, fillers."""
    if character == " ":
        return False
    code = ord(character)
    return (
        unicodedata.category(character) in _INVISIBLE_CATEGORIES
        or character in _BLANK_LOOKING
        or any(low <= code <= high for low, high in _VARIATION_SELECTORS)
    )


def script_of(character: str) -> str | None:
    """The script of a letter or script-specific mark (e.g. "LATIN", "CYRILLIC", "HAN"), or None for a
    character that goes with any script (digits, punctuation, symbols, combining marks)."""
    if unicodedata.category(character)[0] not in "LM":
        return None
    first_word = unicodedata.name(character, "").split(" ", 1)[0]
    if first_word in ("", "COMBINING") or "-" in first_word:  # e.g. KATAKANA-HIRAGANA PROLONGED SOUND MARK
        return None
    return _NAME_ALIASES.get(first_word, first_word)


def scripts_of(word: str) -> frozenset[str]:
    return frozenset(script for script in map(script_of, word) if script is not None)


def mixes_scripts(word: str) -> bool:
    """Whether one word holds letters of scripts that do not go together."""
    scripts = scripts_of(word)
    return len(scripts) > 1 and not any(scripts <= system for system in _WRITING_SYSTEMS)


def words_of(text: str) -> list[str]:
    """The runs of letters, marks and digits: a script mix is judged word by word."""
    words, current = [], []
    for character in text:
        if unicodedata.category(character)[0] in "LMN":
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def refuse_lookalikes(field: str, text: str) -> str:
    """`text` unchanged, or InvalidValue naming what makes it deceptive."""
    if any(character in BIDI_CONTROLS for character in text):
        raise InvalidValue(field, "must not contain bidirectional-control characters")
    if any(is_invisible(character) for character in text):
        raise InvalidValue(field, "must not contain invisible or control characters")
    mixed = next((word for word in words_of(text) if mixes_scripts(word)), None)
    if mixed is not None:
        scripts = " and ".join(script.title() for script in sorted(scripts_of(mixed)))
        raise InvalidValue(field, f"must not mix scripts in one word ({scripts} in {mixed!r})")
    return text
