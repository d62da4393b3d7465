"""The scripted runner: a deterministic, offline agent for first runs, demos and tests.

It follows the task's `options.script` (say, sleep, tool, fail, spend, hang, abort); without a script
it answers the prompt in a few streamed chunks. A tool the run may not use (its project restricts
tools) answers with an error, as a tool missing from Claude Code's set would. No model is called: a
run costs only what its `spend` steps say, so spending caps can be tried offline. The output it
gathers for its result is kept within `output_max_bytes` (the rest is counted, and marked as left
out): a short script that says a lot cannot make it build gigabytes.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from uuid import NAMESPACE_URL, uuid5

from agentry.adapters.runners.tools import tool_names
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
from agentry.domain.tasks.clipping import TextClipper
from agentry.domain.tasks.script import Abort, Fail, Hang, Say, ScriptStep, Sleep, Spend, UseTool
from agentry.domain.tasks.usage import Usage

MODEL = "scripted"
OUTPUT_MAX_BYTES = 1 << 20


class ScriptedRunner:
    needs_history = False  # it says what its script says

    def __init__(self, output_max_bytes: int = OUTPUT_MAX_BYTES) -> None:
        self._output_max_bytes = output_max_bytes

    async def run(self, request: AgentRun) -> AsyncIterator[AgentEvent]:
        session_id = str(uuid5(NAMESPACE_URL, f"agentry:scripted:{request.task_id}:{request.attempt}"))
        yield SessionStarted(session_id, request.options.model or MODEL)
        steps = request.options.script if request.options.script is not None else default_script(request.prompt)
        said = Said(self._output_max_bytes)
        turns = 1
        cost = 0.0
        for index, step in enumerate(steps):
            match step:
                case Say(text, repeat):
                    for _ in range(repeat):
                        said.add(text)
                        yield TextDelta(text)
                case Sleep(seconds):
                    await asyncio.sleep(seconds)
                case UseTool(name, tool_input, output):
                    turns += 1
                    tool_use_id = f"toolu_{index:04d}"
                    yield ToolCalled(tool_use_id, name, dict(tool_input))
                    if request.tools is not None and name not in tool_names(request.tools):
                        yield ToolReturned(tool_use_id, f"{name} is not among the tools this run may use", True)
                    else:
                        yield ToolReturned(tool_use_id, output)
                case Fail(message, retryable, times) if times is None or request.attempt <= times:
                    yield RunFailed("agent_failed", message, retryable, _usage(request.prompt, said, cost))
                    return
                case Fail():  # it failed the attempts it was to fail
                    continue
                case Spend(usd):
                    cost += usd
                    yield UsageReported(_usage(request.prompt, said, cost))
                case Hang():
                    await asyncio.Event().wait()
                case Abort():
                    return
        usage = _usage(request.prompt, said, cost)
        yield UsageReported(usage)
        yield RunCompleted(said.output.text(), usage, session_id, num_turns=turns)


def default_script(prompt: str) -> tuple[ScriptStep, ...]:
    first_line = next((line.strip() for line in prompt.splitlines() if line.strip()), "")
    if len(first_line) > 200:
        first_line = first_line[:199] + "…"
    return (
        Say("Scripted runner: no model was called. "),
        Say(f"I received a prompt of {len(prompt)} characters, "),
        Say(f"beginning with: {first_line}"),
    )


class Said:
    """What the run said: its output within the cap, and how many characters it said in all."""

    def __init__(self, max_bytes: int) -> None:
        self.output = TextClipper(max_bytes)
        self.characters = 0

    def add(self, text: str) -> None:
        self.output.add(text)
        self.characters += len(text)


def _usage(prompt: str, said: Said, cost_usd: float) -> Usage:
    """Tokens estimated at four characters each, as a stand-in for a real tokenizer."""
    return Usage(math.ceil(len(prompt) / 4), math.ceil(said.characters / 4), cost_usd)
