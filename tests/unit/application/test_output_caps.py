"""Caps on what a run stores, applied while it streams: the result's output and each log line are clipped
with a visible marker, and past its allowance of lines the agent's later lines are dropped, saying so.
A 100 KB request that says 100 MB leaves a bounded result, and the worker's memory stays bounded."""

from __future__ import annotations

import tracemalloc
from typing import Any

from agentry.application.tasks.run.run_settings import OutputCaps
from agentry.domain.tasks.clipping import utf8_size
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind, LogLevel
from agentry.domain.tasks.script import Say, UseTool
from tests.fakes.app import FakeApp

SMALL = OutputCaps(result_max_bytes=2_000, log_line_max_bytes=1_000, log_lines_max=20)


async def ran(app: FakeApp, *script: Any) -> Any:
    task = await app.submit(script=script)
    await app.relay()
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    return task


def log_of(app: FakeApp, task_id: Any) -> list[Any]:
    return [line for (t, _, _), line in sorted(app.db.logs.items(), key=lambda kv: kv[0]) if t == task_id]


async def test_the_result_and_a_long_line_are_clipped_with_a_marker_saying_how_much_was_left_out() -> None:
    app = FakeApp(output=SMALL)
    task = await ran(app, Say("A" * 50_000), UseTool("Read", {}, "B" * 5_000))

    [result] = [r for r in app.db.results.values() if r.task_id == task.id]
    assert utf8_size(result.output) <= 2_000
    assert result.output.startswith("A" * 1_000) and result.output.endswith(" more characters]")
    assert "…[clipped: 48," in result.output
    said = next(line for line in log_of(app, task.id) if line.kind is LogKind.ASSISTANT)
    tool = next(line for line in log_of(app, task.id) if line.kind is LogKind.TOOL_RESULT)
    for line in (said, tool):
        assert utf8_size(line.message) <= 1_000 and "…[clipped: " in line.message
        assert line.data["truncated"] is True
    assert said.message.endswith("…[clipped: 49,064 more characters]")


async def test_past_its_allowance_of_lines_the_agents_lines_are_dropped_and_the_log_says_so() -> None:
    app = FakeApp(output=SMALL)
    task = await ran(app, *(UseTool("Bash", {"n": i}, f"out {i}") for i in range(30)))

    lines = log_of(app, task.id)
    agent = [line for line in lines if line.kind in (LogKind.TOOL_USE, LogKind.TOOL_RESULT)]
    assert len(agent) == 20 - 1, "the session line counts too"
    notice = [line for line in lines if "reached its limit of 20 lines" in line.message]
    assert len(notice) == 1 and notice[0].level is LogLevel.WARNING
    ending = lines[-1]
    assert ending.kind is LogKind.RESULT and ending.data["dropped_lines"] == 1 + 2 * 30 - 20
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))


async def test_a_short_request_that_says_a_hundred_megabytes_keeps_the_workers_memory_bounded() -> None:
    app = FakeApp()  # the default caps: 1 MiB per result, 64 KiB per line
    tracemalloc.start()
    try:
        task = await ran(app, Say("A" * 100_000, repeat=1_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    [result] = [r for r in app.db.results.values() if r.task_id == task.id]
    assert utf8_size(result.output) <= 1 << 20 and result.output.endswith("more characters]")
    # Bounded: about 16 MiB of the caps' buffers and the fakes' copies (it varies with what else the
    # process allocates), never the 95 MiB the run said.
    assert peak < 32 << 20, f"peak {peak / (1 << 20):.1f} MiB while the run said 95 MiB"
    [execution] = [e for e in app.db.executions.values() if e.task_id == task.id]
    assert execution.usage.output_tokens == 100_000 * 1_000 // 4, "usage counts all that was said"
