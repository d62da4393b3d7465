"""Dramatiq's async actors on an event loop that already runs (the API's, in the embedded profile).

Dramatiq's AsyncIO middleware starts a loop of its own. In one process that would mean a second
database engine on a second loop, and SQLite writers from two connections sleeping in its busy
handler. Borrowing the API's loop lets the in-process workers share its container, its engine and
its one SQLite connection: writers then queue on the pool instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import dramatiq
from dramatiq.asyncio import EventLoopThread, set_event_loop_thread


class BorrowedLoop(EventLoopThread):
    """Looks like Dramatiq's event-loop thread, but runs coroutines on a loop someone else runs."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        threading.Thread.__init__(self, daemon=True)
        self.loop = loop
        self.logger = logging.getLogger("agentry.worker")
        self.interrupt_check_ival = 0.1

    def start(self, *, timeout: float | None = None) -> None:
        """Nothing to start: the owner runs the loop."""

    def stop(self) -> None:
        """Nothing to stop: the owner stops the loop."""


class SharedEventLoop(dramatiq.Middleware):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def before_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        set_event_loop_thread(BorrowedLoop(self._loop))

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        set_event_loop_thread(None)
