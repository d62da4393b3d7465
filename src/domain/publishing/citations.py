"""Citations: a draft written by an agent cites its sources by number (`[1]`, `[2, 3]`), each number one
of the sources it was given (a document's chunk and a character span in it, with the quoted text).

Reading a body's citations keeps each number the agent was given, once, in the order first cited; a
number it was not given is dropped: its mark leaves the body (a reader must not take it for a source),
and a note at the end of the body says which numbers were dropped, so nothing is invented and nothing
is hidden. Editing a body keeps the citations whose number the new body still cites (`still_cited`):
a source whose mark is gone is no longer one of the body's sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from agentry.domain.errors import InvalidValue

CITATIONS_MAX = 500
QUOTE_MAX = 2_000  # characters of a quoted span
# `[1]` or `[1, 2]`; not a Markdown link's text (`[1](…)`), nor a footnote (`[^1]`)
_MARK = re.compile(r"\[(\d{1,6}(?:\s*,\s*\d{1,6})*)\](?!\()")


@dataclass(frozen=True, slots=True)
class Citation:
    """Source `number` is `quote`, the text at `start:end` of the chunk `chunk_id` of document
    `document_id` titled `document_title` (as they read when the source was given; None: given before
    citations kept the title)."""

    number: int
    document_id: UUID
    chunk_id: UUID
    start: int
    end: int
    quote: str
    document_title: str | None = None

    def __post_init__(self) -> None:
        if self.number < 1:
            raise InvalidValue("citations", "a citation's number starts at 1")
        if not 0 <= self.start < self.end:
            raise InvalidValue("citations", f"a span needs 0 <= start < end (got {self.start}..{self.end})")


@dataclass(frozen=True, slots=True)
class CitedBody:
    body: str
    citations: tuple[Citation, ...]  # the sources cited, in the order first cited
    dropped: tuple[int, ...]  # the numbers cited that no source had, in the order first cited


def cite(body: str, sources: Mapping[int, Citation]) -> CitedBody:
    """The body's citations among `sources` (number → source); the marks of unknown numbers removed
    from it and named in a closing note."""
    cited: dict[int, Citation] = {}
    dropped: dict[int, None] = {}

    def keep_known(mark: re.Match[str]) -> str:
        numbers = [int(n) for n in mark.group(1).split(",")]
        known = [n for n in numbers if n in sources]
        for n in numbers:
            if n in sources:
                cited.setdefault(n, sources[n])
            else:
                dropped.setdefault(n)
        return "[" + ", ".join(str(n) for n in known) + "]" if known else ""

    kept = _MARK.sub(keep_known, body)
    if dropped:
        numbers = ", ".join(f"[{n}]" for n in dropped)
        kept = (
            kept.rstrip()
            + f"\n\n> Note: {numbers} cited no source given to the agent and "
            + ("was dropped.\n" if len(dropped) == 1 else "were dropped.\n")
        )
    return CitedBody(kept, tuple(cited.values()), tuple(dropped))


def cited_numbers(body: str) -> frozenset[int]:
    """The numbers the body's marks cite (`[1]`, `[2, 3]`)."""
    return frozenset(int(n) for mark in _MARK.finditer(body) for n in mark.group(1).split(","))


def still_cited(body: str, citations: Iterable[Citation]) -> tuple[Citation, ...]:
    """The citations whose number `body` still cites, in their order."""
    numbers = cited_numbers(body)
    return tuple(c for c in citations if c.number in numbers)


def checked_citations(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    cleaned = tuple(citations)
    if len(cleaned) > CITATIONS_MAX:
        raise InvalidValue("citations", f"at most {CITATIONS_MAX}")
    if len({c.number for c in cleaned}) != len(cleaned):
        raise InvalidValue("citations", "each number once")
    return cleaned
