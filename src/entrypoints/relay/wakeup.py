"""Wakes the relays when a commit wrote something for them (queue jobs due now, domain events), or
asks them to stop; from any thread."""

from __future__ import annotations

import asyncio
import threading


class Signal:
    """A nudge from any thread to the one event loop that listens."""

    def __init__(self) -> None:
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
    """`jobs` wakes the job relay, `events` the event relay; `stop` ends both after their current pass."""

    def __init__(self) -> None:
        self.jobs = Signal()
        self.events = Signal()
        self.stopping = False

    def stop(self) -> None:
        self.stopping = True
        self.jobs.notify()
        self.events.notify()
