"""uvicorn, told to tell open streams that the process is stopping, and accepting connections in batches.

On SIGTERM or Ctrl-C uvicorn stops accepting connections and waits for those open to finish. An SSE
or WebSocket stream never finishes by itself: without a word it would be cut, with an error logged,
once the drain time is up. Setting `draining` as the signal arrives lets each end itself cleanly.

Accepting: uvloop (libuv) accepts one connection per turn of the event loop. A loop busy with many
requests turns every few tens of milliseconds, so 1,000 connections opened at once waited in the
kernel's queue for seconds (500 per process took 6 s under the flood benchmark, and the first request
of each waited that long). `BatchAcceptor` accepts up to ACCEPT_BATCH of them at each turn instead.
A bounded batch keeps what the shared socket of `--workers N` gives: the process that turns sooner
(the less busy one) takes more of the new connections, but no one process takes a whole burst.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import sys
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("agentry")
ACCEPT_BATCH = 32  # connections accepted per turn of the event loop, at most
# Out of file descriptors or memory: the connection stays queued, and the next turn tries again.
RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


class BatchAcceptor:
    """Serves `sock` (listening, maybe shared with other processes): each time it is readable, up to
    `batch` connections are accepted and handed to `protocol_factory`. Has what uvicorn uses of an
    asyncio Server: close() and wait_closed()."""

    def __init__(self, sock: socket.socket, protocol_factory: Any, batch: int = ACCEPT_BATCH) -> None:
        self._loop = asyncio.get_running_loop()
        self._sock = sock
        self._factory = protocol_factory
        self._batch = batch
        self._opening: set[asyncio.Task[Any]] = set()
        self._serving = True
        sock.setblocking(False)
        self._loop.add_reader(sock.fileno(), self._accept)

    def _accept(self) -> None:
        for _ in range(self._batch):
            try:
                conn, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return  # none left (another process took it), or one reset before its turn
            except OSError as error:
                if error.errno not in RESOURCE_ERRORS:
                    raise
                log.warning("cannot accept a connection: %s", error.strerror)
                return
            conn.setblocking(False)
            task = self._loop.create_task(self._open(conn))
            self._opening.add(task)
            task.add_done_callback(self._opening.discard)

    async def _open(self, conn: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._factory, conn)
        except OSError:  # reset before it could be set up
            conn.close()

    def close(self) -> None:
        if self._serving:
            self._serving = False
            self._loop.remove_reader(self._sock.fileno())

    async def wait_closed(self) -> None:
        if self._opening:
            await asyncio.gather(*self._opening, return_exceptions=True)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, draining: asyncio.Event) -> None:
        super().__init__(config)
        self._draining = draining
        self._loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[object] | None = None) -> None:  # type: ignore[override]
        self._loop = asyncio.get_running_loop()
        await super().serve(sockets)  # type: ignore[arg-type]

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's start on sockets already listening, with a `BatchAcceptor` on each for its server."""
        if sockets is None or self.config.ssl is not None:
            await super().startup(sockets)
            return
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        config = self.config

        def create_protocol() -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        self.servers = [BatchAcceptor(sock, create_protocol) for sock in sockets]  # type: ignore[misc]
        self.started = True

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._draining.set)  # from a signal handler: not in the loop
        super().handle_exit(sig, frame)
