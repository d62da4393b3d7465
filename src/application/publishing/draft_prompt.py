"""The prompt of a drafting task: the facts of a subgraph of the knowledge graph, each with the numbers of
its sources, and the sources, numbered from 1: the document's title, the chunk and the quoted span.

A source is a mention of a fact (a chunk and a character span); a mention shared by several facts is one
source. Each fact lists at most MENTIONS_PER_FACT sources; a mention whose chunk no longer exists, or
whose span does not lie in the chunk's text, is no source. Facts come in the subgraph's order (the
subject first), entities then relationships, until the prompt's budget is spent; the prompt then says
how many facts were left out. A quote is shown up to QUOTE_SHOWN characters (the citation keeps up to
citations.QUOTE_MAX).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from agentry.application.publishing.ports import SourceChunk
from agentry.domain.knowledge.entity import Entity
from agentry.domain.knowledge.relationship import Relationship
from agentry.domain.knowledge.values import Mention
from agentry.domain.publishing.citations import QUOTE_MAX, Citation

MENTIONS_PER_FACT = 3
SOURCES_MAX = 200
QUOTE_SHOWN = 300
PROMPT_BUDGET = 90_000  # characters; a task's prompt may hold 100 000


@dataclass(frozen=True, slots=True)
class DraftPrompt:
    text: str
    sources: tuple[Citation, ...]


def mentions_used(entities: Sequence[Entity], relationships: Sequence[Relationship]) -> set[tuple[UUID, UUID]]:
    """The (document id, chunk id) of every mention a prompt of these facts may cite: the chunks to read."""
    facts: list[Entity | Relationship] = [*entities, *relationships]
    return {(m.document_id, m.chunk_id) for fact in facts for m in fact.sources[:MENTIONS_PER_FACT]}


def draft_prompt(
    subject: Entity,
    title: str,
    entities: Sequence[Entity],
    relationships: Sequence[Relationship],
    chunks: Mapping[UUID, SourceChunk],
) -> DraftPrompt:
    numbered: dict[Mention, Citation] = {}
    source_lines: list[str] = []
    names = {entity.id: entity.name for entity in entities}

    def cite(mentions: Sequence[Mention]) -> list[int]:
        numbers = []
        for mention in mentions[:MENTIONS_PER_FACT]:
            if mention not in numbered:
                chunk = chunks.get(mention.chunk_id)
                if chunk is None or not mention.end <= len(chunk.text) or len(numbered) >= SOURCES_MAX:
                    continue
                quote = chunk.text[mention.start : mention.end]
                number = len(numbered) + 1
                numbered[mention] = Citation(
                    number,
                    mention.document_id,
                    mention.chunk_id,
                    mention.start,
                    mention.end,
                    quote[:QUOTE_MAX],
                    chunk.document_title,
                )
                shown = quote if len(quote) <= QUOTE_SHOWN else quote[: QUOTE_SHOWN - 1] + "…"
                source_lines.append(
                    f'[{number}] "{chunk.document_title}", chunk {chunk.ordinal + 1}, '
                    f"characters {mention.start}-{mention.end}: {_quoted(shown)}"
                )
            numbers.append(numbered[mention].number)
        return numbers

    ordered = [subject, *(e for e in entities if e.id != subject.id)]
    facts = [(_entity_fact(e), e.sources) for e in ordered]
    facts += [(_relationship_fact(r, names), r.sources) for r in relationships]
    fact_lines: list[str] = []
    shown_sources = 0
    spent = len(_INSTRUCTIONS) + len(title) + len(subject.name) + 100
    for text, mentions in facts:
        before = len(source_lines)
        line = f"{len(fact_lines) + 1}. {text}{_sources_of(cite(mentions))}"
        spent += len(line) + 1 + sum(len(added) + 1 for added in source_lines[before:])
        if spent > PROMPT_BUDGET:  # this fact's new sources, numbered last, are dropped with it
            break
        fact_lines.append(line)
        shown_sources = len(source_lines)
    left_out = len(facts) - len(fact_lines)
    parts = [
        _INSTRUCTIONS.format(title=title, subject=subject.name),
        "Facts:",
        *fact_lines,
        *([f"({left_out} more facts left out for length.)"] if left_out else []),
        "",
        "Sources:",
        *source_lines[:shown_sources],
    ]
    return DraftPrompt("\n".join(parts) + "\n", tuple(numbered.values())[:shown_sources])


_INSTRUCTIONS = (
    'Write a publication titled "{title}": summarise, in Markdown, what the facts below say about {subject}.\n'
    "Use only these facts. After each statement, cite the sources it rests on by their numbers in square "
    "brackets, like [1] or [2, 3]; cite only numbers listed under Sources. Reply with the Markdown body "
    "only, without the title.\n"
)


def _entity_fact(entity: Entity) -> str:
    text = f"{entity.name} is a {entity.type}"
    aliases = [a for a in entity.aliases if a != entity.name]
    if aliases:
        text += ", also called " + ", ".join(aliases)
    if entity.description:
        text += f": {' '.join(entity.description.split())}"
    return text + "."


def _relationship_fact(relationship: Relationship, names: Mapping[UUID, str]) -> str:
    source = names.get(relationship.source_id, "an entity")
    target = names.get(relationship.target_id, "an entity")
    return f"{source} {relationship.type} {target} (confidence {relationship.confidence:.2f})."


def _sources_of(numbers: list[int]) -> str:
    return " Sources: " + ", ".join(f"[{n}]" for n in numbers) if numbers else " (no source)"


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "'") + '"'
