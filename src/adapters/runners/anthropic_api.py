"""The Anthropic Messages API as an AI gateway: one streamed request per run, with no tools of its own.

The prompt goes out as a single user message, the task's `append_system_prompt` as the system
prompt; the stream's text deltas, tool_use blocks and cumulative usage become the port's events, and
cost comes from a price table. The API keeps no session, so the session a run reports is its
execution; a follow-up sends its chain's earlier prompts and answers back as the conversation before
its prompt (a follow-up given no history starts afresh, and its log says so). The model
can only ask for a tool if a tool is declared, and none is; should a reply ask anyway, each call is
answered "not run" and the run ends with the text so far.

Retrying belongs to the application: the SDK's own retries are off, and every failure says whether
it is worth another attempt (429, 529, other 5xx, 408, 409 and broken connections are, as the SDK
itself would judge). A stream that breaks off, or carries what is not the Messages protocol, is a
failed run, never a short success.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpx2
from anthropic import APIConnectionError, APIStatusError, APITimeoutError, AsyncAnthropic, omit
from anthropic import types as api

from agentry.adapters.runners.anthropic_prices import DEFAULT_PRICES, PriceTable, TokenCounts
from agentry.adapters.runners.api_status import failure_of_status
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    AgentRun,
    RunCompleted,
    RunFailed,
    SessionStarted,
    StderrLine,
    TextDelta,
    ToolCalled,
    ToolReturned,
    UsageReported,
)
from agentry.domain.tasks.usage import Usage

DEFAULT_MODEL = "claude-sonnet-4-6"
DEFAULT_MAX_TOKENS = 8_192
TOOL_NOT_RUN = "not run: the Anthropic API runner executes no tools"
NO_RESUME = "the Anthropic API keeps no session to resume: this follow-up starts a fresh conversation"
_PLAIN_STOPS = frozenset({"end_turn", "stop_sequence"})
_STOP_NOTES = {
    "tool_use": "it asked for tools, which this runner does not run, so the run ends with the text so far",
    "max_tokens": "the reply reached the max_tokens limit and may be cut short",
}
# The HTTP status each error type of the API stands for: an `error` event in a stream arrives
# under the stream's 200, and is judged as its status would be.
_STATUS_OF_ERROR_TYPE = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


class MalformedStream(Exception):
    """The stream broke the Messages protocol."""


class AnthropicRunner:
    needs_history = True  # the Messages API keeps nothing: the conversation is sent back each turn

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        model: str = DEFAULT_MODEL,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        prices: PriceTable = DEFAULT_PRICES,
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._model = model
        self._max_tokens = max_tokens
        self._prices = prices

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        session_id = str(request.execution_id)
        model = request.options.model or self._model
        yield SessionStarted(session_id, model)
        if request.resume_session_id and not request.history:
            yield StderrLine(NO_RESUME)
        reader = _StreamReader(model, self._prices)
        try:
            # A client per run: its connections belong to the event loop of the run that opened them.
            async with AsyncAnthropic(api_key=self._api_key, base_url=self._base_url, max_retries=0) as client:
                stream = await client.messages.create(
                    model=model,
                    max_tokens=self._max_tokens,
                    messages=_conversation(request),
                    system=request.options.append_system_prompt or omit,
                    stream=True,
                )
                async with stream:
                    async for event in stream:
                        for mapped in reader.read(event):
                            yield mapped
        except APIStatusError as error:
            yield _api_failure(error, reader.usage)
            return
        except APITimeoutError as error:
            yield RunFailed("timeout", f"the Anthropic API did not answer in time: {error}", True, reader.usage)
            return
        except (APIConnectionError, httpx2.TransportError) as error:
            yield RunFailed("connection_error", _connection_message(error), True, reader.usage)
            return
        except (MalformedStream, json.JSONDecodeError) as error:
            yield RunFailed(
                "malformed_stream", f"the Anthropic API sent a malformed stream: {error}", False, reader.usage
            )
            return
        for ending in reader.finish(session_id):
            yield ending


def _conversation(request: AgentRun) -> list[api.MessageParam]:
    """The chain's earlier exchanges (an empty answer said as such: the API takes no empty message),
    then the prompt."""
    messages: list[api.MessageParam] = []
    for exchange in request.history:
        messages.append({"role": "user", "content": exchange.prompt})
        messages.append({"role": "assistant", "content": exchange.answer or "(no answer)"})
    messages.append({"role": "user", "content": request.prompt})
    return messages


@dataclass
class _ToolCall:
    id: str
    name: str
    input: dict[str, Any]
    json_pieces: list[str] = field(default_factory=list)


class _StreamReader:
    """Follows one streamed message, checks it keeps to the protocol, and says what each raw event
    means for the run."""

    def __init__(self, model: str, prices: PriceTable) -> None:
        self._model = model
        self._prices = prices
        self._tokens: TokenCounts | None = None
        self._text: list[str] = []
        self._open: dict[int, _ToolCall | None] = {}
        self._stop_reason: str | None = None
        self._stopped = False

    @property
    def usage(self) -> Usage | None:
        """The cumulative usage so far; None until the message starts."""
        return None if self._tokens is None else self._usage_of(self._tokens)

    def read(self, event: api.RawMessageStreamEvent) -> list[AgentEvent]:
        if self._stopped:
            raise MalformedStream(f"{event.type} after message_stop")
        if self._tokens is None and not isinstance(event, api.RawMessageStartEvent):
            raise MalformedStream(f"{event.type} before message_start")
        match event:
            case api.RawMessageStartEvent(message=message):
                return self._start(message)
            case api.RawContentBlockStartEvent(index=index, content_block=block):
                if index in self._open:
                    raise MalformedStream(f"content block {index} started twice")
                self._open[index] = (
                    _ToolCall(block.id, block.name, dict(block.input)) if isinstance(block, api.ToolUseBlock) else None
                )
            case api.RawContentBlockDeltaEvent(index=index, delta=delta):
                return self._delta(index, delta)
            case api.RawContentBlockStopEvent(index=index):
                return self._close_block(index)
            case api.RawMessageDeltaEvent(delta=delta, usage=usage):
                return self._message_delta(delta.stop_reason, usage)
            case api.RawMessageStopEvent():
                if self._open:
                    raise MalformedStream(f"message_stop while content blocks {sorted(self._open)} are open")
                self._stopped = True
        return []

    def finish(self, session_id: str) -> list[AgentEvent]:
        """The run's last events, once the stream has ended."""
        usage = self.usage
        if not self._stopped:
            return [RunFailed("incomplete_stream", "the stream ended before message_stop", True, usage)]
        assert usage is not None
        reason = self._stop_reason or "unknown"
        if reason == "refusal":
            return [RunFailed("refused", "the model declined the request (stop_reason refusal)", False, usage)]
        completed = RunCompleted("".join(self._text), usage, session_id, num_turns=1)
        if reason in _PLAIN_STOPS:
            return [completed]
        explained = f": {_STOP_NOTES[reason]}" if reason in _STOP_NOTES else ""
        return [StderrLine(f"the model stopped with stop_reason {reason}{explained}"), completed]

    def _start(self, message: api.Message) -> list[AgentEvent]:
        if self._tokens is not None:
            raise MalformedStream("a second message_start")
        self._model = message.model or self._model
        self._tokens = _updated(TokenCounts(), message.usage)
        events: list[AgentEvent] = [UsageReported(self._usage_of(self._tokens))]
        if self._prices.price_of(self._model) is None:
            events.append(StderrLine(f"no price is known for model {self._model}; its cost is counted as 0"))
        return events

    def _message_delta(self, stop_reason: str | None, usage: api.MessageDeltaUsage) -> list[AgentEvent]:
        assert self._tokens is not None
        self._stop_reason = stop_reason or self._stop_reason
        self._tokens = _updated(self._tokens, usage)
        return [UsageReported(self._usage_of(self._tokens))]

    def _usage_of(self, tokens: TokenCounts) -> Usage:
        price = self._prices.price_of(self._model)
        return Usage(tokens.all_input, tokens.output, price.cost_usd(tokens) if price is not None else 0.0)

    def _delta(self, index: int, delta: api.RawContentBlockDelta) -> list[AgentEvent]:
        if index not in self._open:
            raise MalformedStream(f"a delta for content block {index}, which is not open")
        call = self._open[index]
        if isinstance(delta, api.TextDelta):
            if call is not None:
                raise MalformedStream(f"a text delta for tool_use block {index}")
            self._text.append(delta.text)
            return [TextDelta(delta.text)] if delta.text else []
        if isinstance(delta, api.InputJSONDelta):
            if call is None:
                raise MalformedStream(f"an input_json_delta for block {index}, which is not a tool_use")
            call.json_pieces.append(delta.partial_json)
        return []

    def _close_block(self, index: int) -> list[AgentEvent]:
        if index not in self._open:
            raise MalformedStream(f"content block {index} stopped but was not open")
        call = self._open.pop(index)
        if call is None:
            return []
        encoded = "".join(call.json_pieces)
        tool_input = json.loads(encoded) if encoded else call.input
        if not isinstance(tool_input, dict):
            raise MalformedStream(f"the input of tool_use block {index} is not a JSON object")
        return [ToolCalled(call.id, call.name, tool_input), ToolReturned(call.id, TOOL_NOT_RUN, is_error=True)]


def _updated(tokens: TokenCounts, usage: api.Usage | api.MessageDeltaUsage) -> TokenCounts:
    """Usage counts are cumulative; a count the event leaves out keeps its earlier value."""
    return replace(
        tokens,
        input=_kept(usage.input_tokens, tokens.input),
        output=usage.output_tokens,
        cache_write=_kept(usage.cache_creation_input_tokens, tokens.cache_write),
        cache_read=_kept(usage.cache_read_input_tokens, tokens.cache_read),
    )


def _kept(reported: int | None, earlier: int) -> int:
    return earlier if reported is None else reported


def _api_failure(error: APIStatusError, usage: Usage | None) -> RunFailed:
    during_stream = error.status_code < 400
    status = _STATUS_OF_ERROR_TYPE.get(error.type or "", 500) if during_stream else error.status_code
    code, retryable = failure_of_status(status)
    detail = error.api_message or error.message
    where = f"sent {error.type} during the stream" if during_stream else f"answered HTTP {status} ({error.type})"
    return RunFailed(code, f"the Anthropic API {where}: {detail}", retryable, usage)


def _connection_message(error: Exception) -> str:
    cause = error.__cause__ or error
    return f"the connection to the Anthropic API failed: {type(cause).__name__}: {cause}"
