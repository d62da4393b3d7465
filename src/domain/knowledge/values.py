"""What entities and relationships share: where a fact was read (a mention: a document, a chunk of it,
a character span, and which kind of extractor read it there), whether it is in the graph or only a
candidate, and the checks on their values.

A fact whose confidence is under the project's threshold is a candidate: kept, shown to those who ask
for candidates, never walked by graph queries. A person may confirm it (status graph) or demote it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from agentry.domain.errors import InvalidValue
from agentry.domain.knowledge.resolution import normalise_name

NAME_MAX = 300
TYPE_MAX = 100
ALIASES_MAX = 100
DESCRIPTION_MAX = 10_000
PROPERTIES_MAX_CHARS = 64_000


class FactStatus(StrEnum):
    GRAPH = "graph"
    CANDIDATE = "candidate"


class ExtractorKind(StrEnum):
    """Who read a mention: the offline rules, a model through the Anthropic API, or a person who gave it."""

    OFFLINE = "offline"
    ANTHROPIC = "anthropic"
    HUMAN = "human"

    @classmethod
    def of(cls, extractor_name: str) -> ExtractorKind:
        """The kind of a FactExtractor by its name, `<kind>` then `-` or `:` and details ("offline-rules",
        "anthropic:claude-haiku-4-5")."""
        kind = re.split(r"[-:]", extractor_name, maxsplit=1)[0]
        try:
            return cls(kind)
        except ValueError:
            raise InvalidValue("extractor", f"{extractor_name!r} names no known kind of extractor") from None


def status_for(confidence: float, threshold: float) -> FactStatus:
    return FactStatus.GRAPH if confidence >= threshold else FactStatus.CANDIDATE


@dataclass(frozen=True, slots=True, order=True)
class Mention:
    """A fact was read at `chunk_id`'s `text[start:end]` of `document_id`, by `extractor`. The span is the
    mention: two mentions of one span are the same mention whoever read them (the kind is left out of
    comparisons, so a set of mentions keeps one of them)."""

    document_id: UUID
    chunk_id: UUID
    start: int
    end: int
    extractor: ExtractorKind = field(default=ExtractorKind.HUMAN, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise InvalidValue("sources", f"a span needs 0 <= start < end (got {self.start}..{self.end})")


def merged_mentions(*groups: Iterable[Mention]) -> tuple[Mention, ...]:
    """Every mention once, in a stable order."""
    return tuple(sorted({m for group in groups for m in group}))


def checked_text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidValue(field, "must not be empty")
    if len(value) > limit:
        raise InvalidValue(field, f"at most {limit} characters")
    if "\x00" in value:
        raise InvalidValue(field, "must not contain NUL characters")
    return value


def checked_aliases(aliases: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, without blanks or repeats (first spelling kept), at most ALIASES_MAX."""
    kept: dict[str, str] = {}
    for alias in aliases:
        alias = checked_text("aliases", alias, NAME_MAX, required=False)
        if alias and alias.casefold() not in kept:
            kept[alias.casefold()] = alias
    if len(kept) > ALIASES_MAX:
        raise InvalidValue("aliases", f"at most {ALIASES_MAX}")
    return tuple(kept.values())


def checked_confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not 0.0 <= confidence <= 1.0:
        raise InvalidValue("confidence", "from 0 to 1")
    return float(confidence)


def checked_properties(properties: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(properties, Mapping):
        raise InvalidValue("properties", "must be a JSON object")
    try:
        size = len(json.dumps(properties, allow_nan=False))
    except (TypeError, ValueError):
        raise InvalidValue("properties", "must hold JSON values only") from None
    if size > PROPERTIES_MAX_CHARS:
        raise InvalidValue("properties", f"at most {PROPERTIES_MAX_CHARS} characters as JSON")
    return dict(properties)


def search_term(text: str) -> str:
    """One name or query as `search_terms` folds it (case-folded, white space collapsed)."""
    return " ".join(text.split()).casefold()


def search_terms(name: str, aliases: Iterable[str]) -> str:
    """The names a fact is known by, case-folded with white space collapsed, one per line and framed by
    newlines, so a query can match a whole name (`%\\nibm\\n%`) or a part of one. Each name is there
    folded and also in resolution's normalised form ("acme inc" for "The Acme, Inc."), which is how
    the link step looks up the entities an extraction may name."""
    names = (name, *aliases)
    terms = dict.fromkeys([search_term(term) for term in names] + [normalise_name(term) for term in names])
    return "\n" + "\n".join(term for term in terms if term) + "\n"
