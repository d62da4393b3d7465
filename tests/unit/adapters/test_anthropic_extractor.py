"""The Anthropic extractor against the Messages API double: a forced structured-output call, the reply
validated, quotes located in the chunks; what survives the evidence check is the scripted reply minus
the facts whose evidence is not in the text."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from agentry.adapters.extraction.anthropic_messages import TOOL_NAME, AnthropicFactExtractor
from agentry.application.knowledge.ports.extraction import ChunkText, ExtractionFailed
from agentry.domain.knowledge.evidence import check_evidence
from agentry.domain.knowledge.facts import Evidence, ExtractedEntity, ExtractedRelationship, Extraction
from tests.doubles.messages_api import RATE_LIMITED, Failure, MessagesApiDouble, Reply, Text, ToolUse

MODEL = "claude-haiku-4-5"
CHUNKS = (
    ChunkText(UUID(int=1), "Ada Lovelace worked with Charles Babbage in London."),
    ChunkText(UUID(int=2), "Lovelace wrote the first   program. Babbage   built the engine."),
)
TEXTS = {chunk.id: chunk.text for chunk in CHUNKS}


def quote(chunk: int, text: str) -> dict[str, Any]:
    return {"chunk": chunk, "quote": text}


SCRIPTED = {
    "entities": [
        {
            "name": "Ada Lovelace",
            "type": "person",
            "aliases": ["Lovelace"],
            "description": "mathematician",
            "confidence": 0.9,
            "evidence": [quote(0, "Ada Lovelace"), quote(1, "Lovelace")],
        },
        {  # one quote loosely spaced and cased, one in a chunk that was never sent
            "name": "Charles Babbage",
            "type": "person",
            "aliases": ["Babbage"],
            "confidence": 0.8,
            "evidence": [quote(0, "charles babbage"), quote(1, "Babbage built"), quote(7, "Babbage")],
        },
        {"name": "London", "type": "place", "confidence": 0.7, "evidence": [quote(0, "London")]},
        {"name": "Paris", "type": "place", "confidence": 0.6, "evidence": [quote(0, "Paris")]},  # not there
    ],
    "relationships": [
        {
            "source": "Ada Lovelace",
            "target": "Charles Babbage",
            "type": "worked_with",
            "confidence": 0.85,
            "evidence": [quote(0, "Ada Lovelace worked with Charles Babbage in London.")],
        },
        {  # its end was dropped
            "source": "Ada Lovelace",
            "target": "Paris",
            "type": "visited",
            "confidence": 0.5,
            "evidence": [quote(0, "Ada Lovelace worked")],
        },
        {  # its evidence is not in the text
            "source": "Charles Babbage",
            "target": "London",
            "type": "born_in",
            "confidence": 0.5,
            "evidence": [quote(0, "Babbage was born in London")],
        },
    ],
}


def extractor(api: MessagesApiDouble) -> AnthropicFactExtractor:
    return AnthropicFactExtractor(api_key="test-key", model=MODEL, base_url=api.base_url, max_tokens=2000)


def at(chunk: int, text: str, start_from: int = 0) -> Evidence:
    start = CHUNKS[chunk].text.index(text, start_from)
    return Evidence(CHUNKS[chunk].id, start, start + len(text))


async def test_the_checked_result_is_the_scripted_reply_minus_facts_whose_evidence_is_not_in_the_text(
    messages_api: MessagesApiDouble,
) -> None:
    messages_api.enqueue(Reply(ToolUse(TOOL_NAME, SCRIPTED)))
    extracted = await extractor(messages_api).extract(CHUNKS)
    assert check_evidence(extracted, TEXTS) == Extraction(
        (
            ExtractedEntity(
                "Ada Lovelace",
                "person",
                0.9,
                (at(0, "Ada Lovelace"), at(1, "Lovelace")),
                ("Lovelace",),
                "mathematician",
            ),
            ExtractedEntity(
                "Charles Babbage",
                "person",
                0.8,
                (at(0, "Charles Babbage"), at(1, "Babbage   built")),
                ("Babbage",),
            ),
            ExtractedEntity("London", "place", 0.7, (at(0, "London"),)),
        ),
        (ExtractedRelationship("Ada Lovelace", "Charles Babbage", "worked_with", 0.85, (at(0, CHUNKS[0].text),)),),
    )


async def test_the_request_forces_the_one_tool_whose_schema_is_the_form_and_numbers_the_chunks(
    messages_api: MessagesApiDouble,
) -> None:
    messages_api.enqueue(Reply(ToolUse(TOOL_NAME, {"entities": [], "relationships": []})))
    extraction = await extractor(messages_api).extract(CHUNKS)
    assert extraction == Extraction()
    [request] = messages_api.message_requests
    body = request.body
    assert "test-key" in (request.headers.get("x-api-key", ""), request.headers.get("authorization", "")[7:])
    assert (body["model"], body["max_tokens"]) == (MODEL, 2000)
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    [tool] = body["tools"]
    assert tool["name"] == TOOL_NAME
    assert tool["input_schema"]["required"] == ["entities", "relationships"]
    entity_schema = tool["input_schema"]["properties"]["entities"]["items"]
    assert {"confidence", "evidence"} <= set(entity_schema["required"])
    [message] = body["messages"]
    assert '<chunk index="0">\n' + CHUNKS[0].text in message["content"]
    assert '<chunk index="1">\n' + CHUNKS[1].text in message["content"]
    assert extractor(messages_api).name == f"anthropic:{MODEL}"


async def test_a_quote_given_twice_takes_the_next_occurrence(messages_api: MessagesApiDouble) -> None:
    chunk = ChunkText(UUID(int=9), "Rust here, Rust there.")
    facts = {
        "entities": [
            {"name": "Rust", "type": "technology", "confidence": 0.9, "evidence": [quote(0, "Rust"), quote(0, "Rust")]}
        ],
        "relationships": [],
    }
    messages_api.enqueue(Reply(ToolUse(TOOL_NAME, facts)))
    [rust] = (await extractor(messages_api).extract([chunk])).entities
    assert rust.evidence == (Evidence(chunk.id, 0, 4), Evidence(chunk.id, 11, 15))


@pytest.mark.parametrize(
    "reply",
    [
        Reply(Text("I found Ada Lovelace.")),  # no call
        Reply(ToolUse(TOOL_NAME, {"entities": [{"name": "Ada", "type": "person", "confidence": 1.5, "evidence": []}]})),
        Reply(ToolUse(TOOL_NAME, {"entities": [{"name": "Ada", "type": "person"}], "relationships": []})),
        Reply(ToolUse(TOOL_NAME, {"facts": []})),
        Reply(ToolUse("other_tool", {"entities": [], "relationships": []})),
    ],
    ids=["text-only", "confidence-out-of-range", "missing-fields", "wrong-shape", "wrong-tool"],
)
async def test_a_malformed_reply_is_a_failure_worth_retrying(messages_api: MessagesApiDouble, reply: Reply) -> None:
    messages_api.enqueue(reply)
    with pytest.raises(ExtractionFailed) as failed:
        await extractor(messages_api).extract(CHUNKS)
    assert (failed.value.code, failed.value.retryable) == ("malformed_reply", True)


@pytest.mark.parametrize(
    ("turn", "code", "retryable"),
    [
        (RATE_LIMITED, "rate_limited", True),
        (Failure(500, "api_error", "boom"), "server_error", True),
        (Failure(401, "authentication_error", "invalid x-api-key"), "authentication_failed", False),
        (Reply(ToolUse(TOOL_NAME, {"entities": []}), stop_reason="max_tokens"), "max_tokens", False),
    ],
)
async def test_api_failures_say_whether_another_attempt_may_succeed(
    messages_api: MessagesApiDouble, turn: Reply | Failure, code: str, retryable: bool
) -> None:
    messages_api.enqueue(turn)
    with pytest.raises(ExtractionFailed) as failed:
        await extractor(messages_api).extract(CHUNKS)
    assert (failed.value.code, failed.value.retryable) == (code, retryable)
    assert "test-key" not in str(failed.value)


async def test_no_chunks_ask_nothing(messages_api: MessagesApiDouble) -> None:
    assert await extractor(messages_api).extract([]) == Extraction()
    assert messages_api.message_requests == []


async def test_an_unreachable_api_is_a_failure_worth_retrying() -> None:
    unreachable = AnthropicFactExtractor(api_key="k", model=MODEL, base_url="http://127.0.0.1:9", timeout_s=5)
    with pytest.raises(ExtractionFailed) as failed:
        await unreachable.extract(CHUNKS)
    assert (failed.value.code, failed.value.retryable) == ("connection_error", True)
