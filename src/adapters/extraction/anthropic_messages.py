"""Fact extraction through the Anthropic Messages API, with a structured-output prompt.

One request per call: the chunks go out numbered in one user message, with one tool declared,
`record_facts`, whose input_schema is the form to fill (entities and relationships, each with a
confidence and evidence quotes per chunk index), and `tool_choice` forcing the model to call it. The
tool is never run: its input is the answer. That input is validated (a reply without the call, cut
at max_tokens, or not matching the schema is an ExtractionFailed); each quote is then looked up in
its chunk's text (exactly, else ignoring case and runs of whitespace; a quote given twice takes the
next occurrence) to make a character span. A quote that is not in its chunk, or that names a chunk
that was not sent, gives no span; the caller's evidence check drops the facts left without any.

Retrying belongs to the application: the SDK's retries are off, and a failure says whether another
attempt may succeed (rate limits, overload, server errors, time-outs and broken connections may, as
the Anthropic runner judges them; a malformed reply may, since the next one may be well formed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from anthropic import APIConnectionError, APIStatusError, APITimeoutError, AsyncAnthropic
from anthropic import types as api

from agentry.adapters.runners.api_status import failure_of_status
from agentry.application.knowledge.ports.extraction import ChunkText, ExtractionFailed
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction

TOOL_NAME = "record_facts"
ENTITY_TYPES = ("person", "organization", "place", "technology", "other")
SYSTEM_PROMPT = (
    "You read the numbered chunks of one document and record the entities it names and the "
    f"relationships it states between them, by calling {TOOL_NAME} once. Record only what the text "
    "says. For every fact give your confidence (0 to 1) and its evidence: the chunk's index and a quote "
    "copied exactly from that chunk. For an entity, each quote is one mention of it by name, exactly as "
    "written (its name or a short form, and list every short form you quote among its aliases; a pronoun is "
    "no evidence); for a relationship, the quote is the sentence that states it. "
    "Relationships name their ends by the names you gave the entities. Entity types: "
    f"{', '.join(ENTITY_TYPES)}. Relationship types: short snake_case verbs such as works_for, "
    "located_in, founded, uses."
)
_CONFIDENCE = {"type": "number", "minimum": 0, "maximum": 1}
_EVIDENCE = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "chunk": {"type": "integer", "minimum": 0, "description": "the chunk's index"},
            "quote": {"type": "string", "minLength": 1, "description": "copied exactly from that chunk"},
        },
        "required": ["chunk", "quote"],
    },
}
INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "entities": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "type": {"type": "string", "enum": list(ENTITY_TYPES)},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                    "description": {"type": "string"},
                    "confidence": _CONFIDENCE,
                    "evidence": _EVIDENCE,
                },
                "required": ["name", "type", "confidence", "evidence"],
            },
        },
        "relationships": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "source": {"type": "string", "minLength": 1},
                    "target": {"type": "string", "minLength": 1},
                    "type": {"type": "string", "minLength": 1},
                    "confidence": _CONFIDENCE,
                    "evidence": _EVIDENCE,
                },
                "required": ["source", "target", "type", "confidence", "evidence"],
            },
        },
    },
    "required": ["entities", "relationships"],
}
TOOL: api.ToolParam = {
    "name": TOOL_NAME,
    "description": "Record the entities and relationships the chunks state, with confidence and evidence.",
    "input_schema": INPUT_SCHEMA,
}
FORCED: api.ToolChoiceToolParam = {"type": "tool", "name": TOOL_NAME}

Text = Annotated[str, msgspec.Meta(min_length=1)]
Confidence = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]


class _Quote(msgspec.Struct, frozen=True):
    chunk: int
    quote: str


class _Entity(msgspec.Struct, frozen=True):
    name: Text
    type: Text
    confidence: Confidence
    evidence: list[_Quote]
    aliases: list[str] = []
    description: str = ""


class _Relationship(msgspec.Struct, frozen=True):
    source: Text
    target: Text
    type: Text
    confidence: Confidence
    evidence: list[_Quote]


class _Facts(msgspec.Struct, frozen=True):
    entities: list[_Entity]
    relationships: list[_Relationship] = []


class AnthropicFactExtractor:
    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        max_tokens: int = 8_192,
        timeout_s: float = 120.0,
    ) -> None:
        self.name = f"anthropic:{model}"
        self._api_key = api_key
        self._base_url = base_url
        self._model = model
        self._max_tokens = max_tokens
        self._timeout_s = timeout_s

    async def extract(self, chunks: Sequence[ChunkText]) -> Extraction:
        if not chunks:
            return Extraction()
        message = await self._ask(chunks)
        return _facts_of(_tool_input(message), chunks)

    async def _ask(self, chunks: Sequence[ChunkText]) -> api.Message:
        try:
            # A client per call: its connections belong to the event loop of the call that opened them.
            async with AsyncAnthropic(
                api_key=self._api_key, base_url=self._base_url, max_retries=0, timeout=self._timeout_s
            ) as client:
                return await client.messages.create(
                    model=self._model,
                    max_tokens=self._max_tokens,
                    system=SYSTEM_PROMPT,
                    tools=[TOOL],
                    tool_choice=FORCED,
                    messages=[{"role": "user", "content": _prompt(chunks)}],
                )
        except APIStatusError as error:
            code, retryable = failure_of_status(error.status_code)
            detail = error.api_message or error.message
            raise ExtractionFailed(
                code, f"the Anthropic API answered HTTP {error.status_code}: {detail}", retryable=retryable
            ) from None
        except APITimeoutError:
            raise ExtractionFailed("timeout", "the Anthropic API did not answer in time", retryable=True) from None
        except APIConnectionError as error:
            cause = error.__cause__ or error
            raise ExtractionFailed(
                "connection_error",
                f"the connection to the Anthropic API failed: {type(cause).__name__}: {cause}",
                retryable=True,
            ) from None


def _prompt(chunks: Sequence[ChunkText]) -> str:
    numbered = "\n\n".join(f'<chunk index="{index}">\n{chunk.text}\n</chunk>' for index, chunk in enumerate(chunks))
    return f"Record the facts these {len(chunks)} chunks of one document state.\n\n{numbered}"


def _tool_input(message: api.Message) -> object:
    if message.stop_reason == "max_tokens":
        raise ExtractionFailed(
            "max_tokens",
            "the reply reached max_tokens before the facts were complete; send fewer chunks at a time",
            retryable=False,
        )
    if message.stop_reason == "refusal":
        raise ExtractionFailed("refused", "the model declined to read these chunks", retryable=False)
    calls = [block for block in message.content if isinstance(block, api.ToolUseBlock) and block.name == TOOL_NAME]
    if len(calls) != 1:
        raise ExtractionFailed(
            "malformed_reply",
            f"the reply made {len(calls)} {TOOL_NAME} calls instead of one (stop_reason {message.stop_reason})",
            retryable=True,
        )
    return calls[0].input


def _facts_of(tool_input: object, chunks: Sequence[ChunkText]) -> Extraction:
    try:
        facts = msgspec.convert(tool_input, _Facts)
    except msgspec.ValidationError as error:
        raise ExtractionFailed(
            "malformed_reply", f"the {TOOL_NAME} input does not match its schema: {error}", retryable=True
        ) from None
    return Extraction(
        tuple(
            ExtractedEntity(
                name=entity.name,
                type=entity.type,
                confidence=entity.confidence,
                evidence=_spans(entity.evidence, chunks),
                aliases=tuple(entity.aliases),
                description=entity.description,
            )
            for entity in facts.entities
        ),
        tuple(
            ExtractedRelationship(
                source=relation.source,
                target=relation.target,
                type=relation.type,
                confidence=relation.confidence,
                evidence=_spans(relation.evidence, chunks),
            )
            for relation in facts.relationships
        ),
    )


def _spans(quotes: list[_Quote], chunks: Sequence[ChunkText]) -> tuple[Evidence, ...]:
    """Where each quote lies in its chunk; a quote not found there gives no span."""
    spans: list[Evidence] = []
    for quote in quotes:
        if not 0 <= quote.chunk < len(chunks) or not quote.quote.strip():
            continue
        chunk = chunks[quote.chunk]
        taken = {(span.start, span.end) for span in spans if span.chunk_id == chunk.id}
        found = next((where for where in _occurrences(chunk.text, quote.quote) if where not in taken), None)
        found = found or next(iter(_occurrences(chunk.text, quote.quote)), None)
        if found is not None:
            spans.append(Evidence(chunk.id, *found))
    return tuple(dict.fromkeys(spans))


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    exact = [(match.start(), match.end()) for match in re.finditer(re.escape(quote), text)]
    if exact:
        return exact
    loose = r"\s+".join(re.escape(word) for word in quote.split())
    return [(match.start(), match.end()) for match in re.finditer(loose, text, re.IGNORECASE)]
