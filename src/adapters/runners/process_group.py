"""Ending a run's process group: SIGTERM, SIGKILL after a grace period, and whatever is left."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal


async def exit_code_of(process: asyncio.subprocess.Process, grace_s: float) -> int | None:
    """The exit code, once the output is done or the result has come; None if it does not exit in the
    grace period (the group is stopped in any case)."""
    try:
        return await asyncio.wait_for(process.wait(), grace_s)
    except TimeoutError:
        return None


async def stop_group(process: asyncio.subprocess.Process, grace_s: float) -> None:
    """SIGTERM to the run's process group, SIGKILL if the CLI outlives the grace period; then SIGKILL
    to whatever else of the group (a command the agent started) is still there once the CLI is gone.
    Such an orphan is init's child by then: it is gone for good once init reaps it."""
    if process.returncode is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            _signal_group(process.pid, signal.SIGKILL)
            await process.wait()
    _signal_group(process.pid, signal.SIGKILL)


def _signal_group(group: int, signal_number: signal.Signals) -> None:
    # PermissionError: a member that changed its user; nothing more can be done about it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal_number)
