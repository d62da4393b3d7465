"""The AgentGateway contract: the shape of an agent run's event stream, the same for every runner.

Each adapter comes with the requests that make it behave as a test needs (answer, use tools, fail,
stall); for the scripted runner the behaviour is its script. Real runners join ADAPTERS with their own;
an entry gets the test's fixture request, to reach the fixtures it needs (the Messages API double).
An adapter names the tests whose promise it cannot keep, with the reason; those are skipped for it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

import pytest

from agentry.adapters.runners.anthropic_api import AnthropicRunner
from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.tasks.ports.agent_gateway import (
    TERMINAL_EVENTS,
    AgentEvent,
    AgentGateway,
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
from agentry.domain.tasks.script import Abort, Fail, Hang, Say, ScriptStep, Sleep, UseTool
from agentry.domain.tasks.spec import TaskOptions
from tests.doubles.claude_cli import claude_binary, offline_env, sandbox
from tests.doubles.messages_api import (
    OVERLOADED,
    Failure,
    MessagesApiDouble,
    Reply,
    Stall,
    StreamError,
    Text,
    ToolUse,
    Turn,
)

RUN_LIMIT_S = 60.0
PROMPT = "Fix the flaky login test\nIt fails about once in ten runs on CI."


class Runs(Protocol):
    """Requests that make one adapter behave as asked."""

    def answering(self) -> AgentRun: ...
    def using_tools(self) -> AgentRun: ...
    def failing(self, *, retryable: bool) -> AgentRun: ...
    def stalling(self, *, forever: bool) -> AgentRun:
        """Goes quiet after the session starts: for a long while, or forever."""
        ...


def scripted_run(script: tuple[ScriptStep, ...] | None, prompt: str = PROMPT) -> AgentRun:
    return AgentRun(UUID(int=1), UUID(int=2), 1, prompt, TaskOptions(script=script))


class ScriptedRuns:
    def answering(self) -> AgentRun:
        return scripted_run((Say("Reading the test. "), Say("It waits ", repeat=2), Say("on a timer.")))

    def using_tools(self) -> AgentRun:
        return scripted_run(
            (
                Say("Looking. "),
                UseTool("Read", {"path": "tests/test_login.py"}, "def test_login(): ..."),
                UseTool("Bash", {"command": "pytest -q"}, "1 passed"),
                Say("Fixed."),
            )
        )

    def failing(self, *, retryable: bool) -> AgentRun:
        return scripted_run((Say("Trying. "), Fail("the model is overloaded", retryable)))

    def stalling(self, *, forever: bool) -> AgentRun:
        return scripted_run((Hang(),) if forever else (Sleep(3_600),))


class AnthropicRuns:
    """Each behaviour is a reply the Messages API double gives to every request carrying its marker.

    The runner runs no tools: a reply asking for them ends the run, each call answered "not run".
    The double holds a stalled stream until the client hangs up, so "a long while" is "forever" here.
    """

    def __init__(self, api: MessagesApiDouble) -> None:
        self._api = api

    def answering(self) -> AgentRun:
        return self._run("(answering)", Reply(Text("Reading the test. ", "It waits ", "It waits ", "on a timer.")))

    def using_tools(self) -> AgentRun:
        reply = Reply(
            Text("Looking. "),
            ToolUse("Read", {"path": "tests/test_login.py"}),
            ToolUse("Bash", {"command": "pytest -q"}),
        )
        return self._run("(using tools)", reply)

    def failing(self, *, retryable: bool) -> AgentRun:
        if retryable:
            return self._run("(failing, retryable)", Reply(Text("Trying. ", "More."), interrupted=StreamError(4)))
        return self._run("(failing, final)", Failure(400, "invalid_request_error", "max_tokens: too large"))

    def stalling(self, *, forever: bool) -> AgentRun:
        return self._run("(stalling)", Reply(Text("never sent"), interrupted=Stall(after=0)))

    def _run(self, marker: str, turn: Turn) -> AgentRun:
        self._api.route(marker, turn)
        return AgentRun(UUID(int=1), UUID(int=2), 1, f"{PROMPT}\n{marker}", TaskOptions())


class ClaudeCodeRuns:
    """The real CLI against the double. A behaviour is routed by the marker anywhere in the
    conversation, since a later request of a run ends with tool results, not with the prompt; the CLI
    really runs the tools, in the task's directory, with file edits allowed."""

    def __init__(self, api: MessagesApiDouble) -> None:
        self._api = api

    def answering(self) -> AgentRun:
        return self._run("(answering)", Reply(Text("Reading the test. ", "It waits ", "It waits ", "on a timer.")))

    def using_tools(self) -> AgentRun:
        asking = Reply(
            Text("Looking. "),
            ToolUse("Write", {"file_path": "NOTES.md", "content": "It waits on a timer.\n"}),
            ToolUse("Glob", {"pattern": "*.md"}),
        )
        self._api.route(_asked("(using tools)", answered_tools=True), Reply(Text("Fixed.")))
        return self._run("(using tools)", asking, PermissionMode.ACCEPT_EDITS)

    def failing(self, *, retryable: bool) -> AgentRun:
        if retryable:
            return self._run("(failing, retryable)", OVERLOADED)
        return self._run("(failing, final)", Failure(400, "invalid_request_error", "messages: bad order"))

    def stalling(self, *, forever: bool) -> AgentRun:
        return self._run("(stalling)", Reply(Text("never sent"), interrupted=Stall(after=1)))

    def _run(self, marker: str, turn: Turn, mode: PermissionMode = PermissionMode.DEFAULT) -> AgentRun:
        self._api.route(_asked(marker, answered_tools=False), turn)
        return AgentRun(UUID(int=1), UUID(int=2), 1, f"{PROMPT}\n{marker}", TaskOptions(permission_mode=mode))


def _asked(marker: str, *, answered_tools: bool) -> Callable[[Any], bool]:
    """Accepts the requests of a conversation that carries the marker, before or after tool results."""

    def accepts(body: Any) -> bool:
        said = json.dumps(body.get("messages", []))
        return marker in said and ('"tool_result"' in said) is answered_tools

    return accepts


@dataclass(frozen=True)
class Adapter:
    gateway: AgentGateway
    runs: Runs
    unsupported: Mapping[str, str] = field(default_factory=dict)
    """Test name → why this adapter cannot keep that promise."""


def anthropic_adapter(request: pytest.FixtureRequest) -> Adapter:
    api: MessagesApiDouble = request.getfixturevalue("messages_api")
    return Adapter(AnthropicRunner(api_key="test-key", base_url=api.base_url), AnthropicRuns(api))


def claude_code_adapter(request: pytest.FixtureRequest) -> Adapter:
    api: MessagesApiDouble = request.getfixturevalue("messages_api")
    tmp_path = request.getfixturevalue("tmp_path")
    runner = ClaudeCodeRunner(
        work_dir=tmp_path / "work",
        sandbox=sandbox(),
        binary=claude_binary(),
        env=offline_env(api, tmp_path / "home"),
        grace_s=3.0,
    )
    unsupported = {
        "test_two_runs_of_the_same_request_give_the_same_events": (
            "the CLI gives every run a session id of its own (asked to reuse one, it refuses it as in use)"
        )
    }
    return Adapter(runner, ClaudeCodeRuns(api), unsupported)


ADAPTERS: dict[str, Callable[[pytest.FixtureRequest], Adapter]] = {
    "scripted": lambda _: Adapter(ScriptedRunner(), ScriptedRuns()),
    "anthropic-api": anthropic_adapter,
    "claude-code": claude_code_adapter,
}


@pytest.fixture(params=sorted(ADAPTERS))
def adapter(request: pytest.FixtureRequest) -> Adapter:
    return ADAPTERS[request.param](request)


@pytest.fixture
def gateway(adapter: Adapter, request: pytest.FixtureRequest) -> AgentGateway:
    reason = adapter.unsupported.get(request.node.originalname)
    if reason is not None:
        pytest.skip(f"not for this adapter: {reason}")
    return adapter.gateway


@pytest.fixture
def runs(adapter: Adapter) -> Runs:
    return adapter.runs


async def events_of(gateway: AgentGateway, run: AgentRun) -> list[AgentEvent]:
    async with asyncio.timeout(RUN_LIMIT_S):
        return [event async for event in gateway.run(run)]


def terminals(events: list[AgentEvent]) -> list[AgentEvent]:
    return [event for event in events if isinstance(event, TERMINAL_EVENTS)]


ANSWERING = pytest.param(lambda runs: runs.answering(), id="answering")
USING_TOOLS = pytest.param(lambda runs: runs.using_tools(), id="using-tools")
FAILING = pytest.param(lambda runs: runs.failing(retryable=True), id="failing")
Behaviour = Callable[[Runs], AgentRun]


@pytest.mark.parametrize("behaviour", [ANSWERING, USING_TOOLS, FAILING])
async def test_a_run_starts_with_a_session(gateway: AgentGateway, runs: Runs, behaviour: Behaviour) -> None:
    events = await events_of(gateway, behaviour(runs))
    assert isinstance(events[0], SessionStarted) and events[0].session_id


@pytest.mark.parametrize("behaviour", [ANSWERING, USING_TOOLS])
async def test_a_successful_run_ends_with_exactly_one_terminal_event_its_last(
    gateway: AgentGateway, runs: Runs, behaviour: Behaviour
) -> None:
    events = await events_of(gateway, behaviour(runs))
    assert terminals(events) == [events[-1]] and isinstance(events[-1], RunCompleted)


@pytest.mark.parametrize("behaviour", [ANSWERING, USING_TOOLS])
async def test_the_output_is_the_text_deltas_joined(gateway: AgentGateway, runs: Runs, behaviour: Behaviour) -> None:
    events = await events_of(gateway, behaviour(runs))
    completed = events[-1]
    assert isinstance(completed, RunCompleted) and completed.output
    assert completed.output == "".join(event.text for event in events if isinstance(event, TextDelta))


@pytest.mark.parametrize("retryable", [False, True])
async def test_a_failing_run_ends_with_one_run_failed_carrying_the_retryable_flag(
    gateway: AgentGateway, runs: Runs, retryable: bool
) -> None:
    events = await events_of(gateway, runs.failing(retryable=retryable))
    failed = events[-1]
    assert terminals(events) == [failed] and isinstance(failed, RunFailed)
    assert failed.retryable is retryable and failed.code and failed.message


@pytest.mark.parametrize("behaviour", [ANSWERING, USING_TOOLS, FAILING])
async def test_the_terminal_usage_is_the_last_usage_reported_and_never_negative(
    gateway: AgentGateway, runs: Runs, behaviour: Behaviour
) -> None:
    run = behaviour(runs)
    events = await events_of(gateway, run)
    terminal = events[-1]
    assert isinstance(terminal, RunCompleted | RunFailed)
    reported = [event.usage for event in events if isinstance(event, UsageReported)]
    if reported:
        assert terminal.usage == reported[-1]
    for usage in [*reported, terminal.usage]:
        if usage is not None:
            assert min(usage.input_tokens, usage.output_tokens, usage.cost_usd) >= 0, usage


async def test_every_tool_call_is_followed_by_its_return(gateway: AgentGateway, runs: Runs) -> None:
    events = await events_of(gateway, runs.using_tools())
    calls = [(index, event) for index, event in enumerate(events) if isinstance(event, ToolCalled)]
    assert calls, "the tool-using run called no tool"
    for index, call in calls:
        later = [event for event in events[index + 1 :] if isinstance(event, ToolReturned)]
        assert call.tool_use_id in [returned.tool_use_id for returned in later], call


@pytest.mark.parametrize("forever", [False, True], ids=["long-sleep", "hang"])
async def test_closing_a_stalled_run_early_returns_promptly_and_raises_nothing(
    gateway: AgentGateway, runs: Runs, forever: bool
) -> None:
    stream = gateway.run(runs.stalling(forever=forever))
    assert isinstance(await anext(stream), SessionStarted)
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.2)
    assert not waiting.done(), "the run was meant to stall"
    started = time.monotonic()
    waiting.cancel()  # as the use case stops a run: cancel the pending read, then close the stream
    await asyncio.gather(waiting, return_exceptions=True)
    await stream.aclose()  # type: ignore[attr-defined]
    assert time.monotonic() - started < 1.0


async def test_two_runs_of_the_same_request_give_the_same_events(gateway: AgentGateway, runs: Runs) -> None:
    run = runs.using_tools()
    assert await events_of(gateway, run) == await events_of(gateway, run)


async def test_scripted_without_a_script_answers_in_chunks_that_mention_the_prompt() -> None:
    events = await events_of(ScriptedRunner(), scripted_run(None))
    chunks = [event.text for event in events if isinstance(event, TextDelta)]
    assert len(chunks) >= 2 and PROMPT.splitlines()[0] in "".join(chunks)
    assert isinstance(events[-1], RunCompleted)


async def test_scripted_abort_ends_the_stream_with_no_terminal_event() -> None:
    events = await events_of(ScriptedRunner(), scripted_run((Say("Starting. "), Abort(), Say("never said"))))
    assert isinstance(events[0], SessionStarted) and terminals(events) == []
    assert [event.text for event in events if isinstance(event, TextDelta)] == ["Starting. "]
