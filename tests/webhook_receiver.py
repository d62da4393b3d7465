"""A real HTTP receiver of webhooks on loopback, for the tests: it keeps every request it gets and
answers each with the next status of its script (then 200), on a thread of its own."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def verified_by(self, secret: str) -> Any:
        """The body, if `secret` verifies one of its signatures (raises otherwise)."""
        return Webhook(secret).verify(self.body, self.headers)

    @property
    def json(self) -> Any:
        import json

        return json.loads(self.body)


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: list[int | tuple[int, dict[str, str]]] = []
        self.delay_s = 0.0
        self.on_receive: Callable[[Received], None] | None = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                got = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)
                with receiver._lock:
                    receiver.received.append(got)
                    answer = receiver.script.pop(0) if receiver.script else 200
                status, headers = answer if isinstance(answer, tuple) else (answer, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                if receiver.on_receive is not None:
                    receiver.on_receive(got)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def of_type(self, event_type: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.json.get("type") == event_type]

    async def wait_for(self, check: Callable[[list[Received]], bool], deadline_s: float = 20.0) -> list[Received]:
        until = time.monotonic() + deadline_s
        while time.monotonic() < until:
            with self._lock:
                got = list(self.received)
            if check(got):
                return got
            await asyncio.sleep(0.05)
        pytest.fail(
            f"the receiver did not get what was expected in {deadline_s} s; it got {len(got)}: "
            f"{[r.json.get('type') for r in got]}"
        )


@contextmanager
def receiving() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
