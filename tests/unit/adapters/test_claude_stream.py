"""The Claude Code CLI's stream-json, line by line (lines recorded from CLI 2.1.332, trimmed), and the
command line a run's options become."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.runners.claude_stream import ClaudeStreamParser
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import (
    AgentEvent,
    AgentRun,
    RunCompleted,
    RunFailed,
    SessionStarted,
    TextDelta,
    ToolCalled,
    ToolReturned,
    UsageReported,
)
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.usage import Usage

SESSION = "e2ea0505-5c9d-499e-8f2e-abc46e5c7d68"
INIT = {
    "type": "system", "subtype": "init", "cwd": "/work/t1", "session_id": SESSION, "tools": ["Bash", "Write"],
    "model": "claude-sonnet-4-6", "permissionMode": "acceptEdits", "claude_code_version": "2.1.332",
}  # fmt: skip
USAGE = {"input_tokens": 120, "cache_creation_input_tokens": 4, "cache_read_input_tokens": 7, "output_tokens": 35}


def assistant(*content: dict[str, Any], model: str = "claude-sonnet-4-6") -> dict[str, Any]:
    message = {"id": "msg_01", "type": "message", "role": "assistant", "model": model, "content": list(content)}
    return {"type": "assistant", "message": message, "parent_tool_use_id": None, "session_id": SESSION}


def tool_result(content: Any, *, is_error: bool = False) -> dict[str, Any]:
    block = {"tool_use_id": "toolu_01", "type": "tool_result", "content": content, "is_error": is_error}
    return {"type": "user", "message": {"role": "user", "content": [block]}, "session_id": SESSION}


def result(**fields: Any) -> dict[str, Any]:
    return {
        "type": "result", "subtype": "success", "is_error": False, "num_turns": 2, "duration_ms": 148,
        "total_cost_usd": 0.00089, "usage": USAGE, "result": "Done.\nThe notes are in NOTES.md.",
        "session_id": SESSION, "api_error_status": None, "terminal_reason": "completed", **fields,
    }  # fmt: skip


def fed(*items: dict[str, Any] | str) -> tuple[ClaudeStreamParser, list[AgentEvent]]:
    parser = ClaudeStreamParser()
    events: list[AgentEvent] = []
    for item in items:
        read = parser.read(item if isinstance(item, str) else json.dumps(item))
        assert read is not None, item
        events += read
    return parser, events


def test_a_successful_run_maps_every_line_and_ends_with_the_results_usage_and_cost() -> None:
    write = {"type": "tool_use", "id": "toolu_01", "name": "Write", "input": {"file_path": "NOTES.md", "content": "x"}}
    parser, events = fed(
        INIT,
        assistant({"type": "thinking", "thinking": "..."}, {"type": "text", "text": "Writing. "}),
        assistant(write),
        tool_result("File created successfully at: NOTES.md"),
        {"type": "system", "subtype": "status", "session_id": SESSION},
        {"type": "rate_limit_event", "session_id": SESSION},
        assistant({"type": "text", "text": "Done.\nThe notes are in NOTES.md."}),
        result(),
    )
    usage = Usage(131, 35, 0.00089)
    assert events == [
        SessionStarted(SESSION, "claude-sonnet-4-6"),
        TextDelta("Writing. "),
        ToolCalled("toolu_01", "Write", {"file_path": "NOTES.md", "content": "x"}),
        ToolReturned("toolu_01", "File created successfully at: NOTES.md"),
        TextDelta("Done.\nThe notes are in NOTES.md."),
    ]
    assert parser.finished
    output = "Writing. Done.\nThe notes are in NOTES.md."
    assert parser.ending(0, []) == [UsageReported(usage), RunCompleted(output, usage, SESSION, "Done.", 2)]


def test_tool_results_in_blocks_are_joined_and_errors_are_flagged() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR"}}
    _, events = fed(
        tool_result([{"type": "text", "text": "line one"}, image, {"type": "text", "text": "line two"}]),
        tool_result("Permission to write NOTES.md was not granted.", is_error=True),
    )
    assert events == [
        ToolReturned("toolu_01", "line one\n[image]\nline two"),
        ToolReturned("toolu_01", "Permission to write NOTES.md was not granted.", is_error=True),
    ]


def test_what_the_cli_makes_up_itself_is_not_output_and_a_second_init_is_no_new_session() -> None:
    api_error = assistant({"type": "text", "text": "API Error: 529 Overloaded."}, model="<synthetic>")
    _, events = fed(INIT, api_error, {**INIT, "session_id": "another"})
    assert events == [SessionStarted(SESSION, "claude-sonnet-4-6")]


@pytest.mark.parametrize("line", ["Loading…", "", "[1, 2]", '"text"', "{not json"])
def test_a_line_that_is_not_a_json_object_is_left_to_the_runner(line: str) -> None:
    assert ClaudeStreamParser().read(line) is None


@pytest.mark.parametrize(
    ("fields", "code", "retryable", "message"),
    [
        ({"is_error": True, "api_error_status": 529, "result": "API Error: 529 Overloaded"}, "overloaded", True, None),
        ({"is_error": True, "api_error_status": 429, "result": "API Error: 429"}, "rate_limited", True, None),
        ({"is_error": True, "api_error_status": 503, "result": "API Error: 503"}, "server_error", True, None),
        ({"is_error": True, "api_error_status": 400, "result": "API Error: 400 bad"}, "invalid_request", False, None),
        ({"is_error": True, "api_error_status": 418, "result": "API Error: 418"}, "api_error", False, None),
        (
            {"is_error": True, "terminal_reason": "api_error", "result": "API Error: Connection refused"},
            "connection_error", True, None,
        ),
        (
            {"subtype": "error_max_turns", "is_error": True, "result": None, "errors": ["Reached max turns (1)"]},
            "max_turns", False, "Reached max turns (1)",
        ),
        (
            {"subtype": "error_max_budget_usd", "is_error": True, "result": None, "errors": ["Reached maximum budget"]},
            "max_budget", False, "Reached maximum budget",
        ),
        ({"subtype": "error_during_execution", "is_error": True, "result": None}, "execution_error", False, None),
        ({"subtype": "error_something_new", "is_error": True, "result": None}, "something_new", False, None),
        ({"is_error": True, "result": "It went wrong."}, "agent_error", False, "It went wrong."),
    ],
)  # fmt: skip
def test_an_error_result_fails_the_run_with_a_code_and_retryability(
    fields: dict[str, Any], code: str, retryable: bool, message: str | None
) -> None:
    parser, _ = fed(INIT, result(**fields))
    usage = Usage(131, 35, 0.00089)
    reported, failed = parser.ending(1, ["ignored once there is a result"])
    assert reported == UsageReported(usage)
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable, failed.usage) == (code, retryable, usage)
    assert failed.message == (
        message or fields.get("result") or f"the Claude Code CLI ended the run with {fields['subtype']}"
    )


def test_only_the_first_result_counts() -> None:
    parser, _ = fed(INIT, result(), result(is_error=True, api_error_status=529))
    assert isinstance(parser.ending(0, [])[-1], RunCompleted)


@pytest.mark.parametrize(
    ("exit_code", "told", "retryable"),
    [
        (3, "exited with code 3", False),
        (0, "exited with code 0", False),
        (-9, "was killed by signal 9", True),
        (None, "closed its output but did not exit", False),
    ],
)
def test_no_result_is_a_failed_run_with_the_exit_and_the_stderr_tail(
    exit_code: int | None, told: str, retryable: bool
) -> None:
    parser, _ = fed(INIT, assistant({"type": "text", "text": "Half an answer"}))
    [failed] = parser.ending(exit_code, ["Error: no credentials", "bye"])
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("no_result", retryable)
    assert told in failed.message and failed.message.endswith("stderr tail: Error: no credentials | bye")


def a_request(options: TaskOptions, resume: str | None = None) -> AgentRun:
    return AgentRun(UUID(int=7), UUID(int=8), 1, "--prompt goes on stdin", options, resume)


def test_the_command_line_carries_the_options_the_task_sets_and_the_runners_settings() -> None:
    runner = ClaudeCodeRunner(
        work_dir=Path("/srv/agentry"),
        sandbox=UnconfinedSandbox(),
        binary="/opt/claude",
        append_system_prompt="Be brief.",
        max_budget_usd=2.5,
    )
    options = TaskOptions(
        model="claude-haiku-4-5",
        max_turns=12,
        allowed_tools=("Read", "Bash(git diff *)"),
        permission_mode=PermissionMode.ACCEPT_EDITS,
    )
    assert runner.command(a_request(options, resume="s-1")) == [
        "/opt/claude", "-p", "--output-format", "stream-json", "--verbose",
        "--model", "claude-haiku-4-5", "--max-turns", "12", "--allowedTools", "Read,Bash(git diff *)",
        "--permission-mode", "acceptEdits", "--resume", "s-1",
        "--append-system-prompt", "Be brief.", "--max-budget-usd", "2.5",
    ]  # fmt: skip
    assert runner.directory_of(a_request(options)) == Path("/srv/agentry") / str(UUID(int=7))


def test_a_task_without_options_runs_with_the_clis_own_defaults() -> None:
    runner = ClaudeCodeRunner(work_dir=Path("/srv/agentry"), sandbox=UnconfinedSandbox())
    assert runner.command(a_request(TaskOptions())) == ["claude", "-p", "--output-format", "stream-json", "--verbose"]
