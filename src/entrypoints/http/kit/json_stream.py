"""JSON written as it is read: objects and arrays whose members arrive lazily, so a large document
(the account export) streams out without ever being whole in memory."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable

import msgspec

Chunks = AsyncIterator[bytes]
Value = bytes | Chunks  # a JSON value already encoded, or one still being written

_encoder = msgspec.json.Encoder()
WRITE_SIZE = 64 * 1024


def encode(value: object) -> bytes:
    return _encoder.encode(value)


async def json_object(members: Iterable[tuple[str, Value]]) -> Chunks:
    """An object of these members, in order; a lazy member is written only when its turn comes."""
    yield b"{"
    for index, (name, value) in enumerate(members):
        yield (b"," if index else b"") + encode(name) + b":"
        async for chunk in _chunks(value):
            yield chunk
    yield b"}"


async def json_array(elements: AsyncIterable[Value]) -> Chunks:
    yield b"["
    first = True
    async for element in elements:
        if not first:
            yield b","
        first = False
        async for chunk in _chunks(element):
            yield chunk
    yield b"]"


async def buffered(chunks: Chunks, size: int = WRITE_SIZE) -> Chunks:
    """The same bytes in writes of about `size`: one per small piece would make a send per piece."""
    pending: list[bytes] = []
    length = 0
    async for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)


async def _chunks(value: Value) -> Chunks:
    if isinstance(value, bytes):
        yield value
    else:
        async for chunk in value:
            yield chunk
