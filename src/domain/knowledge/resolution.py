"""Telling whether a mention names an entity already known: name normalisation and matching.

Two normalisations. `fold` is the light one used to compare a quote with a name inside one extraction:
NFKC, casefold, runs of whitespace made one space. `normalise_name` is the one resolution compares
names with across documents: `fold`, then a possessive `'s` dropped, punctuation made space (so "Acme,
Inc." and "acme inc" agree), and one leading article (the, a, an) dropped. Plurals are left alone on
purpose: most entity names are proper nouns, and "Jenkins", "Paris" or "Reuters" are not plurals of
anything; stripping an `s` would merge "Jenkin" with "Jenkins".

A mention matches a candidate entity by its normalised name (score 1.0), by an alias of either side
(0.95), or, failing both, by the cosine similarity of their embedding vectors when it reaches the
threshold (the score is the similarity). Vectors are passed in: this module computes no embedding. A
candidate found through a vector index comes with its `similarity` to the mention already measured
(the index's cosine), which then stands for the two vectors.
A candidate of another type is not a match (Paris the person is not Paris the city), unless one of the
two types is unknown (empty). Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

NAME_SCORE = 1.0
ALIAS_SCORE = 0.95
# The lowest that merged none of bench/entity_resolution.py's pairs of different things with the local
# model (all-MiniLM-L6-v2 on bare names; the highest such pair, "New York" ~ "York", is 0.936).
DEFAULT_SIMILARITY_THRESHOLD = 0.94
_POSSESSIVE = re.compile(r"['’]s\b")
_NOT_WORD = re.compile(r"[^\w]+|_+")
_ARTICLES = ("the ", "a ", "an ")


def fold(text: str) -> str:
    """NFKC, casefolded, whitespace runs made one space, no leading or trailing space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def normalise_name(name: str) -> str:
    """The form names are compared in across documents: "The Acme, Inc.'s" and "acme inc" agree."""
    folded = _POSSESSIVE.sub("", fold(name))
    words = " ".join(_NOT_WORD.sub(" ", folded).split())
    for article in _ARTICLES:
        if words.startswith(article) and len(words) > len(article):
            return words[len(article) :]
    return words


def cosine(left: Sequence[float], right: Sequence[float]) -> float:
    """The cosine similarity of two vectors of one length; 0.0 when either is all zeros."""
    if len(left) != len(right):
        raise ValueError(f"vectors of different lengths: {len(left)} and {len(right)}")
    dot = sum(a * b for a, b in zip(left, right, strict=True))
    norms = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return 0.0 if norms == 0.0 else max(-1.0, min(1.0, dot / norms))


class MatchedBy(StrEnum):
    NAME = "name"
    ALIAS = "alias"
    EMBEDDING = "embedding"


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    type: str = ""
    aliases: tuple[str, ...] = ()
    vector: Sequence[float] | None = None


@dataclass(frozen=True, slots=True)
class KnownEntity:
    id: UUID
    name: str
    type: str = ""
    aliases: tuple[str, ...] = ()
    vector: Sequence[float] | None = None
    similarity: float | None = None  # to the mention, measured by the caller (a vector index's cosine)


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: UUID
    score: float
    by: MatchedBy


def _similarity(mention: Mention, candidate: KnownEntity) -> float | None:
    if candidate.similarity is not None:
        return candidate.similarity
    if mention.vector is not None and candidate.vector is not None:
        return cosine(mention.vector, candidate.vector)
    return None


def match_mention(
    mention: Mention,
    candidates: Iterable[KnownEntity],
    *,
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
) -> list[Match]:
    """The candidates the mention may stand for, best first (ties keep the candidates' order)."""
    names = {normalise_name(mention.name)} - {""}
    all_names = names | {normalise_name(alias) for alias in mention.aliases} - {""}
    matches = []
    for candidate in candidates:
        if mention.type and candidate.type and fold(mention.type) != fold(candidate.type):
            continue
        own = normalise_name(candidate.name)
        theirs = {own} | {normalise_name(alias) for alias in candidate.aliases} - {""}
        if own in names:
            matches.append(Match(candidate.id, NAME_SCORE, MatchedBy.NAME))
        elif all_names & theirs:
            matches.append(Match(candidate.id, ALIAS_SCORE, MatchedBy.ALIAS))
        elif (similarity := _similarity(mention, candidate)) is not None and similarity >= similarity_threshold:
            matches.append(Match(candidate.id, similarity, MatchedBy.EMBEDDING))
    return sorted(matches, key=lambda match: -match.score)
