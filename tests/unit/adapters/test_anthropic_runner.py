"""The Anthropic API runner against the Messages API double: what it asks, and how it reads answers and failures."""

from __future__ import annotations

import asyncio
import socket
from uuid import UUID

import pytest

from agentry.adapters.runners.anthropic_api import DEFAULT_MODEL, NO_RESUME, TOOL_NOT_RUN, AnthropicRunner
from agentry.adapters.runners.anthropic_prices import DEFAULT_PRICES, ModelPrice, PriceTable, TokenCounts
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    AgentRun,
    Exchange,
    RunCompleted,
    RunFailed,
    SessionStarted,
    StderrLine,
    TextDelta,
    ToolCalled,
    ToolReturned,
    UsageReported,
)
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.usage import Usage
from tests.doubles.messages_api import (
    OVERLOADED,
    RATE_LIMITED,
    Cut,
    Drop,
    Failure,
    Garble,
    MessagesApiDouble,
    Reply,
    Stall,
    StreamError,
    Text,
    ToolUse,
)

RUN_LIMIT_S = 30.0
EXECUTION = UUID(int=2)
SONNET = ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.30)


@pytest.fixture
def runner(messages_api: MessagesApiDouble) -> AnthropicRunner:
    return AnthropicRunner(api_key="test-key", base_url=messages_api.base_url, max_tokens=1_000)


def a_run(prompt: str = "Why does the login test fail?", model: str | None = None) -> AgentRun:
    return AgentRun(UUID(int=1), EXECUTION, 1, prompt, TaskOptions(model=model))


def sonnet_cost(fresh: int, output: int, cache_write: int, cache_read: int) -> float:
    return SONNET.cost_usd(TokenCounts(fresh, output, cache_write, cache_read))


async def events_of(runner: AnthropicRunner, run: AgentRun | None = None) -> list[AgentEvent]:
    async with asyncio.timeout(RUN_LIMIT_S):
        return [event async for event in runner.run(run or a_run())]


async def test_a_text_answer_streams_its_deltas_and_ends_with_the_output_usage_and_cost(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(
        Reply(
            Text("The test waits ", "on a timer."),
            input_tokens=1_000,
            output_tokens=500,
            cache_creation_input_tokens=100,
            cache_read_input_tokens=2_000,
        )
    )
    events = await events_of(runner)
    assert [type(event) for event in events] == [
        SessionStarted, UsageReported, TextDelta, TextDelta, UsageReported, RunCompleted
    ]  # fmt: skip
    assert events[0] == SessionStarted(str(EXECUTION), DEFAULT_MODEL)
    assert [event.text for event in events if isinstance(event, TextDelta)] == ["The test waits ", "on a timer."]
    started, finished, completed = events[1], events[4], events[5]
    assert isinstance(started, UsageReported) and isinstance(finished, UsageReported)
    assert started.usage == Usage(3_100, 1, sonnet_cost(1_000, 1, 100, 2_000)), "message_start counts one output token"
    assert finished.usage == Usage(3_100, 500, sonnet_cost(1_000, 500, 100, 2_000))
    assert completed == RunCompleted("The test waits on a timer.", finished.usage, str(EXECUTION), num_turns=1)


async def test_the_request_carries_the_prompt_the_model_and_max_tokens_and_no_tools(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Done.")))
    await events_of(runner, a_run("Fix the flaky test", model="claude-haiku-4-5"))
    [request] = messages_api.requests
    assert (request.method, request.path) == ("POST", "/v1/messages")
    assert request.body == {
        "model": "claude-haiku-4-5",
        "max_tokens": 1_000,
        "messages": [{"role": "user", "content": "Fix the flaky test"}],
        "stream": True,
    }
    assert "test-key" in (request.headers.get("x-api-key", ""), request.headers.get("authorization", "")[7:])


async def test_the_cost_follows_the_model_that_answered(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Done."), model="claude-opus-4-1-20250805", input_tokens=1_000, output_tokens=0))
    completed = (await events_of(runner))[-1]
    assert isinstance(completed, RunCompleted)
    assert completed.usage.cost_usd == pytest.approx(1_000 * 15.0 / 1_000_000)


async def test_a_model_without_a_price_costs_nothing_and_says_so(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Done."), model="claude-unreleased-9", input_tokens=1_000, output_tokens=100))
    events = await events_of(runner)
    completed = events[-1]
    assert isinstance(completed, RunCompleted) and completed.usage == Usage(1_000, 100, 0.0)
    notes = [event.text for event in events if isinstance(event, StderrLine)]
    assert notes == ["no price is known for model claude-unreleased-9; its cost is counted as 0"]


async def test_an_overloaded_api_is_a_retryable_failure_and_the_next_run_succeeds(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(OVERLOADED, Reply(Text("Second time lucky.")))
    first = await events_of(runner)
    assert [type(event) for event in first] == [SessionStarted, RunFailed]
    failed = first[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable, failed.usage) == ("overloaded", True, None)
    assert "529" in failed.message and "Overloaded" in failed.message
    assert len(messages_api.requests) == 1, "the SDK must not retry on its own"
    second = await events_of(runner)
    assert isinstance(second[-1], RunCompleted) and second[-1].output == "Second time lucky."


@pytest.mark.parametrize(
    ("failure", "code", "retryable"),
    [
        (RATE_LIMITED, "rate_limited", True),
        (OVERLOADED, "overloaded", True),
        (Failure(500, "api_error", "Internal server error"), "server_error", True),
        (Failure(503, "api_error", "Unavailable"), "server_error", True),
        (Failure(400, "invalid_request_error", "max_tokens: too large"), "invalid_request", False),
        (Failure(401, "authentication_error", "invalid x-api-key"), "authentication_failed", False),
        (Failure(403, "permission_error", "not allowed"), "permission_denied", False),
        (Failure(404, "not_found_error", "model: claude-nope"), "not_found", False),
        (Failure(413, "request_too_large", "too large"), "request_too_large", False),
    ],
    ids=lambda value: str(value.status) if isinstance(value, Failure) else None,
)
async def test_an_error_status_becomes_a_failure_whose_code_and_retryability_follow_the_status(
    runner: AnthropicRunner, messages_api: MessagesApiDouble, failure: Failure, code: str, retryable: bool
) -> None:
    messages_api.enqueue(failure)
    failed = (await events_of(runner))[-1]
    assert isinstance(failed, RunFailed)
    assert (failed.code, failed.retryable) == (code, retryable)
    assert failure.message in failed.message


async def test_an_error_event_mid_stream_fails_like_its_status_and_keeps_the_usage_so_far(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Half ", "an answer"), interrupted=StreamError(after=4)))
    events = await events_of(runner)
    failed = events[-1]
    assert [event.text for event in events if isinstance(event, TextDelta)] == ["Half "]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("overloaded", True)
    assert "overloaded_error" in failed.message
    reported = [event.usage for event in events if isinstance(event, UsageReported)]
    assert failed.usage == reported[-1]


async def test_a_stream_of_what_is_not_json_is_a_failure_not_a_success(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Fine ", "so far"), interrupted=Garble(after=4)))
    failed = (await events_of(runner))[-1]
    assert isinstance(failed, RunFailed)
    assert (failed.code, failed.retryable) == ("malformed_stream", False)


async def test_a_stream_that_ends_before_message_stop_is_a_retryable_failure(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Fine ", "so far"), interrupted=Cut(after=6)))
    events = await events_of(runner)
    assert not [event for event in events if isinstance(event, RunCompleted)]
    failed = events[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("incomplete_stream", True)


async def test_a_connection_dropped_mid_stream_is_a_retryable_connection_error(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Fine ", "so far"), interrupted=Drop(after=4)))
    failed = (await events_of(runner))[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("connection_error", True)


async def test_an_api_nobody_answers_at_is_a_retryable_connection_error() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    events = await events_of(AnthropicRunner(api_key="test-key", base_url=base_url))
    assert isinstance(events[0], SessionStarted)
    failed = events[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("connection_error", True)
    assert failed.usage is None


async def test_a_tool_call_is_logged_answered_as_not_run_and_the_run_ends_with_the_text(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Let me read it."), ToolUse("Read", {"file_path": "tests/test_login.py"})))
    events = await events_of(runner)
    assert [event for event in events if isinstance(event, ToolCalled | ToolReturned)] == [
        ToolCalled("toolu_double_01", "Read", {"file_path": "tests/test_login.py"}),
        ToolReturned("toolu_double_01", TOOL_NOT_RUN, is_error=True),
    ]
    note = next(event for event in events if isinstance(event, StderrLine))
    assert "stop_reason tool_use" in note.text
    completed = events[-1]
    assert isinstance(completed, RunCompleted) and completed.output == "Let me read it."


async def test_a_reply_cut_short_by_max_tokens_succeeds_with_a_note(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("The first half"), stop_reason="max_tokens"))
    events = await events_of(runner)
    assert isinstance(events[-2], StderrLine) and "max_tokens" in events[-2].text
    assert isinstance(events[-1], RunCompleted) and events[-1].output == "The first half"


async def test_a_refusal_is_a_failure_not_worth_retrying(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text(""), stop_reason="refusal"))
    failed = (await events_of(runner))[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("refused", False)


@pytest.mark.parametrize("waiting", [False, True], ids=["between-events", "while-waiting"])
async def test_closing_the_run_hangs_up_the_http_stream(
    runner: AnthropicRunner, messages_api: MessagesApiDouble, waiting: bool
) -> None:
    messages_api.enqueue(Reply(Text("never ", "sent"), interrupted=Stall(after=3)))
    stream = runner.run(a_run())
    assert isinstance(await anext(stream), SessionStarted)
    assert isinstance(await anext(stream), UsageReported)
    if waiting:
        pending = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0.2)
        assert not pending.done(), "the double was meant to stall"
        pending.cancel()
        await asyncio.gather(pending, return_exceptions=True)
    await stream.aclose()  # type: ignore[attr-defined]
    [request] = messages_api.requests
    assert await asyncio.to_thread(request.client_left.wait, 5.0), "the HTTP stream is still open"


@pytest.mark.parametrize(
    ("model", "price"),
    [
        ("claude-sonnet-4-5", SONNET),
        ("claude-sonnet-4-5-20250929", SONNET),
        ("claude-3-7-sonnet-latest", SONNET),
        ("claude-opus-4-20250514", ModelPrice(15.0, 75.0, 18.75, 1.50)),
        ("claude-sonnet-4-5-preview", None),
        ("gpt-5", None),
    ],
)
def test_a_dated_or_latest_model_name_is_priced_as_its_base_name(model: str, price: ModelPrice | None) -> None:
    assert DEFAULT_PRICES.price_of(model) == price


def test_a_price_table_counts_each_kind_of_token_at_its_own_rate() -> None:
    table = PriceTable({"m": ModelPrice(input=1.0, output=2.0, cache_write=4.0, cache_read=8.0)})
    price = table.price_of("m")
    assert price is not None
    assert price.cost_usd(TokenCounts(input=1, output=10, cache_write=100, cache_read=1_000)) == pytest.approx(
        (1 + 20 + 400 + 8_000) / 1_000_000
    )


async def test_the_tasks_system_prompt_is_sent_and_a_follow_up_is_told_it_starts_afresh(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Yes.")), Reply(Text("Again.")))
    options = TaskOptions(append_system_prompt="Answer in one word.")
    follow_up = AgentRun(UUID(int=3), EXECUTION, 1, "And now?", options, resume_session_id=str(EXECUTION))

    plain = await events_of(runner, AgentRun(UUID(int=1), EXECUTION, 1, "Is it flaky?", TaskOptions()))
    resumed = await events_of(runner, follow_up)

    assert not any(isinstance(event, StderrLine) for event in plain)
    assert resumed[1] == StderrLine(NO_RESUME) and isinstance(resumed[-1], RunCompleted)
    first, second = messages_api.message_requests
    assert "system" not in first.body and second.body["system"] == "Answer in one word."


async def test_a_follow_up_sends_its_chains_history_back_before_its_prompt(
    runner: AnthropicRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("Add a flush.")))
    history = (Exchange("Why is it red?", "It races the writer."), Exchange("Anything else?", ""))
    follow_up = AgentRun(UUID(int=3), EXECUTION, 1, "And now?", TaskOptions(), str(EXECUTION), history=history)

    events = await events_of(runner, follow_up)

    assert not any(isinstance(event, StderrLine) for event in events) and isinstance(events[-1], RunCompleted)
    [request] = messages_api.message_requests
    assert [(m["role"], m["content"]) for m in request.body["messages"]] == [
        ("user", "Why is it red?"),
        ("assistant", "It races the writer."),
        ("user", "Anything else?"),
        ("assistant", "(no answer)"),
        ("user", "And now?"),
    ]
