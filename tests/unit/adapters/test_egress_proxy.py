"""The egress proxy keeps listening for as long as its process lives, whatever event loop it runs on."""

from __future__ import annotations

import asyncio
import gc
import socket

import uvloop

from agentry.adapters.bubblewrap.egress_proxy import EgressProxy


def test_the_proxy_still_answers_after_garbage_collections_on_uvloop() -> None:
    """A worker process runs uvloop, where a server nothing refers to is collected and closed: sandboxes
    then met a refused socket (their runs failing with ECONNRESET) in some runs and not others."""
    policy = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        proxy = EgressProxy()
        path = str(proxy.socket_path)
    finally:
        asyncio.set_event_loop_policy(policy)
    for _ in range(3):
        gc.collect()
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(5)
            client.connect(path)
            client.sendall(b"GET /v1/models HTTP/1.1\r\nhost: x\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.1 401"), "refused without a token, but answered"
