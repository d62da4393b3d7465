"""Chunks: a document's text cut by paragraphs, then sentences, then words, to about a target size,
each overlapping the one before. A chunk's span is exact: `text[start:end] == chunk.text`.

The cut: paragraphs (blank lines) are packed into a chunk while it stays under `target`; a paragraph
longer than `target` is cut at sentence ends, a sentence longer than that at spaces, and a word
longer than that at `target` characters. The next chunk starts `overlap` characters (moved forward to
the start of a word) before the previous one ended, so a sentence on the border is whole in one of them;
no chunk is longer than `target + overlap`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID, uuid5

from agentry.domain.errors import InvalidValue

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE = re.compile(r"(?<=[.!?。])[\"')\]]*\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ChunkingPolicy:
    target: int = 1_200  # characters
    overlap: int = 150

    def __post_init__(self) -> None:
        if self.target < 16:
            raise InvalidValue("chunk_target", "at least 16 characters")
        if not 0 <= self.overlap < self.target // 2:
            raise InvalidValue("chunk_overlap", "from 0 to less than half the target")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Chunk:
    document_id: UUID
    ordinal: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> UUID:
        return chunk_id(self.document_id, self.ordinal)


def chunk_id(document_id: UUID, ordinal: int) -> UUID:
    """A chunk's id: derived from its document and ordinal (a name-based UUID), so that chunking the same
    text again gives the same ids, and its vectors are replaced, not duplicated."""
    return uuid5(document_id, str(ordinal))


def chunk_spans(text: str, policy: ChunkingPolicy) -> list[Span]:
    """The spans of the chunks of `text`, in order; none for text that is only white space."""
    pieces = _pieces(text, policy.target)
    spans: list[Span] = []
    start: int | None = None
    end = 0
    for piece in pieces:
        if start is None:
            start, end = piece.start, piece.end
        elif piece.end - start <= policy.target:
            end = piece.end
        else:
            spans.append(Span(start, end))
            start = _overlap_start(text, start, end, piece.start, policy.overlap)
            if piece.end - start > policy.target + policy.overlap:
                start = piece.start  # a long piece: no room for the overlap
            end = piece.end
    if start is not None:
        spans.append(Span(start, end))
    return spans


def chunk_text(document_id: UUID, text: str, policy: ChunkingPolicy) -> list[Chunk]:
    return [
        Chunk(document_id, ordinal, span.start, span.end, text[span.start : span.end])
        for ordinal, span in enumerate(chunk_spans(text, policy))
    ]


def _overlap_start(text: str, previous_start: int, previous_end: int, next_start: int, overlap: int) -> int:
    """Where the chunk after [previous_start, previous_end) begins: `overlap` characters back from the
    end, at a word's start, never before the previous chunk's start, never after the next piece."""
    if overlap == 0:
        return next_start
    at = max(previous_start + 1, previous_end - overlap)
    while at < next_start and at > 0 and not text[at - 1].isspace():
        at += 1
    while at < next_start and text[at].isspace():
        at += 1
    return min(at, next_start)


def _pieces(text: str, target: int) -> list[Span]:
    """Paragraphs, cut further where one is longer than `target`; white space between them left out."""
    pieces: list[Span] = []
    for paragraph in _split(text, 0, len(text), _PARAGRAPH):
        if paragraph.end - paragraph.start <= target:
            pieces.append(paragraph)
            continue
        for sentence in _split(text, paragraph.start, paragraph.end, _SENTENCE):
            if sentence.end - sentence.start <= target:
                pieces.append(sentence)
                continue
            pieces.extend(_words(text, sentence, target))
    return pieces


def _words(text: str, sentence: Span, target: int) -> list[Span]:
    out: list[Span] = []
    for word in _split(text, sentence.start, sentence.end, _SPACE):
        at = word.start
        while word.end - at > target:
            out.append(Span(at, at + target))
            at += target
        out.append(Span(at, word.end))
    return out


def _split(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[Span]:
    """The parts of text[start:end] between separators, each without surrounding white space."""
    parts: list[Span] = []
    at = start
    for match in separator.finditer(text, start, end):
        parts.extend(_stripped(text, at, match.start()))
        at = match.end()
    parts.extend(_stripped(text, at, end))
    return parts


def _stripped(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end)] if start < end else []
