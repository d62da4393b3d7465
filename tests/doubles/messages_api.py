"""A stand-in for the Anthropic Messages API: a real HTTP server on 127.0.0.1 that answers with
scripted turns and records every request it receives.

`POST /v1/messages` (also with `?beta=true`, as the Claude Code CLI calls it) answers with the next
turn. A Reply is streamed as the API streams it when the request asks for `stream: true`
(message_start, ping, content_block_start/delta/stop per block, message_delta with the cumulative
usage and the stop reason, message_stop), and sent as one JSON message otherwise; a streamed reply
can be broken off mid-way (stall, cut, garbage, dropped connection, `error` event). A Failure is an error status with
the API's error body. `POST /v1/messages/count_tokens` answers with an estimate and any other path
with a harmless `{}`, since the CLI calls more than the Messages endpoint; all are recorded.

Turns come from routes first (every request whose last user message contains a marker, or that a
predicate accepts, gets the route's turn, as often as it is asked), then from a queue, then a plain
"nothing was scripted" reply.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn

MESSAGES_PATH = "/v1/messages"
COUNT_TOKENS_PATH = "/v1/messages/count_tokens"
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}
STARTUP_LIMIT_S = 10.0

AsgiMessage = dict[str, Any]
Receive = Callable[[], Awaitable[AsgiMessage]]
Send = Callable[[AsgiMessage], Awaitable[None]]
Event = tuple[str, dict[str, Any]]


@dataclass(frozen=True, init=False)
class Text:
    """A text block, streamed as one text_delta per piece."""

    pieces: tuple[str, ...]

    def __init__(self, *pieces: str) -> None:
        object.__setattr__(self, "pieces", pieces)


@dataclass(frozen=True)
class ToolUse:
    """A tool_use block, its input streamed as input_json_delta pieces. Without an id, the block's
    position names it, so a repeated reply repeats its ids."""

    name: str
    input: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None


Block = Text | ToolUse


@dataclass(frozen=True)
class Stall:
    """After `after` events, send nothing more until the client hangs up or the double closes."""

    after: int


@dataclass(frozen=True)
class Cut:
    """After `after` events, end the response cleanly: a stream without message_stop."""

    after: int


@dataclass(frozen=True)
class Garble:
    """After `after` events, send an event whose data is not JSON, then end the response."""

    after: int


@dataclass(frozen=True)
class Drop:
    """After `after` events, drop the connection mid-response, as a failing network does (the server
    logs the deliberate error that aborts the response)."""

    after: int


@dataclass(frozen=True)
class StreamError:
    """After `after` events, send an `error` event, as the API does when it is overloaded mid-stream."""

    after: int
    type: str = "overloaded_error"
    message: str = "Overloaded"


Interruption = Stall | Cut | Garble | Drop | StreamError


@dataclass(frozen=True, init=False)
class Reply:
    """One assistant message. The stop reason defaults to tool_use when a block is a ToolUse and to
    end_turn otherwise; the model, to the one the request named. `interrupted` applies when streamed."""

    content: tuple[Block, ...]
    stop_reason: str | None
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    model: str | None
    interrupted: Interruption | None

    def __init__(
        self,
        *content: Block,
        stop_reason: str | None = None,
        input_tokens: int = 10,
        output_tokens: int = 20,
        cache_creation_input_tokens: int = 0,
        cache_read_input_tokens: int = 0,
        model: str | None = None,
        interrupted: Interruption | None = None,
    ) -> None:
        values = {
            "content": content,
            "stop_reason": stop_reason,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_creation_input_tokens": cache_creation_input_tokens,
            "cache_read_input_tokens": cache_read_input_tokens,
            "model": model,
            "interrupted": interrupted,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def final_stop_reason(self) -> str:
        if self.stop_reason is not None:
            return self.stop_reason
        return "tool_use" if any(isinstance(block, ToolUse) for block in self.content) else "end_turn"

    @property
    def usage(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "output_tokens": self.output_tokens,
        }


@dataclass(frozen=True)
class Failure:
    """An error status with the API's error body."""

    status: int
    type: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)


Turn = Reply | Failure

OVERLOADED = Failure(529, "overloaded_error", "Overloaded")
RATE_LIMITED = Failure(429, "rate_limit_error", "This request would exceed the rate limit", {"retry-after": "1"})
UNSCRIPTED = Reply(Text("No reply was scripted for this request."))


class DroppedOnPurpose(Exception):
    """Raised inside the server to make it abort a response, as only an error can in ASGI."""


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: Any
    """The decoded JSON body; the raw text when it is not JSON; None when empty."""
    client_left: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)
    """Set when the client hung up on a stalled stream."""


class MessagesApiDouble:
    """Use as `with MessagesApiDouble() as api:` and point the client at `api.base_url`."""

    def __init__(self, unscripted: Turn = UNSCRIPTED) -> None:
        self.requests: list[RecordedRequest] = []
        self._unscripted = unscripted
        self._queue: deque[Turn] = deque()
        self._routes: list[tuple[str | Callable[[Any], bool], Turn]] = []
        self._lock = threading.Lock()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(
            self._app, interface="asgi3", lifespan="off", log_level="warning", access_log=False,
            timeout_graceful_shutdown=2,
        )  # fmt: skip
        self._server = uvicorn.Server(config)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name="messages-api", daemon=True)

    def enqueue(self, *turns: Turn) -> None:
        """Answer the next Messages requests with these turns, in order, once each."""
        with self._lock:
            self._queue.extend(turns)

    def route(self, when: str | Callable[[Any], bool], turn: Turn) -> None:
        """Answer with `turn` every Messages request whose last user message contains `when`, or, for a
        callable, whose body it accepts (say, the requests that declare no tools)."""
        with self._lock:
            self._routes.append((when, turn))

    @property
    def message_requests(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == MESSAGES_PATH]

    def __enter__(self) -> MessagesApiDouble:
        self._thread.start()
        if not self._ready.wait(STARTUP_LIMIT_S):
            raise RuntimeError("the Messages API double did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._loop is not None and self._closing is not None
        self._loop.call_soon_threadsafe(self._closing.set)  # releases stalled streams
        self._server.should_exit = True
        self._thread.join(STARTUP_LIMIT_S)

    async def _serve(self) -> None:
        self._loop, self._closing = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        await self._server.serve(sockets=[self._socket])

    async def _app(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        raw = await _read_body(receive)
        request = RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            query=scope["query_string"].decode(),
            headers={name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]},
            body=_decode(raw),
        )
        self.requests.append(request)
        if request.method == "POST" and request.path == MESSAGES_PATH:
            await self._answer(request, receive, send, number=len(self.requests))
        elif request.path == COUNT_TOKENS_PATH:
            await _send_json(send, 200, {"input_tokens": math.ceil(len(raw) / 4)})
        else:
            await _send_json(send, 200, {})

    async def _answer(self, request: RecordedRequest, receive: Receive, send: Send, number: int) -> None:
        turn = self._next_turn(request.body)
        headers = {"request-id": f"req_double_{number:04d}"}
        if isinstance(turn, Failure):
            error = {"type": "error", "error": {"type": turn.type, "message": turn.message}}
            await _send_json(send, turn.status, error, {**headers, **turn.headers})
            return
        body = request.body if isinstance(request.body, dict) else {}
        message_id, model = f"msg_double_{number:04d}", turn.model or str(body.get("model", "claude-double"))
        if not body.get("stream"):
            await _send_json(send, 200, _message(turn, message_id, model), headers)
            return
        await _start(send, 200, {**SSE_HEADERS, **headers})
        events = _events(turn, message_id, model)
        broken = turn.interrupted
        for name, data in events[: broken.after if broken else len(events)]:
            await _chunk(send, _sse(name, data))
        match broken:
            case Stall():
                await self._hold(receive, request)
            case Garble():
                await _chunk(send, b"event: content_block_delta\ndata: {this is not json\n\n")
            case Drop():
                raise DroppedOnPurpose("the script drops this connection")
            case StreamError(_, error_type, message):
                await _chunk(send, _sse("error", {"type": "error", "error": {"type": error_type, "message": message}}))
        await send({"type": "http.response.body", "body": b""})

    def _next_turn(self, body: Any) -> Turn:
        said = _last_user_text(body)
        with self._lock:
            for when, turn in self._routes:
                if (when in said) if isinstance(when, str) else when(body):
                    return turn
            return self._queue.popleft() if self._queue else self._unscripted

    async def _hold(self, receive: Receive, request: RecordedRequest) -> None:
        assert self._closing is not None
        left = asyncio.ensure_future(_disconnected(receive))
        closing = asyncio.ensure_future(self._closing.wait())
        await asyncio.wait((left, closing), return_when=asyncio.FIRST_COMPLETED)
        if left.done():
            request.client_left.set()
        for waiting in (left, closing):
            waiting.cancel()


def _events(reply: Reply, message_id: str, model: str) -> list[Event]:
    opening = {**_message(reply, message_id, model), "content": [], "stop_reason": None}
    opening["usage"] = {**reply.usage, "output_tokens": min(1, reply.output_tokens)}
    events = [_event("message_start", message=opening), _event("ping")]
    for index, block in enumerate(reply.content):
        events.append(_event("content_block_start", index=index, content_block=_opening_block(block, index)))
        events += [_event("content_block_delta", index=index, delta=delta) for delta in _deltas(block)]
        events.append(_event("content_block_stop", index=index))
    delta = {"stop_reason": reply.final_stop_reason, "stop_sequence": None}
    events += [_event("message_delta", delta=delta, usage=reply.usage), _event("message_stop")]
    return events


def _message(reply: Reply, message_id: str, model: str) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [_whole_block(block, index) for index, block in enumerate(reply.content)],
        "stop_reason": reply.final_stop_reason,
        "stop_sequence": None,
        "usage": reply.usage,
    }


def _opening_block(block: Block, index: int) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "text": ""}
    return {"type": "tool_use", "id": _tool_use_id(block, index), "name": block.name, "input": {}}


def _whole_block(block: Block, index: int) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "text": "".join(block.pieces)}
    return {"type": "tool_use", "id": _tool_use_id(block, index), "name": block.name, "input": dict(block.input)}


def _deltas(block: Block) -> list[dict[str, Any]]:
    if isinstance(block, Text):
        return [{"type": "text_delta", "text": piece} for piece in block.pieces]
    encoded = json.dumps(dict(block.input))
    middle = len(encoded) // 2
    return [{"type": "input_json_delta", "partial_json": part} for part in ("", encoded[:middle], encoded[middle:])]


def _tool_use_id(block: ToolUse, index: int) -> str:
    return block.id or f"toolu_double_{index:02d}"


def _event(kind: str, **fields: Any) -> Event:
    return kind, {"type": kind, **fields}


def _sse(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def _last_user_text(body: Any) -> str:
    messages = body.get("messages") if isinstance(body, dict) else None
    users = [message for message in messages or () if isinstance(message, dict) and message.get("role") == "user"]
    if not users:
        return ""
    content = users[-1].get("content")
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content or () if isinstance(block, dict))


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _start(send: Send, status: int, headers: Mapping[str, str]) -> None:
    encoded = [(name.encode(), value.encode()) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": encoded})


async def _chunk(send: Send, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _send_json(send: Send, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
    await _start(send, status, {"content-type": "application/json", **(headers or {})})
    await send({"type": "http.response.body", "body": json.dumps(payload).encode()})
