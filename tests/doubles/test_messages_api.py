"""The Messages API double speaks the protocol as the `anthropic` SDK reads it, and follows its script."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from anthropic import AsyncAnthropic, RateLimitError

from tests.doubles.messages_api import RATE_LIMITED, MessagesApiDouble, Reply, Text, ToolUse

ASKING = [{"role": "user", "content": "Fix the flaky test"}]
TOOL_INPUT = {"file_path": "tests/test_login.py", "limit": 40}
TOOL_REPLY = Reply(
    Text("Reading ", "the test."),
    ToolUse("Read", TOOL_INPUT),
    input_tokens=120,
    output_tokens=35,
    cache_read_input_tokens=7,
)


@pytest.fixture
async def client(messages_api: MessagesApiDouble) -> AsyncIterator[AsyncAnthropic]:
    async with AsyncAnthropic(api_key="test-key", base_url=messages_api.base_url, max_retries=0) as sdk:
        yield sdk


async def test_a_streamed_reply_adds_up_in_the_sdk_to_the_same_message_as_a_whole_one(
    messages_api: MessagesApiDouble, client: AsyncAnthropic
) -> None:
    messages_api.enqueue(TOOL_REPLY, TOOL_REPLY)
    async with client.messages.stream(model="claude-haiku-4-5", max_tokens=100, messages=ASKING) as stream:
        streamed = await stream.get_final_message()
    whole = await client.messages.create(model="claude-haiku-4-5", max_tokens=100, messages=ASKING)
    for message in (streamed, whole):
        assert message.model == "claude-haiku-4-5" and message.stop_reason == "tool_use"
        assert [block.model_dump(exclude_none=True) for block in message.content] == [
            {"type": "text", "text": "Reading the test."},
            {"type": "tool_use", "id": "toolu_double_01", "name": "Read", "input": TOOL_INPUT},
        ]
        usage = message.usage
        assert (usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens) == (120, 35, 7)


async def test_a_beta_call_as_the_claude_cli_makes_it_is_answered_in_server_sent_events_and_recorded(
    messages_api: MessagesApiDouble,
) -> None:
    messages_api.enqueue(Reply(Text("Hi.")))
    asked = {
        "model": "claude-sonnet-4-6",
        "max_tokens": 50,
        "stream": True,
        "system": [{"type": "text", "text": "You are terse."}],
        "tools": [{"name": "Read", "description": "Read a file", "input_schema": {"type": "object"}}],
        "messages": ASKING,
    }
    async with httpx.AsyncClient(base_url=messages_api.base_url) as http:
        answer = await http.post("/v1/messages", params={"beta": "true"}, json=asked)
    assert answer.headers["content-type"].startswith("text/event-stream")
    names = [line.removeprefix("event: ") for line in answer.text.splitlines() if line.startswith("event: ")]
    assert names == [
        "message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop",
    ]  # fmt: skip
    [request] = messages_api.message_requests
    assert (request.query, request.body) == ("beta=true", asked)


async def test_routes_answer_every_time_before_the_queue_and_the_queue_answers_once_in_order(
    messages_api: MessagesApiDouble, client: AsyncAnthropic
) -> None:
    messages_api.route("flaky", Reply(Text("routed")))
    messages_api.route(lambda body: body["max_tokens"] == 1, Reply(Text("probe")))
    messages_api.enqueue(Reply(Text("first")), RATE_LIMITED)

    async def answer(prompt: str, max_tokens: int = 10) -> str:
        message = await client.messages.create(
            model="m", max_tokens=max_tokens, messages=[{"role": "user", "content": prompt}]
        )
        return "".join(block.text for block in message.content if block.type == "text")

    assert [await answer("the flaky test"), await answer("the flaky test")] == ["routed", "routed"]
    assert await answer("something else", max_tokens=1) == "probe"
    assert await answer("something else") == "first"
    with pytest.raises(RateLimitError):
        await answer("something else")
    assert await answer("something else") == "No reply was scripted for this request."


async def test_other_endpoints_get_a_harmless_answer_and_are_recorded(messages_api: MessagesApiDouble) -> None:
    async with httpx.AsyncClient(base_url=messages_api.base_url) as http:
        counted = await http.post("/v1/messages/count_tokens", json={"model": "m", "messages": ASKING})
        other = await http.get("/api/hello")
    assert counted.status_code == 200 and counted.json()["input_tokens"] > 0
    assert (other.status_code, other.json()) == (200, {})
    assert [(request.method, request.path) for request in messages_api.requests] == [
        ("POST", "/v1/messages/count_tokens"),
        ("GET", "/api/hello"),
    ]
