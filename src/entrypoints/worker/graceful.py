"""A worker's runs and their stop requests: one subscription per process, and graceful shutdown.

On SIGTERM, Dramatiq's worker process stops its worker threads taking messages, waits for the
messages in progress (up to `--worker-shutdown-timeout`), puts back the messages it had fetched but
not started, and exits. Its async actors are not told anything (the ShutdownNotifications middleware
interrupts only actors that ask for it, by cancelling their coroutine, which would leave nothing
recorded). So this middleware gives the runs in progress `grace_s` to finish, then asks each to stop
with the reason "shutdown": the run loop stops its runner, ends the execution `failed` with the code
`worker_shutdown` and puts the task back in the queue through the outbox, its attempt given back.
Dramatiq's own time-out is set above the grace (see `shutdown_timeout_ms`), so it does not give up first.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import dramatiq
from dramatiq.asyncio import get_event_loop_thread

from agentry.adapters.channels.run_signals import RunSignalHub
from agentry.adapters.channels.stop_requests import StopRequestListener
from agentry.application.tasks.ports.run_signals import StopReason
from agentry.entrypoints.config import Settings

log = logging.getLogger("agentry.worker")
# After the grace period: the runners stop (a Claude Code process group gets claude_grace_s between
# SIGTERM and SIGKILL) and the executions are written; this much more before Dramatiq gives up.
RECORDING_MARGIN_S = 15.0
LISTENER_STOP_TIMEOUT_S = 5.0
# systemd (KillMode=control-group), `kill -TERM -<pgid>` and a terminal's process group send SIGTERM to
# every process of `agentry worker`; its main process then forwards its own to each worker process, which
# so gets two at once. Dramatiq takes a second SIGTERM as "exit now", raises SystemExit while its
# threads still run, and the process then hangs in the interpreter's exit, waiting for them. A repeat
# within this long is the same stop; a later one (an operator insisting) ends the process at once.
REPEATED_SIGTERM_S = 5.0
EXIT_NOW = 1  # Dramatiq's RET_KILLED


def take_sigterm_once(
    now: Callable[[], float] = time.monotonic, exit_now: Callable[[int], Any] = os._exit
) -> Callable[[int, FrameType | None], None]:
    """In a Dramatiq worker process (its main thread, after Dramatiq set its handler): SIGTERM starts the
    graceful stop once; the duplicate a process-group SIGTERM brings is ignored. The handler installed."""
    dramatiq_handler = signal.getsignal(signal.SIGTERM)
    received_at: float | None = None

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal received_at
        if received_at is None:
            received_at = now()
            if callable(dramatiq_handler):
                dramatiq_handler(signum, frame)
            elif dramatiq_handler == signal.SIG_DFL:  # not under Dramatiq's CLI: the default action, as before
                exit_now(EXIT_NOW)
        elif now() - received_at < REPEATED_SIGTERM_S:
            log.info("SIGTERM again (to the process group and from the main process): already stopping")
        else:
            log.warning("SIGTERM again: exiting now; runs in progress are found lost and re-queued")
            logging.shutdown()
            exit_now(EXIT_NOW)

    signal.signal(signal.SIGTERM, handler)
    return handler


def shutdown_timeout_ms(settings: Settings) -> int:
    """How long Dramatiq waits for its worker threads on shutdown (`--worker-shutdown-timeout`)."""
    return int((settings.shutdown_grace_s + settings.claude_grace_s + RECORDING_MARGIN_S) * 1000)


class GracefulShutdown(dramatiq.Middleware):
    """Add it after the event-loop middleware (AsyncIO or SharedEventLoop), so that the loop still
    runs when this one's after-shutdown hook stops the listener."""

    def __init__(self, hub: RunSignalHub, grace_s: float, listener: StopRequestListener | None = None) -> None:
        self._hub = hub
        self._grace_s = grace_s
        self._listener = listener
        self._listening: asyncio.Task[None] | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        if self._listener is not None:
            self._listening = asyncio.run_coroutine_threadsafe(self._listen(), _loop()).result(timeout=10)

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        """Dramatiq calls this first on shutdown, before it stops its worker threads; it must not block."""
        log.warning(
            "worker stopping: takes no more work; %d running execution(s) get up to %gs to finish",
            self._hub.running,
            self._grace_s,
        )
        loop = _loop()
        loop.call_soon_threadsafe(loop.call_later, self._grace_s, self._interrupt)

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        if self._listening is not None:
            future = asyncio.run_coroutine_threadsafe(_cancel(self._listening), _loop())
            future.result(timeout=LISTENER_STOP_TIMEOUT_S)
            self._listening = None

    async def _listen(self) -> asyncio.Task[None]:
        assert self._listener is not None
        return asyncio.create_task(self._listener.run(), name="stop-requests")

    def _interrupt(self) -> None:
        stopped = self._hub.stop_all(StopReason.SHUTDOWN)
        if stopped:
            log.warning(
                "shutdown grace period (%gs) over: interrupting %d execution(s); their tasks go back to the queue",
                self._grace_s,
                stopped,
            )


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def _loop() -> asyncio.AbstractEventLoop:
    thread = get_event_loop_thread()
    if thread is None:
        raise RuntimeError("the event-loop middleware must come before GracefulShutdown")
    return thread.loop
