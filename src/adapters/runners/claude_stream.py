"""What the Claude Code CLI's `--output-format stream-json` lines mean for an agent run.

The CLI writes one JSON object a line: `system`/`init` names the session and the model, `assistant`
messages carry the model's text and tool_use blocks, `user` messages the tool_result blocks, and a
single `result` closes the run with its subtype, error flag, turns, cost and usage. Other line types
(hook, status, rate-limit and permission notices) say nothing the port has a word for and are passed
over. The parser is pure: the runner feeds it lines and asks it how the run ended.

Messages the CLI makes up itself (model `<synthetic>`, as the text "API Error: ..." of a failed call)
are not the agent speaking, so their text is not output; the result event says the same as a failure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agentry.adapters.runners.api_status import failure_of_status
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    RunCompleted,
    RunFailed,
    SessionStarted,
    TextDelta,
    ToolCalled,
    ToolReturned,
    UsageReported,
)
from agentry.domain.tasks.results import summarize
from agentry.domain.tasks.usage import Usage

SYNTHETIC_MODEL = "<synthetic>"
_CODE_OF_SUBTYPE = {
    "error_max_turns": "max_turns",
    "error_max_budget_usd": "max_budget",
    "error_during_execution": "execution_error",
}


class ClaudeStreamParser:
    """Follows one run's stream-json lines and says what each means for the run."""

    def __init__(self) -> None:
        self._session_id: str | None = None
        self._text: list[str] = []
        self._result: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        """Whether the result event has arrived; nothing after it matters."""
        return self._result is not None

    def read(self, line: str) -> list[AgentEvent] | None:
        """The events one line stands for; None when the line is not a JSON object."""
        try:
            item = json.loads(line)
        except ValueError:
            return None
        if not isinstance(item, dict):
            return None
        match item.get("type"):
            case "system" if item.get("subtype") == "init" and self._session_id is None:
                self._session_id = str(item.get("session_id") or "")
                return [SessionStarted(self._session_id, _text_or_none(item.get("model")))]
            case "assistant":
                return self._assistant(_dict(item.get("message")))
            case "user":
                return _tool_results(_dict(item.get("message")))
            case "result" if self._result is None:
                self._result = item
        return []

    def ending(self, exit_code: int | None, stderr_tail: Sequence[str]) -> list[AgentEvent]:
        """The run's last events, once the process is done: the result's usage and verdict, or, with no
        result, a failure that keeps the exit code and the last lines of stderr."""
        if self._result is None:
            return [_no_result(exit_code, stderr_tail)]
        result = self._result
        usage = _usage_of(result)
        return [UsageReported(usage), self._verdict(result, usage)]

    def _assistant(self, message: dict[str, Any]) -> list[AgentEvent]:
        if message.get("model") == SYNTHETIC_MODEL:
            return []
        events: list[AgentEvent] = []
        for block in _blocks(message):
            if block.get("type") == "text" and block.get("text"):
                self._text.append(str(block["text"]))
                events.append(TextDelta(str(block["text"])))
            elif block.get("type") == "tool_use":
                tool_input = block.get("input")
                events.append(
                    ToolCalled(
                        str(block.get("id", "")),
                        str(block.get("name", "")),
                        tool_input if isinstance(tool_input, dict) else {"input": tool_input},
                    )
                )
        return events

    def _verdict(self, result: dict[str, Any], usage: Usage) -> RunCompleted | RunFailed:
        subtype = str(result.get("subtype") or "")
        answer = result.get("result")
        if subtype == "success" and not result.get("is_error"):
            return RunCompleted(
                "".join(self._text),
                usage,
                self._session_id or _text_or_none(result.get("session_id")),
                summary=(summarize(answer) or None) if isinstance(answer, str) else None,
                num_turns=_int_or_none(result.get("num_turns")),
            )
        code, retryable = _failure_code(result, subtype)
        errors = result.get("errors")
        if isinstance(answer, str) and answer:
            message = answer
        elif isinstance(errors, list) and errors:
            message = "; ".join(map(str, errors))
        else:
            message = f"the Claude Code CLI ended the run with {subtype or 'an unnamed result'}"
        return RunFailed(code, message, retryable, usage)


def _failure_code(result: dict[str, Any], subtype: str) -> tuple[str, bool]:
    """An error code and whether another attempt may succeed: an API error is judged by its HTTP status
    as the Anthropic API runner judges it; an API error with no status is a connection that failed;
    a spent turn or budget limit, or an error inside the agent, will only happen again."""
    status = _int_or_none(result.get("api_error_status"))
    if status is not None:
        return failure_of_status(status)
    if result.get("terminal_reason") == "api_error":
        return "connection_error", True
    if subtype in _CODE_OF_SUBTYPE:
        return _CODE_OF_SUBTYPE[subtype], False
    return (subtype.removeprefix("error_") if subtype.startswith("error_") else "agent_error"), False


def _no_result(exit_code: int | None, stderr_tail: Sequence[str]) -> RunFailed:
    """A process that ends without a result is a failed run. One killed by a signal (an out-of-memory
    kill, say) may fare better next time; one that exits on its own said why on stderr and will again."""
    if exit_code is None:
        how = "closed its output but did not exit"
    elif exit_code < 0:
        how = f"was killed by signal {-exit_code}"
    else:
        how = f"exited with code {exit_code}"
    tail = " | ".join(stderr_tail) if stderr_tail else "(empty)"
    message = f"the Claude Code CLI {how} without a result event; stderr tail: {tail}"
    return RunFailed("no_result", message, exit_code is not None and exit_code < 0)


def _tool_results(message: dict[str, Any]) -> list[AgentEvent]:
    return [
        ToolReturned(str(block.get("tool_use_id", "")), _tool_output(block.get("content")), bool(block.get("is_error")))
        for block in _blocks(message)
        if block.get("type") == "tool_result"
    ]


def _tool_output(content: Any) -> str:
    """A tool result's content is a string or a list of blocks; images are named, not carried."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return "" if content is None else json.dumps(content)
    parts = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        elif isinstance(block, dict):
            parts.append(f"[{block.get('type', 'block')}]")
    return "\n".join(parts)


def _usage_of(result: dict[str, Any]) -> Usage:
    """Every input token the model read (fresh, written to and read from the cache), the output
    tokens, and the cost the CLI itself computed."""
    usage = _dict(result.get("usage"))
    read = sum(
        _int_or_none(usage.get(name)) or 0
        for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    )
    cost = result.get("total_cost_usd")
    return Usage(
        read,
        _int_or_none(usage.get("output_tokens")) or 0,
        float(cost) if isinstance(cost, int | float) and not isinstance(cost, bool) else 0.0,
    )


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    return [block for block in content if isinstance(block, dict)] if isinstance(content, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
