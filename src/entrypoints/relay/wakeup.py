"""Wakes the outbox relay when a commit wrote queue jobs, or asks it to stop; from any thread."""

from __future__ import annotations

import asyncio
import threading


class RelayWakeup:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self.stopping = False

    def bind(self) -> asyncio.Event:
        """Called by the relay on its own event loop; notifications then reach that loop."""
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._event = asyncio.Event()
            return self._event

    def stop(self) -> None:
        """The relay finishes the pass it is in and returns."""
        self.stopping = True
        self.notify()

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
