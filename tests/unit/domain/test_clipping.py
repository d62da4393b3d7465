"""Text kept within a cap while it streams in: never over the cap (marker included), never cut when it
fits, always marked when cut, with the count of what was left out; what is kept is the text's start."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.domain.tasks.clipping import MARKER_ROOM, TextClipper, clip, clip_marker, utf8_size

pieces = st.lists(st.text(st.characters(codec="utf-8"), max_size=300), max_size=30)
caps = st.integers(min_value=MARKER_ROOM + 1, max_value=3_000)


@given(pieces, caps)
def test_clipped_text_never_exceeds_the_cap_and_says_how_much_was_left_out(parts: list[str], cap: int) -> None:
    clipper = TextClipper(cap)
    for part in parts:
        clipper.add(part)
    whole, text = "".join(parts), clipper.text()

    assert utf8_size(text) <= cap
    assert clip(whole, cap) == (text, clipper.clipped), "streamed in pieces or given whole, the same"
    if utf8_size(whole) <= cap:
        assert (text, clipper.clipped) == (whole, False)
    else:
        marker = clip_marker(clipper.dropped)
        assert clipper.clipped and text.endswith(marker)
        kept = text[: -len(marker)]
        assert whole.startswith(kept) and len(kept) + clipper.dropped == len(whole)
        assert clipper.dropped > 0


def test_the_marker_counts_characters_and_a_character_is_never_split() -> None:
    text, clipped = clip("é" * 1_000, 200)
    assert clipped and text.endswith("…[clipped: 932 more characters]")
    assert set(text.split("…[clipped")[0]) == {"é"}
    assert clip("short", 100) == ("short", False)


def test_past_the_cap_pieces_are_only_counted() -> None:
    clipper = TextClipper(1_024)
    piece = "A" * 100_000
    for _ in range(1_000):
        clipper.add(piece)
    assert clipper.text().endswith("…[clipped: 99,999,040 more characters]")
    assert utf8_size(clipper.text()) <= 1_024


def test_a_cap_without_room_for_the_marker_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="room for the marker"):
        TextClipper(MARKER_ROOM)
