"""The offline extractor: hand-written rules and a small gazetteer, deterministic, no model.

It is what the embedded profile and the tests use when no language model is configured, and it is no
more than this (the same text always gives the same facts):

1. Each chunk is cut into sentences (at . ! ? followed by space, except after titles and
   abbreviations such as "Dr." or "Inc.", and at blank lines).
2. In each sentence, runs of capitalised words are candidate names; a lower-case particle ("da", "van")
   may sit inside one, and "of" may when the run holds a word such as University or Bank ("University
   of Leeds"). Leading words that are not names (The, In, Monday...) are dropped, and a lone
   capitalised word that opens a sentence is ignored unless the gazetteer knows it or rule 4 does.
3. A name gets a type and a confidence from the first rule that fits: a phrase in the gazetteer
   (places, organisations, programming languages and tools: 0.85); after a title such as Dr. or
   Prof. or a role such as Founder or Coach (dropped from the name) → person (0.75); ending in an
   organisation suffix such as Inc, Ltd, GmbH, University → organisation (0.75); holding a known
   organisation → organisation (0.6); starting with a common given name → person (0.65, a lone
   given name 0.4); any other run of two or more words → other (0.45); a lone capitalised word
   inside a sentence → other (0.3).
4. Within the chunks given, a lone word that is the surname of a person named in full, or the first
   word of an organisation named in full, is taken as that entity (and becomes an alias), as is an
   acronym given in brackets after a name ("World Health Organization (WHO)").
5. Every two entities named in one sentence are `related_to` each other, at confidence 0.2, with the
   sentence as evidence. No other relationship type is ever produced.

Evidence spans are exact character offsets in the chunk's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from uuid import UUID

from agentry.adapters.extraction.gazetteer import (
    GIVEN_NAMES,
    NAME_PARTICLES,
    NOT_NAMES,
    OF_HEADS,
    ORGANIZATION,
    ORGANIZATION_SUFFIXES,
    ORGANIZATIONS,
    OTHER,
    PERSON,
    PLACE,
    PLACES,
    ROLES,
    TECHNOLOGIES,
    TECHNOLOGY,
    TITLES,
)
from agentry.application.knowledge.ports.extraction import ChunkText
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction

NAME = "offline-rules"
RELATED_TO = "related_to"
CO_OCCURRENCE_CONFIDENCE = 0.2
_GAZETTEER = (
    (PLACES, PLACE),
    (TECHNOLOGIES, TECHNOLOGY),
    (ORGANIZATIONS, ORGANIZATION),
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*(?:\+\+|#)?")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]”’]*\s+|\n\s*\n")
# A full stop after one of these ends no sentence; after one of the second set, only when a capital follows.
_NEVER_ENDS = TITLES | {"st", "e.g", "i.e", "vs", "no"}
_MAY_END = frozenset({"inc", "ltd", "corp", "co", "etc", "jr", "sr"})
LONE_OPENER = -1.0  # the confidence of a lone capitalised word opening a sentence: kept only if resolved
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z0-9&]{1,7})\)")


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True, slots=True)
class _Mention:
    chunk_id: UUID
    sentence: int  # a document-wide ordinal
    start: int
    end: int
    name: str
    type: str
    confidence: float


@dataclass
class _Entity:
    name: str
    type: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


class OfflineRuleExtractor:
    """Rules and a gazetteer (see the module's docstring); never a model."""

    name = NAME

    async def extract(self, chunks: Sequence[ChunkText]) -> Extraction:
        return extract_facts(chunks)


def extract_facts(chunks: Sequence[ChunkText]) -> Extraction:
    mentions: list[_Mention] = []
    sentences: list[tuple[UUID, int, int]] = []
    acronyms: dict[str, str] = {}
    for chunk in chunks:
        for start, end in _sentences(chunk.text):
            ordinal = len(sentences)
            sentences.append((chunk.id, start, end))
            mentions += _names_in(chunk, ordinal, start, end, acronyms)
    entities, entity_of = _resolve(mentions, acronyms)
    names = {key: entity.name for key, entity in entities.items()}
    return Extraction(
        tuple(_freeze(entity) for entity in entities.values()), _co_occurrences(sentences, entity_of, names)
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        before = text[start : end.start()].split()
        word = before[-1].lower().rstrip(".") if before else ""
        follows = text[end.end() : end.end() + 1]
        if "\n\n" not in end.group() and (
            word in _NEVER_ENDS or (word in _MAY_END and not follows.isupper()) or follows.islower()
        ):
            continue
        spans.append((start, end.start() + len(end.group().rstrip())))
        start = end.end()
    spans.append((start, len(text.rstrip())))
    return [(begin, finish) for begin, finish in spans if text[begin:finish].strip()]


def _names_in(chunk: ChunkText, sentence: int, start: int, end: int, acronyms: dict[str, str]) -> list[_Mention]:
    text = chunk.text
    tokens = [_Token(start + m.start(), start + m.end(), m.group()) for m in _TOKEN.finditer(text[start:end])]
    found, at = [], 0
    while at < len(tokens):
        run = _run_from(tokens, at, text)
        if not run:
            at += 1
            continue
        at += len(run)
        named = _named(run, opens_sentence=run[0] is tokens[0])
        if named is None:
            continue
        words, type_, confidence = named
        name = text[words[0].start : words[-1].end]
        found.append(_Mention(chunk.id, sentence, words[0].start, words[-1].end, name, type_, confidence))
        acronym = _ACRONYM.match(text, words[-1].end)
        if acronym:
            acronyms[acronym.group(1).lower()] = name
            while at < len(tokens) and tokens[at].end <= acronym.end():
                at += 1
    return found


def _capitalised(token: _Token) -> bool:
    return token.text[0].isupper() or (token.lower in TECHNOLOGIES and not token.text.islower())


def _run_from(tokens: list[_Token], at: int, text: str) -> list[_Token]:
    """The run of capitalised words (with the particles and "of" a name may hold) from `at`."""
    if not _capitalised(tokens[at]):
        return []
    run = [tokens[at]]
    index = at + 1
    while index < len(tokens):
        token, previous = tokens[index], run[-1]
        gap = text[previous.end : token.start]
        joined_by_title = previous.lower in TITLES and gap in (". ", " ", ".\u00a0")
        if gap not in (" ", "\u00a0") and not joined_by_title:
            break
        joins = token.lower in NAME_PARTICLES or (token.lower == "of" and any(t.lower in OF_HEADS for t in run))
        if _capitalised(token) or (joins and index + 1 < len(tokens) and _capitalised(tokens[index + 1])):
            run.append(token)
        else:
            break
        index += 1
    return run


def _kind(phrase: str) -> str | None:
    return next((kind for words, kind in _GAZETTEER if phrase in words), None)


def _named(run: list[_Token], *, opens_sentence: bool) -> tuple[list[_Token], str, float] | None:
    """The words of the name in the run, its type and the rule's confidence; None: not a name."""
    whole = _kind(" ".join(token.lower for token in run))
    if whole is not None:
        return run, whole, 0.85
    titled = False
    while run and (run[0].lower in NOT_NAMES or run[0].lower in TITLES or run[0].lower in ROLES):
        titled = titled or run[0].lower in TITLES or run[0].lower in ROLES
        run, opens_sentence = run[1:], False
    while run and run[-1].lower in NAME_PARTICLES | {"of"}:
        run = run[:-1]
    if not run:
        return None
    lowered = [token.lower for token in run]
    known = _kind(" ".join(lowered))
    if known is not None:
        return run, known, 0.85
    if titled:
        return run, PERSON, 0.75
    if len(run) > 1 and (lowered[-1] in ORGANIZATION_SUFFIXES or lowered[0] in OF_HEADS):
        return run, ORGANIZATION, 0.75
    if any(word in ORGANIZATIONS for word in lowered):
        return run, ORGANIZATION, 0.6
    if lowered[0] in GIVEN_NAMES:
        return run, PERSON, 0.65 if len(run) > 1 else 0.4
    if len(run) > 1:
        return run, OTHER, 0.45
    if len(run[0].text) < 2:
        return None
    return run, OTHER, LONE_OPENER if opens_sentence else 0.3


def _resolve(mentions: list[_Mention], acronyms: dict[str, str]) -> tuple[dict[str, _Entity], list[tuple[int, str]]]:
    """One entity per name (a lone surname, first word or acronym joined to the full name's entity), and
    which entity each sentence names."""
    entities: dict[str, _Entity] = {}
    full_names = [mention for mention in mentions if " " in mention.name]
    entity_of: list[tuple[int, str]] = []
    for mention in mentions:
        key, alias = mention.name.lower(), None
        if " " not in mention.name and mention.type in (OTHER, PERSON):
            owner = _owner_of(mention.name, full_names, acronyms)
            if owner is not None:
                key, alias = owner.name.lower(), mention.name
                entities.setdefault(key, _Entity(owner.name, owner.type, owner.confidence))
            elif mention.confidence == LONE_OPENER:
                continue
        entity = entities.setdefault(key, _Entity(mention.name, mention.type, mention.confidence))
        if mention.confidence > entity.confidence:
            entity.type, entity.confidence = mention.type, mention.confidence
        entity.evidence.append(Evidence(mention.chunk_id, mention.start, mention.end))
        if alias is not None and alias not in entity.aliases:
            entity.aliases.append(alias)
        entity_of.append((mention.sentence, key))
    return entities, entity_of


def _owner_of(word: str, full_names: list[_Mention], acronyms: dict[str, str]) -> _Mention | None:
    lowered = word.lower()
    if lowered in acronyms:
        spelled = acronyms[lowered].lower()
        return next((mention for mention in full_names if mention.name.lower() == spelled), None)
    for mention in full_names:
        words = mention.name.lower().split()
        if (mention.type == PERSON and words[-1] == lowered) or (mention.type == ORGANIZATION and words[0] == lowered):
            return mention
    return None


def _co_occurrences(
    sentences: list[tuple[UUID, int, int]], entity_of: list[tuple[int, str]], names: dict[str, str]
) -> tuple[ExtractedRelationship, ...]:
    named: dict[int, list[str]] = {}
    for sentence, key in entity_of:
        keys = named.setdefault(sentence, [])
        if key not in keys:
            keys.append(key)
    pairs: dict[tuple[str, str], list[Evidence]] = {}
    for sentence, keys in named.items():
        chunk_id, start, end = sentences[sentence]
        for pair in combinations(keys, 2):
            pairs.setdefault(pair, []).append(Evidence(chunk_id, start, end))
    return tuple(
        ExtractedRelationship(names[source], names[target], RELATED_TO, CO_OCCURRENCE_CONFIDENCE, tuple(evidence))
        for (source, target), evidence in pairs.items()
    )


def _freeze(entity: _Entity) -> ExtractedEntity:
    return ExtractedEntity(entity.name, entity.type, entity.confidence, tuple(entity.evidence), tuple(entity.aliases))
