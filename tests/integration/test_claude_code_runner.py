"""The Claude Code CLI runner with the real CLI against the Messages API double: what the CLI asks,
what the runner makes of the answers, and that a stopped run leaves no process behind."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from agentry.adapters.runners.anthropic_prices import DEFAULT_PRICES, TokenCounts
from agentry.adapters.runners.claude_code import NOTE_MAX, NOTES_MAX, STDERR_TAIL, ClaudeCodeRunner
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
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
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.usage import Usage
from tests.doubles.claude_cli import claude_binary, offline_env, sandbox
from tests.doubles.messages_api import OVERLOADED, Failure, MessagesApiDouble, Reply, Stall, Text, ToolUse
from tests.integration.processes import MARKER_VARIABLE, processes_marked

RUN_LIMIT_S = 60.0
MODEL = "claude-sonnet-4-6"
PROMPT = "Why does the login test fail?"


@pytest.fixture
def marker() -> str:
    """An environment value that tells this test's processes from every other on the machine."""
    return uuid4().hex


@pytest.fixture
def runner(messages_api: MessagesApiDouble, tmp_path: Path, marker: str) -> ClaudeCodeRunner:
    env = offline_env(messages_api, tmp_path / "home") | {MARKER_VARIABLE: marker}
    return ClaudeCodeRunner(work_dir=tmp_path / "work", sandbox=sandbox(), binary=claude_binary(), env=env, grace_s=3.0)


def a_run(prompt: str = PROMPT, resume: str | None = None, **options: Any) -> AgentRun:
    return AgentRun(UUID(int=1), UUID(int=2), 1, prompt, TaskOptions(**{"model": MODEL, **options}), resume)


async def events_of(runner: ClaudeCodeRunner, run: AgentRun) -> list[AgentEvent]:
    async with asyncio.timeout(RUN_LIMIT_S):
        return [event async for event in runner.run(run)]


def without_notes(events: list[AgentEvent]) -> list[AgentEvent]:
    return [event for event in events if not isinstance(event, StderrLine)]


async def test_a_plain_answer_streams_session_text_usage_and_completion_in_order(
    runner: ClaudeCodeRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(
        Reply(
            Text("The login test ", "races the writer."), input_tokens=120, output_tokens=35, cache_read_input_tokens=7
        )
    )
    events = await events_of(runner, a_run())

    session, text, usage, completed = without_notes(events)
    assert isinstance(session, SessionStarted) and session.session_id and session.model == MODEL
    assert text == TextDelta("The login test races the writer.")
    cost = DEFAULT_PRICES.price_of(MODEL).cost_usd(TokenCounts(input=120, output=35, cache_read=7))  # type: ignore[union-attr]
    assert usage == UsageReported(Usage(127, 35, pytest.approx(cost)))  # type: ignore[arg-type]
    assert completed == RunCompleted(
        "The login test races the writer.", usage.usage, session.session_id, "The login test races the writer.", 1
    )
    assert [(request.method, request.path) for request in messages_api.requests] == [("POST", "/v1/messages")]
    [asked] = messages_api.message_requests
    assert asked.headers["x-api-key"] == "test-key" and asked.body["model"] == MODEL and asked.body["stream"] is True
    assert asked.body["messages"][0]["content"][-1]["text"] == PROMPT


async def test_the_task_options_and_runner_settings_reach_the_cli(
    messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    runner = ClaudeCodeRunner(
        work_dir=tmp_path / "work",
        sandbox=sandbox(),
        binary=claude_binary(),
        env=offline_env(messages_api, tmp_path / "home"),
        append_system_prompt="Answer in the voice of a release note.",
        max_budget_usd=5,
    )
    messages_api.enqueue(Reply(Text("Done.")))
    prompt = "--help is not an option here: the prompt goes in on stdin"
    events = await events_of(runner, a_run(prompt, model="claude-haiku-4-5", max_turns=3))

    assert isinstance(events[-1], RunCompleted) and events[-1].output == "Done."
    [asked] = messages_api.message_requests
    assert asked.body["model"] == "claude-haiku-4-5"
    assert "Answer in the voice of a release note." in json.dumps(asked.body["system"])
    assert asked.body["messages"][0]["content"][-1]["text"] == prompt


async def test_a_tool_use_writes_a_file_in_the_tasks_directory_and_a_second_turn_ends_the_run(
    runner: ClaudeCodeRunner, messages_api: MessagesApiDouble
) -> None:
    notes = "The read races the writer.\n"
    messages_api.enqueue(
        Reply(Text("Writing the notes. "), ToolUse("Write", {"file_path": "NOTES.md", "content": notes})),
        Reply(Text("Done.")),
    )
    run = a_run("Write down what you found in NOTES.md", permission_mode=PermissionMode.ACCEPT_EDITS)
    events = without_notes(await events_of(runner, run))

    assert (runner.directory_of(run) / "NOTES.md").read_text() == notes
    assert [type(event) for event in events] == [
        SessionStarted, TextDelta, ToolCalled, ToolReturned, TextDelta, UsageReported, RunCompleted,
    ]  # fmt: skip
    called, returned, completed = events[2], events[3], events[-1]
    assert called == ToolCalled("toolu_double_01", "Write", {"file_path": "NOTES.md", "content": notes})
    assert isinstance(returned, ToolReturned) and returned.tool_use_id == "toolu_double_01"
    assert not returned.is_error and "NOTES.md" in returned.output
    assert isinstance(completed, RunCompleted)
    assert (completed.output, completed.summary, completed.num_turns) == ("Writing the notes. Done.", "Done.", 2)
    second = messages_api.message_requests[1].body["messages"][-1]["content"]
    assert [block["type"] for block in second] == ["tool_result"]


async def test_a_tool_the_permissions_refuse_is_returned_as_an_error_and_writes_nothing(
    runner: ClaudeCodeRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(ToolUse("Write", {"file_path": "NOTES.md", "content": "x"})), Reply(Text("Could not.")))
    run = a_run("Write NOTES.md")
    events = await events_of(runner, run)

    [returned] = [event for event in events if isinstance(event, ToolReturned)]
    assert returned.is_error and not (runner.directory_of(run) / "NOTES.md").exists()
    assert isinstance(events[-1], RunCompleted)


@pytest.mark.parametrize(
    ("turn", "code", "retryable", "asked"),
    [
        pytest.param(OVERLOADED, "overloaded", True, 1, id="529"),
        # On a 400 the CLI asks again, each time without one more of its beta headers, then gives up.
        pytest.param(
            Failure(400, "invalid_request_error", "messages: bad order"), "invalid_request", False, None, id="400"
        ),
    ],
)
async def test_an_error_reply_fails_the_run_with_a_code_and_retryability_from_its_status(
    runner: ClaudeCodeRunner,
    messages_api: MessagesApiDouble,
    turn: Failure,
    code: str,
    retryable: bool,
    asked: int | None,
) -> None:
    messages_api.route(lambda _: True, turn)
    events = without_notes(await events_of(runner, a_run()))

    assert [type(event) for event in events] == [SessionStarted, UsageReported, RunFailed]
    failed = events[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == (code, retryable)
    assert str(turn.status) in failed.message and failed.usage == Usage(0, 0, 0.0)
    if asked is not None:  # CLAUDE_CODE_MAX_RETRIES=0: no retries of its own
        assert len(messages_api.message_requests) == asked


async def test_a_follow_up_resumes_the_earlier_session_with_its_conversation(
    runner: ClaudeCodeRunner, messages_api: MessagesApiDouble
) -> None:
    messages_api.enqueue(Reply(Text("It races the writer.")), Reply(Text("Yes, with a flush.")))
    first = await events_of(runner, a_run())
    assert isinstance(first[0], SessionStarted)

    follow_up = AgentRun(
        UUID(int=3), UUID(int=4), 1, "Can it be fixed?", TaskOptions(model=MODEL), first[0].session_id, UUID(int=1)
    )  # a follow-up works in its chain's workspace, with that workspace's HOME
    second = await events_of(runner, follow_up)

    assert isinstance(second[0], SessionStarted) and second[0].session_id == first[0].session_id
    assert isinstance(second[-1], RunCompleted) and second[-1].output == "Yes, with a flush."
    said = json.dumps(messages_api.message_requests[1].body["messages"])
    assert PROMPT in said and "It races the writer." in said and "Can it be fixed?" in said


async def test_closing_a_stalled_run_stops_the_whole_process_group(
    runner: ClaudeCodeRunner, messages_api: MessagesApiDouble, marker: str
) -> None:
    messages_api.enqueue(Reply(Text("never sent"), interrupted=Stall(after=1)))
    stream = runner.run(a_run())
    assert isinstance(await anext(stream), SessionStarted)
    waiting = asyncio.ensure_future(anext(stream))
    await eventually(lambda: bool(messages_api.message_requests), RUN_LIMIT_S)
    groups = set(processes_marked(marker).values())  # the sandbox's, and the session inside it
    assert groups and not waiting.done(), "the run was meant to stall"

    started = time.monotonic()
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    await stream.aclose()  # type: ignore[attr-defined]

    assert time.monotonic() - started < 2.0, "SIGTERM alone was meant to stop the CLI"
    assert processes_marked(marker) == {}
    for group in groups:
        await group_gone(group)  # a killed process is a zombie until its parent reaps it
    assert messages_api.message_requests[0].client_left.wait(5), "the CLI was meant to hang up on the double"


async def test_closing_a_run_at_a_yield_also_stops_the_process_group(
    runner: ClaudeCodeRunner, messages_api: MessagesApiDouble, marker: str
) -> None:
    messages_api.enqueue(Reply(Text("never sent"), interrupted=Stall(after=1)))
    stream = runner.run(a_run())
    assert isinstance(await anext(stream), SessionStarted)
    groups = set(processes_marked(marker).values())

    await stream.aclose()  # type: ignore[attr-defined]

    assert processes_marked(marker) == {}
    for group in groups:
        await group_gone(group)


async def test_a_cli_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path, marker: str) -> None:
    """Unconfined: in the sandbox, SIGTERM ends bwrap, and the kernel the whole sandbox, at once."""
    binary = script(
        tmp_path, 'trap \'\' TERM\necho \'{"type":"system","subtype":"init","session_id":"s1"}\'\nsleep 600 &\nwait'
    )
    runner = ClaudeCodeRunner(
        work_dir=tmp_path / "work",
        sandbox=UnconfinedSandbox(),
        binary=binary,
        env={MARKER_VARIABLE: marker},
        grace_s=0.5,
    )
    stream = runner.run(a_run())
    assert await anext(stream) == SessionStarted("s1")
    groups = set(processes_marked(marker).values())

    started = time.monotonic()
    await stream.aclose()  # type: ignore[attr-defined]

    assert 0.5 <= time.monotonic() - started < 3.0
    assert processes_marked(marker) == {} and len(groups) == 1
    await group_gone(groups.pop())  # the orphaned sleep is a zombie until init reaps it


@pytest.mark.parametrize(
    ("ending", "told", "retryable"),
    [
        pytest.param("exit 3", "exited with code 3", False, id="exit-code"),
        pytest.param("kill -9 $$", "was killed by signal 9", True, id="signal"),
    ],
)
async def test_a_process_that_ends_without_a_result_is_a_failed_run_with_its_exit_and_stderr_tail(
    tmp_path: Path, ending: str, told: str, retryable: bool
) -> None:
    binary = script(tmp_path, f"echo 'Loading...'\necho 'fatal: no credentials' >&2\n{ending}")
    runner = ClaudeCodeRunner(work_dir=tmp_path / "work", sandbox=sandbox(), binary=binary)
    events = await events_of(runner, a_run())

    notes = {event.text for event in events if isinstance(event, StderrLine)}
    assert notes == {"stdout, not JSON: Loading...", "fatal: no credentials"}
    failed = events[-1]
    assert isinstance(failed, RunFailed) and (failed.code, failed.retryable) == ("no_result", retryable)
    assert told in failed.message and "fatal: no credentials" in failed.message


async def test_a_chatty_stderr_is_logged_shortened_and_capped_and_its_last_lines_kept(tmp_path: Path) -> None:
    body = f"""printf '%0{NOTE_MAX + 50}d\\n' 0 >&2
i=0; while [ $i -lt {NOTES_MAX + 100} ]; do echo "warning $i" >&2; i=$((i+1)); done
exit 2"""
    runner = ClaudeCodeRunner(work_dir=tmp_path / "work", sandbox=sandbox(), binary=script(tmp_path, body))
    events = await events_of(runner, a_run())

    notes = [event.text for event in events if isinstance(event, StderrLine)]
    assert len(notes) == NOTES_MAX and len(notes[0]) == NOTE_MAX and notes[0].endswith("…")
    assert notes[-1].endswith("(further diagnostic lines of this run are not logged)")
    failed = events[-1]
    assert isinstance(failed, RunFailed) and failed.code == "no_result"
    assert failed.message.endswith(
        " | ".join(f"warning {n}" for n in range(NOTES_MAX + 100 - STDERR_TAIL, NOTES_MAX + 100))
    )


async def test_a_binary_that_cannot_start_is_a_failed_run(tmp_path: Path) -> None:
    runner = ClaudeCodeRunner(work_dir=tmp_path / "work", sandbox=sandbox(), binary=str(tmp_path / "no-such-claude"))
    [failed] = await events_of(runner, a_run())
    assert isinstance(failed, RunFailed) and failed.code == "runner_unavailable" and not failed.retryable


async def eventually(check: Callable[[], bool], within_s: float) -> None:
    async with asyncio.timeout(within_s):
        while True:
            if check():
                return
            await asyncio.sleep(0.05)


async def group_gone(group: int, within_s: float = 10.0) -> None:
    def gone() -> bool:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        return False

    await eventually(gone, within_s)


def script(directory: Path, body: str) -> str:
    """A stand-in binary: a shell script that ignores its arguments and stdin."""
    path = directory / "fake-claude"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)
