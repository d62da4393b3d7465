"""The API server accepts a burst of connections within a few turns of a busy event loop (uvloop's
own server accepts one per turn: 1,000 connections opened at once waited seconds in the kernel's queue)."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import uvicorn
import uvloop

from agentry.entrypoints.draining_server import ACCEPT_BATCH, DrainingServer
from agentry.entrypoints.serve_processes import listening_socket

BURST = 200
TURN_S = 0.01  # every turn of the loop takes this long: a loop busy with requests


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})


async def burst_accepted_after(server: DrainingServer, sock: socket.socket) -> float:
    """Seconds from opening BURST connections at once until the server holds all of them."""
    loop = asyncio.get_running_loop()
    busy = True

    def turn() -> None:
        time.sleep(TURN_S)
        if busy:
            loop.call_soon(turn)

    await server.startup([sock])
    clients = []
    try:
        loop.call_soon(turn)
        opened = time.monotonic()
        for _ in range(BURST):
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(sock.getsockname())  # in progress: the kernel completes it, queued for accept
            clients.append(client)
        while len(server.server_state.connections) < BURST and time.monotonic() - opened < 10:  # noqa: ASYNC110 (polled)
            await asyncio.sleep(0.005)
        took = time.monotonic() - opened
        assert len(server.server_state.connections) == BURST
        return took
    finally:
        busy = False
        for client in clients:
            client.close()
        await server.shutdown([sock])


def test_a_burst_of_connections_is_accepted_in_a_few_turns_of_a_busy_loop() -> None:
    config = uvicorn.Config(app, loop="uvloop", lifespan="on", log_level="warning", timeout_graceful_shutdown=1)
    config.load()
    server = DrainingServer(config, asyncio.Event())
    server.lifespan = config.lifespan_class(config)  # as uvicorn's serve() does before its start
    sock = listening_socket("127.0.0.1", 0)
    took = uvloop.run(burst_accepted_after(server, sock))
    one_per_turn = BURST * TURN_S  # 2 s
    turns = BURST / ACCEPT_BATCH + 1
    assert took < min(one_per_turn / 2, 4 * turns * TURN_S + 0.2), f"{BURST} connections accepted in {took:.2f}s"
