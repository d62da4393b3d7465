"""Wakes the relays when a commit wrote something for them (queue jobs due now, domain events), or
asks them to stop; from any thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable


class Signal:
    """A nudge from any thread to the one event loop that listens; `also` is told too (it carries the
    nudge to other processes)."""

    def __init__(self, also: Callable[[], None] | None = None) -> None:
        self._also = also
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def bind(self) -> asyncio.Event:
        """Called by the listener on its own event loop; notifications then reach that loop."""
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._event = asyncio.Event()
            return self._event

    def notify(self) -> None:
        if self._also is not None:
            self._also()
        with self._lock:
            loop, event = self._loop, self._event
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)


class RelayWakeup:
    """`jobs` wakes the job relay, `events` the event relay; `stop` ends both after their current pass.
    `events_elsewhere` tells the event relays of other processes (a worker runs none of its own)."""

    def __init__(self, events_elsewhere: Callable[[], None] | None = None) -> None:
        self.jobs = Signal()
        self.events = Signal(events_elsewhere)
        self.stopping = False

    def stop(self) -> None:
        self.stopping = True
        self.jobs.notify()
        self.events.notify()
