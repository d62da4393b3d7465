"""A three-turn chat against the Messages API double, answered by the real Claude Code CLI (sandboxed:
each turn after the first resumes the agent session) and by the Anthropic API runner (the chain's
history sent back each turn): the third turn's request carries the first two exchanges, and the
history lists the six messages in order, with turn 2's tool call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from agentry.adapters.runners.anthropic_api import TOOL_NOT_RUN, AnthropicRunner
from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.application.chat.history import ChatHistory, HistoryPage
from agentry.application.chat.send_message import SendMessage, SendMessageCommand
from agentry.application.chat.sessions import CancelTurn
from agentry.application.tasks.ports.agent_gateway import AgentGateway
from agentry.domain.chat.session import TurnStatus
from tests.doubles.claude_cli import claude_binary, offline_env, sandbox
from tests.doubles.messages_api import MessagesApiDouble, Reply, Stall, Text, ToolUse
from tests.fakes.app import ALICE, TEAM, FakeApp
from tests.integration.processes import MARKER_VARIABLE, processes_marked

ASKED = ("[one] Why is the login test red?", "[two] Which markdown files are there?", "[three] Thanks, and now?")


def _asked(marker: str, *, answered_tools: bool) -> Any:
    """The requests of the turn whose message carries the marker, before or after its tool results."""

    def accepts(body: Any) -> bool:
        after_marker = json.dumps(body.get("messages", [])).split(marker)[-1]
        return _latest_turn(body) == marker and ('"tool_result"' in after_marker) is answered_tools

    return accepts


def _latest_turn(body: Any) -> str | None:
    said = json.dumps(body.get("messages", []))
    present = [m for m in ("[one]", "[two]", "[three]") if m in said]
    return present[-1] if present else None


Converse = Callable[[str, AgentGateway], Awaitable[HistoryPage]]


@pytest.fixture
def three_turns(messages_api: MessagesApiDouble) -> Converse:
    """The replies of the three turns routed (turn two's asks for a tool); then, on the runner given, a
    chat of the three messages, each turn run in order, answers the session's history, checked to list
    the six messages in order, all completed."""
    messages_api.route(_asked("[one]", answered_tools=False), Reply(Text("It races the writer.")))
    messages_api.route(
        _asked("[two]", answered_tools=False), Reply(Text("Looking. "), ToolUse("Glob", {"pattern": "*.md"}))
    )
    messages_api.route(_asked("[three]", answered_tools=False), Reply(Text("Add a flush.")))

    async def converse(name: str, runner: AgentGateway) -> HistoryPage:
        app = FakeApp()
        app.runners = StaticRunnerCatalog({name: runner}, default=name, confined={name})
        send = app.use(SendMessage)
        first = await send(ALICE, SendMessageCommand(ASKED[0], project_id=TEAM))
        for message in ASKED[1:]:
            await send(ALICE, SendMessageCommand(message, first.session.id))
        for _ in ASKED:
            await app.relay()
            await app.run_next()
            await app.settle()
        page = await app.use(ChatHistory)(ALICE, first.session.id)
        assert [(m.turn, m.role) for m in page.items] == [(n, r) for n in (1, 2, 3) for r in ("user", "assistant")]
        assert [m.text for m in page.items if m.role == "user"] == list(ASKED)
        assert all(m.status is TurnStatus.COMPLETED for m in page.items), [
            (m.status, m.error_message) for m in page.items
        ]
        return page

    return converse


async def test_three_turns_on_the_claude_code_cli_resume_one_session(
    messages_api: MessagesApiDouble, three_turns: Converse, tmp_path: Path
) -> None:
    runner = ClaudeCodeRunner(
        work_dir=tmp_path / "work",
        sandbox=sandbox(),
        binary=claude_binary(),
        env=offline_env(messages_api, tmp_path / "home"),
        grace_s=3.0,
    )
    messages_api.route(_asked("[two]", answered_tools=True), Reply(Text("None yet.")))

    page = await three_turns("claude-code", runner)

    third = next(r for r in messages_api.message_requests if _latest_turn(r.body) == "[three]")
    said = json.dumps(third.body["messages"])
    for earlier in (ASKED[0], "It races the writer.", ASKED[1], "None yet."):
        assert earlier in said, f"the third turn's request does not carry {earlier!r}"
    assert [m.text for m in page.items if m.role == "assistant"] == [
        "It races the writer.",
        "Looking. None yet.",
        "Add a flush.",
    ]
    assert [(c.name, c.input) for c in page.items[3].tool_calls] == [("Glob", {"pattern": "*.md"})]
    assert page.items[3].tool_calls[0].result is not None


async def test_three_turns_on_the_anthropic_api_runner_send_the_history_back(
    messages_api: MessagesApiDouble, three_turns: Converse
) -> None:
    runner = AnthropicRunner(api_key="test-key", base_url=messages_api.base_url)

    page = await three_turns("anthropic-api", runner)

    assert len(messages_api.message_requests) == 3
    third = messages_api.message_requests[2].body["messages"]
    assert [(m["role"], m["content"]) for m in third] == [
        ("user", ASKED[0]),
        ("assistant", "It races the writer."),
        ("user", ASKED[1]),
        ("assistant", "Looking. "),
        ("user", ASKED[2]),
    ]
    assert [m.text for m in page.items if m.role == "assistant"] == [
        "It races the writer.",
        "Looking. ",
        "Add a flush.",
    ]
    assert [(c.name, c.input, c.result) for c in page.items[3].tool_calls] == [
        ("Glob", {"pattern": "*.md"}, TOOL_NOT_RUN)
    ]


async def test_cancelling_a_turn_mid_answer_ends_it_and_leaves_no_process(
    messages_api: MessagesApiDouble, tmp_path: Path
) -> None:
    marker = uuid4().hex
    env = offline_env(messages_api, tmp_path / "home") | {MARKER_VARIABLE: marker}
    runner = ClaudeCodeRunner(
        work_dir=tmp_path / "work", sandbox=sandbox(), binary=claude_binary(), env=env, grace_s=3.0
    )
    messages_api.enqueue(Reply(Text("never sent"), interrupted=Stall(after=1)))
    app = FakeApp()
    app.runners = StaticRunnerCatalog({"claude-code": runner}, default="claude-code", confined={"claude-code"})
    sent = await app.use(SendMessage)(ALICE, SendMessageCommand("Take your time", project_id=TEAM))
    await app.relay()
    running = asyncio.ensure_future(app.run_next())
    await _until(lambda: bool(messages_api.message_requests), 60)
    assert processes_marked(marker), "the CLI was meant to be running"

    await app.use(CancelTurn)(ALICE, sent.session.id)
    async with asyncio.timeout(15):
        await running
    await app.settle()

    assert app.db.chat_turns[sent.turn.id].status is TurnStatus.CANCELLED
    assert not processes_marked(marker)


async def _until(check: Any, within_s: float) -> None:
    async with asyncio.timeout(within_s):
        while not check():  # noqa: ASYNC110 (a condition in another thread's server: polled)
            await asyncio.sleep(0.05)
