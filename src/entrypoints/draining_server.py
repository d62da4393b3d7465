"""uvicorn, told to tell open streams that the process is stopping.

On SIGTERM or Ctrl-C uvicorn stops accepting connections and waits for those open to finish. An SSE
or WebSocket stream never finishes by itself: without a word it would be cut, with an error logged,
once the drain time is up. Setting `draining` as the signal arrives lets each end itself cleanly.
"""

from __future__ import annotations

import asyncio
from types import FrameType

import uvicorn


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, draining: asyncio.Event) -> None:
        super().__init__(config)
        self._draining = draining
        self._loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[object] | None = None) -> None:  # type: ignore[override]
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)  # type: ignore[arg-type]

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._draining.set)  # from a signal handler: not in the loop
        super().handle_exit(sig, frame)
