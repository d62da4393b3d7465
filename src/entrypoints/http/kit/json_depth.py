"""How deeply a JSON text nests, read from its raw bytes before anything decodes it.

A decoder recurses once per level: a body of ten thousand `[` exhausts Python's recursion limit
inside it (a 500 and a traceback). The scan below is linear and runs in C: strings go first (so
brackets inside them do not count; an unterminated string runs to the end, as the decoder would
read it, and the decoder then refuses the body anyway), then everything but brackets, then a running
sum over the brackets left. A body with no more opening brackets than the limit, strings included
(most bodies), is let through after counting them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import cache
from itertools import accumulate
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.utils.scope.state import ScopeState

from agentry.entrypoints.http.kit.validators import refuse_nul

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_OPENERS = b"[{"
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = [0] * 256
for _opener in _OPENERS:
    _STEP[_opener] = 1
for _closer in b"]}":
    _STEP[_closer] = -1
SETTING = "AGENTRY_MAX_JSON_DEPTH"


class JsonTooDeep(Exception):
    """A JSON text nested deeper than the limit: refused (422) before it is decoded."""

    code = "json_too_deep"

    def __init__(self, limit: int, what: str = "the JSON body") -> None:
        super().__init__(f"{what} is nested deeper than {limit} levels, the limit ({SETTING})")
        self.limit = limit


def nesting_depth(data: bytes | str) -> int:
    """The deepest level of arrays and objects: 0 for a scalar, 1 for `[]` or `{"a": 1}`."""
    return max(accumulate(map(_STEP.__getitem__, _brackets(data))), default=0)


def exceeds_depth(data: bytes | str, limit: int) -> bool:
    raw = _bytes(data)
    if raw.count(b"[") + raw.count(b"{") <= limit:  # most bodies: nothing to scan
        return False
    brackets = _brackets(raw)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return False
    return max(accumulate(map(_STEP.__getitem__, brackets))) > limit


def require_depth(data: bytes | str, limit: int, what: str = "the JSON body") -> None:
    if exceeds_depth(data, limit):
        raise JsonTooDeep(limit, what)


def depth_check(limit: int) -> Callable[[Request[Any, Any, Any]], Awaitable[None]]:
    """A `before_request` hook: a route that takes a body gets it only once its nesting was checked, and
    once no string in it holds a NUL character (the body is read here, within the size limit, and kept
    for the route); a JSON body is decoded here, once, strictly (`decode_strictly`)."""

    async def check_depth(request: Request[Any, Any, Any]) -> None:
        data = request.route_handler.parsed_fn_signature.parameters.get("data")
        if data is not None:
            body = await request.body()
            require_depth(body, limit)
            refuse_nul_in_json(body)
            decode_strictly(body, data.annotation, request)

    return check_depth


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def _brackets(data: bytes | str) -> bytes:
    return _STRING.sub(b"", _bytes(data)).translate(None, _NOT_BRACKETS)


def refuse_nul_in_json(body: bytes) -> None:
    """A NUL character anywhere in a JSON body's strings (keys too) is refused (422), naming where:
    PostgreSQL cannot store it. JSON can only carry it escaped, so most bodies are let through unread."""
    if b"\\u0000" not in body:
        return
    try:
        decoded = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return  # the route's decoder refuses it, saying why
    refuse_nul(decoded)


def decode_strictly(body: bytes, body_type: Any, request: Request[Any, Any, Any]) -> None:
    """A body is read as strictly as the document states its types, and read once. Litestar converts
    leniently (`0` for `false`, `"1"` for `1`): such a body is refused here (422), naming the field, as the
    route's own decoder refuses any other value of the wrong type. The value decoded here is kept in the
    connection's scope, where Litestar's JSON extractor takes it instead of decoding the body again (its
    conversion to the signature hands a value of the right type back as it is). What is not JSON is left
    to that decoder, which refuses it saying why."""
    decoder = _strict_decoder(body_type)
    if decoder is None:
        return
    try:
        value = decoder.decode(body)
    except msgspec.ValidationError as error:
        value = _with_whole_floats_as_ints(body, body_type)
        if value is not _REFUSED:
            ScopeState.from_scope(request.scope).json = value
            return
        message, _, where = str(error).partition(" - at `$")
        key = where.rstrip("`").lstrip(".") or None
        detail = f"Validation failed for {request.method} {request.url.path}"
        raise ValidationException(detail, extra=[{"message": message, "key": key, "source": "body"}]) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        return
    ScopeState.from_scope(request.scope).json = value


_REFUSED = object()


def _with_whole_floats_as_ints(body: bytes, body_type: Any) -> Any:
    """JSON Schema counts `30.0` as an integer (a number whose fraction is zero), msgspec's strict decoder
    does not: a body it refused is read once more with such numbers as ints, and still strictly. Only
    refused bodies pay for this."""
    try:
        return msgspec.convert(_whole_floats_as_ints(msgspec.json.decode(body)), body_type, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError):
        return _REFUSED


def _whole_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_floats_as_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_floats_as_ints(item) for item in value]
    return value


@cache
def _strict_decoder(body_type: Any) -> msgspec.json.Decoder[Any] | None:
    try:
        return msgspec.json.Decoder(body_type, strict=True)
    except TypeError:  # a body type msgspec cannot read: Litestar's decoder reads it
        return None
