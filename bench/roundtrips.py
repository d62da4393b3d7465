"""A TCP proxy that counts round trips: a client message sent after the server last spoke."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Counter:
    round_trips: int = 0
    connections: int = 0


class RoundTripProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.counter = Counter()
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.counter.connections += 1
        server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        turn = {"client_speaks": False}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, from_client: bool) -> None:
            try:
                while data := await reader.read(65536):
                    if from_client and not turn["client_speaks"]:
                        self.counter.round_trips += 1
                    turn["client_speaks"] = from_client
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        # A loop that ends with the connection open cancels this: ended quietly (asyncio's stream callback asks
        # a cancelled task for its exception, which raises, and printed a traceback per connection)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False))


def proxy_for(url: str) -> RoundTripProxy:
    """A proxy (not started) in front of the PostgreSQL that `url` names."""
    parts = urlsplit(url)
    return RoundTripProxy(parts.hostname or "127.0.0.1", parts.port or 5432)


def through(url: str, port: int) -> str:
    """`url`, its credentials kept, pointing at the proxy listening on `port` instead."""
    netloc = urlsplit(url).netloc
    user = netloc.rpartition("@")[0]
    return url.replace(netloc, f"{user}@127.0.0.1:{port}" if user else f"127.0.0.1:{port}")
