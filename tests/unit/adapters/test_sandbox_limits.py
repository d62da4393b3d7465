"""The bubblewrap sandbox's watch over a run's limits, and the egress proxy's metering, without bwrap."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agentry.adapters.bubblewrap.egress_proxy import Metered, UsageReader
from agentry.adapters.bubblewrap.limits import MIB, LimitWatch, descendants
from agentry.application.tasks.ports.sandbox import SandboxLimits

ROOMY = SandboxLimits(memory_mib=1 << 20, processes=1 << 20, cpu_s=1 << 20, file_size_mib=4, workspace_mib=8)


def test_a_file_at_the_size_limit_and_a_workspace_at_its_limit_are_named(tmp_path: Path) -> None:
    workspace, home = tmp_path / "workspace", tmp_path / "home"
    workspace.mkdir()
    home.mkdir()
    watch = LimitWatch(ROOMY, None, (workspace, home))
    (workspace / "small.bin").write_bytes(b"x" * (ROOMY.file_size_mib * MIB - 1))
    assert watch.files() is None and watch.at_end() is None

    for name in ("a.bin", "b.bin"):
        (home / name).write_bytes(b"x" * (2 * MIB + 1))
    assert watch.files() == "the workspace reached the sandbox's size limit of 8 MiB"  # its HOME counts

    with (workspace / "cut.bin").open("wb") as cut:
        cut.truncate(ROOMY.file_size_mib * MIB)  # sparse: the size counts, not the blocks
    assert watch.at_end() == "a file reached the sandbox's file size limit of 4 MiB"


async def test_the_process_tree_is_watched_for_threads_and_memory() -> None:
    child = await asyncio.create_subprocess_exec("sleep", "30")
    try:
        tree = descendants(os.getpid())
        assert {os.getpid(), child.pid} <= tree.keys() and all(threads >= 1 for threads, _, _ in tree.values())
        assert sum(rss for _, rss, _ in tree.values()) > 0
        few = SandboxLimits(memory_mib=1 << 20, processes=2, cpu_s=1 << 20, file_size_mib=1, workspace_mib=1)
        message = await LimitWatch(few, None, ()).broken_limit(os.getpid())
        assert message == "the sandbox's limit of 2 processes (threads included) was reached"
        small = SandboxLimits(memory_mib=1, processes=1 << 20, cpu_s=1 << 20, file_size_mib=1, workspace_mib=1)
        message = await LimitWatch(small, None, ()).broken_limit(child.pid)
        assert message == "the sandbox's memory limit of 1 MiB was reached"
    finally:
        child.kill()
        await child.wait()


def sse(*events: dict[str, object]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


MESSAGE = sse(
    {"type": "message_start", "message": {"usage": {"input_tokens": 120, "output_tokens": 1,
                                                    "cache_read_input_tokens": 7}}},
    {"type": "content_block_delta", "delta": {"text": "usage: not this"}},
    {"type": "message_delta", "usage": {"output_tokens": 35}},
    {"type": "message_stop"},
)  # fmt: skip


@given(st.lists(st.integers(min_value=0, max_value=len(MESSAGE)), max_size=8))
def test_streamed_usage_adds_up_the_same_however_the_stream_is_cut(cuts: list[int]) -> None:
    metered = Metered()
    reader = UsageReader(metered, streamed=True)
    bounds = [0, *sorted(cuts), len(MESSAGE)]
    for start, end in itertools.pairwise(bounds):
        reader.feed(MESSAGE[start:end])
    reader.close()
    assert metered.tokens == {
        "input_tokens": 120, "output_tokens": 35, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 7,
    }  # fmt: skip


def test_a_whole_message_and_several_streamed_ones_are_added_up() -> None:
    metered = Metered()
    whole = UsageReader(metered, streamed=False)
    whole.feed(json.dumps({"usage": {"input_tokens": 5, "output_tokens": 6}}).encode())
    whole.close()
    twice = UsageReader(metered, streamed=True)
    twice.feed(MESSAGE + MESSAGE)
    twice.close()
    assert (metered.tokens["input_tokens"], metered.tokens["output_tokens"]) == (245, 76)
