"""Text kept within a cap while it streams in: what arrives past the cap is only counted, and a visible
marker at the end says how much was left out. Caps are in UTF-8 bytes, the marker included."""

from __future__ import annotations

MARKER_ROOM = 64
"""Bytes kept free for the marker once text is clipped; the longest marker takes 55."""


def utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def clip_marker(dropped: int) -> str:
    return f"…[clipped: {dropped:,} more characters]"


def clip(text: str, max_bytes: int) -> tuple[str, bool]:
    """The text within `max_bytes`, marked if cut; and whether it was."""
    if len(text) * 4 <= max_bytes:  # a character takes at most 4 bytes: the common case, at once
        return text, False
    clipper = TextClipper(max_bytes)
    clipper.add(text)
    return clipper.text(), clipper.clipped


class TextClipper:
    """Gathers pieces of text up to `max_bytes`; past it, keeps only a count of the characters left out.
    Memory stays within the cap whatever arrives."""

    def __init__(self, max_bytes: int) -> None:
        if max_bytes <= MARKER_ROOM:
            raise ValueError(f"a cap must leave room for the marker: more than {MARKER_ROOM} bytes")
        self.max_bytes = max_bytes
        self._parts: list[str] = []
        self._size = 0
        self.clipped = False
        self.dropped = 0  # characters left out

    def __bool__(self) -> bool:
        return bool(self._parts) or self.clipped

    def add(self, piece: str) -> None:
        if self.clipped:
            self.dropped += len(piece)
            return
        size = utf8_size(piece)
        if self._size + size <= self.max_bytes:
            if piece:
                self._parts.append(piece)
                self._size += size
            return
        budget = self.max_bytes - MARKER_ROOM
        if self._size > budget:  # what is kept already must give up room for the marker
            kept = "".join(self._parts)
            head = _head(kept, budget)
            self._parts = [head] if head else []
            self.dropped = len(kept) - len(head) + len(piece)
        else:
            head = _head(piece, budget - self._size)
            if head:
                self._parts.append(head)
            self.dropped = len(piece) - len(head)
        self.clipped = True

    def text(self) -> str:
        kept = "".join(self._parts)
        return kept + clip_marker(self.dropped) if self.clipped else kept


def _head(text: str, max_bytes: int) -> str:
    """The longest start of `text` within `max_bytes` in UTF-8, cut between characters."""
    if text.isascii():
        return text[:max_bytes]
    return text[:max_bytes].encode("utf-8", "surrogatepass")[:max_bytes].decode("utf-8", errors="ignore")
