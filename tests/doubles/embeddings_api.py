"""A stand-in for an OpenAI-compatible embeddings server: a real HTTP server on 127.0.0.1.

`POST /v1/embeddings` with `{model, input}` answers `{object: "list", data: [{embedding, index}], model,
usage}`. A vector is a hashed bag of words (each lower-cased word adds 1 at two positions chosen by its
hash), not normalised, so texts that share words are similar and the client's normalisation is tested.
The rows come back in reverse order (each with its `index`), as a server may send them. Scripted
failures (`fail_next`) answer an error status with OpenAI's error body; every request is recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import socket
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import uvicorn

EMBEDDINGS_PATH = "/v1/embeddings"
STARTUP_LIMIT_S = 10.0
WORD = re.compile(r"\w+")

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def hashed_vector(text: str, dimension: int) -> list[float]:
    vector = [0.0] * dimension
    for word in WORD.findall(text.lower()):
        digest = hashlib.sha256(word.encode()).digest()
        vector[int.from_bytes(digest[:4], "big") % dimension] += 1.0
        vector[int.from_bytes(digest[4:8], "big") % dimension] += 0.5
    if not any(vector):
        vector[0] = 1.0
    return vector


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Failure:
    status: int
    message: str = "scripted failure"
    body: bytes | None = None  # sent as it is, instead of OpenAI's error document


class EmbeddingsApiDouble:
    """Use as `with EmbeddingsApiDouble(dimension=64) as api:` and point the client at `api.base_url`."""

    def __init__(self, dimension: int = 64, model: str = "double-embed") -> None:
        self.dimension = dimension
        self.model = model
        self.requests: list[RecordedRequest] = []
        self.wrong_dimension = False  # answer vectors one element short
        self._failures: deque[Failure] = deque()
        self._lock = threading.Lock()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/v1"
        config = uvicorn.Config(self._app, interface="asgi3", lifespan="off", log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name="embeddings-api", daemon=True)

    def fail_next(self, *failures: Failure) -> None:
        with self._lock:
            self._failures.extend(failures)

    def __enter__(self) -> EmbeddingsApiDouble:
        self._thread.start()
        if not self._ready.wait(STARTUP_LIMIT_S):
            raise RuntimeError("the embeddings API double did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(STARTUP_LIMIT_S)

    async def _serve(self) -> None:
        self._ready.set()
        await self._server.serve(sockets=[self._socket])

    async def _app(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        self.requests.append(RecordedRequest(scope["path"], headers, body))
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
        if failure is not None:
            error = {"error": {"message": failure.message, "type": "invalid_request_error"}}
            await _send(send, failure.status, failure.body if failure.body is not None else json.dumps(error).encode())
            return
        if scope["method"] != "POST" or scope["path"] != EMBEDDINGS_PATH:
            await _send(send, 404, b'{"error": {"message": "not found"}}')
            return
        if not isinstance(body, dict) or not isinstance(body.get("input"), list | str):
            await _send(send, 400, b'{"error": {"message": "input is required"}}')
            return
        texts = [body["input"]] if isinstance(body["input"], str) else body["input"]
        size = self.dimension - 1 if self.wrong_dimension else self.dimension
        rows = [
            {"object": "embedding", "index": index, "embedding": hashed_vector(text, self.dimension)[:size]}
            for index, text in enumerate(texts)
        ]
        reply = {
            "object": "list",
            "data": list(reversed(rows)),
            "model": body.get("model", self.model),
            "usage": {"prompt_tokens": 0, "total_tokens": 0},
        }
        await _send(send, 200, json.dumps(reply).encode())


async def _send(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})
