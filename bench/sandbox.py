"""What the bubblewrap sandbox costs a Claude Code run: the real CLI (the pinned one, or
AGENTRY_CLAUDE_PATH) against the Messages API double, one tool call (Bash `true`) and a final answer,
run after run, taking turns: in the sandbox (bwrap, the egress proxy, the limit watch, and a new
HOME per workspace, as a new task has), unconfined (AGENTRY_SANDBOX=none: the operator's HOME, warm),
and unconfined with a new HOME per run (what the sandbox's per-workspace HOME costs by itself: the
CLI sets up a HOME on its first run there).

    uv run python bench/sandbox.py [--runs 50]

Prints, for each, the median and p95 of a run's wall time (from the runner's start to its last
event), and the sandbox's overhead over both unconfined ways: the difference of the medians and of
the p95s. Needs no database: it measures the runner alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the import path, and its http.py would shadow the
# standard library's `http` package: the folder leaves the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.doubles.claude_cli import INSTALLED, offline_env, sandbox
from tests.doubles.messages_api import MessagesApiDouble, Reply, Text, ToolUse

from agentry.adapters.runners.claude_code import ClaudeCodeRunner
from agentry.adapters.system.unconfined_sandbox import UnconfinedSandbox
from agentry.application.tasks.ports.agent_gateway import AgentRun, RunCompleted
from agentry.application.tasks.ports.sandbox import Sandbox
from agentry.domain.tasks.spec import TaskOptions

SANDBOXED, UNCONFINED, FRESH_HOME = "bubblewrap", "none", "none, fresh HOME"
MODES = (SANDBOXED, UNCONFINED, FRESH_HOME)


async def one_run(api: MessagesApiDouble, mode: str, chosen: Sandbox, work: Path, binary: str) -> float:
    api.enqueue(Reply(ToolUse("Bash", {"command": "true"})), Reply(Text("Done.")))
    home = work / "homes" / uuid.uuid4().hex if mode == FRESH_HOME else work / "operator-home"
    runner = ClaudeCodeRunner(work_dir=work / "work", sandbox=chosen, binary=binary, env=offline_env(api, home))
    run = AgentRun(
        uuid.uuid4(), uuid.uuid4(), 1, "Go.", TaskOptions(model="claude-sonnet-4-6", allowed_tools=("Bash",))
    )
    started = time.perf_counter()
    events = [event async for event in runner.run(run)]
    took = time.perf_counter() - started
    if not isinstance(events[-1], RunCompleted):
        raise SystemExit(f"a run did not complete: {events[-1]}")
    return took


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main(runs: int) -> None:
    binary = str(INSTALLED)
    sandboxes: dict[str, Sandbox] = {SANDBOXED: sandbox(), UNCONFINED: UnconfinedSandbox()}
    sandboxes[FRESH_HOME] = sandboxes[UNCONFINED]
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    with MessagesApiDouble() as api, tempfile.TemporaryDirectory(prefix="agentry-bench-sandbox-") as directory:
        for mode in MODES:  # warm: the page cache, the proxy's thread, the operator's HOME
            await one_run(api, mode, sandboxes[mode], Path(directory), binary)
        for number in range(runs):
            order = MODES if number % 2 == 0 else MODES[::-1]
            for mode in order:
                times[mode].append(await one_run(api, mode, sandboxes[mode], Path(directory), binary))
    print(f"{runs} runs each of the real CLI against the double (one Bash call, two turns), taking turns")
    for mode in MODES:
        median_ms, p95_ms = statistics.median(times[mode]) * 1000, percentile(times[mode], 0.95) * 1000
        print(f"{mode:>16}: median {median_ms:7.1f} ms   p95 {p95_ms:7.1f} ms")
    for baseline in (UNCONFINED, FRESH_HOME):
        median = statistics.median(times[SANDBOXED]) - statistics.median(times[baseline])
        p95 = percentile(times[SANDBOXED], 0.95) - percentile(times[baseline], 0.95)
        print(f"overhead vs {baseline}: median {median * 1000:+7.1f} ms   p95 {p95 * 1000:+7.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    asyncio.run(main(parser.parse_args().runs))
