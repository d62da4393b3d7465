"""HTTP caching of reads: `Cache-Control` on every GET and HEAD answer, and on the task reads (one task,
the list, an execution's log lines, the result) an `ETag` with `If-None-Match` answered by a 304.

Answers are per user (they depend on the bearer token): `private, no-cache`, so only the client's own
cache keeps them, and it asks again each time, with the ETag; an unchanged answer then comes back as a
304 without a body. Routes whose answers hold a secret set `no-store` themselves (security_headers.py),
which is kept. The ETag is a digest of the answer's body, which changes exactly when the answer does,
unless the route set one itself: one task's read tags its answer with the task row's version (see
`version_tag`) and answers a matching If-None-Match with a 304 before it builds any body.
"""

from __future__ import annotations

import hashlib
import re

import msgspec
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, OpenAPIType, Schema
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

READ_METHODS = ("GET", "HEAD")
PRIVATE = b"private, no-cache"
_UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
VALIDATED = re.compile(rf"^/api/v1/tasks(/{_UUID}(/logs|/result)?)?/?$")
VALIDATED_OPERATIONS = (
    "/api/v1/tasks",
    "/api/v1/tasks/{task_id}",
    "/api/v1/tasks/{task_id}/logs",
    "/api/v1/tasks/{task_id}/result",
)
# Headers a 304 leaves out (RFC 9110 15.4.5): it has no body.
_BODY_HEADERS = frozenset({b"content-length", b"content-type", b"content-encoding", b"transfer-encoding"})


def entity_tag(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'


def version_tag(version: int, representation: str) -> str:
    """A tag for an answer made from one row alone: its version (bumped by every write of the row) and
    the representation's own tag (which changes with the answer's fields)."""
    return f'"v{version}.{representation}"'


def representation_tag(body_type: type) -> str:
    """A digest of the answer's JSON schema (nested types included): a new field, a renamed one or a
    changed type gives every answer a new tag, so no client keeps an answer of the old shape."""
    schema = msgspec.json.encode(msgspec.json.schema(body_type), order="deterministic")
    return hashlib.blake2b(schema, digest_size=4).hexdigest()


def matches(if_none_match: bytes, tag: bytes) -> bool:
    """Weak comparison, as If-None-Match asks (RFC 9110 13.1.2): `W/` prefixes do not matter."""
    if if_none_match.strip() == b"*":
        return True
    return any(candidate.strip().removeprefix(b"W/") == tag for candidate in if_none_match.split(b","))


def caching_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] not in READ_METHODS:
            await app(scope, receive, send)
            return
        if scope["method"] != "GET" or not VALIDATED.match(scope["path"]):  # HEAD: no body to tag
            await app(scope, receive, _with_cache_control(send))
            return
        if_none_match = next((value for name, value in scope["headers"] if name == b"if-none-match"), None)
        await app(scope, receive, _validating(send, if_none_match))

    return middleware


def _cache_control(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    if any(name.lower() == b"cache-control" for name, _ in headers):
        return headers  # the route's own (no-store where a secret is in the answer)
    return [*headers, (b"cache-control", PRIVATE)]


def _with_cache_control(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = _cache_control(list(message.get("headers", [])))
        await send(message)

    return sending


def _validating(send: Send, if_none_match: bytes | None) -> Send:
    """Holds the answer until its body is complete (these answers are small pages), to tag it."""
    start: HTTPResponseStartEvent | None = None
    chunks: list[bytes] = []

    async def sending(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(chunks)
        status, headers = start["status"], _cache_control(list(start.get("headers", [])))
        own = next((value for name, value in headers if name.lower() == b"etag"), None)
        if status == 304:  # the route compared the tags itself
            headers = [(name, value) for name, value in headers if name.lower() not in _BODY_HEADERS]
        elif status == 200:
            tag = own or entity_tag(body)
            if own is None:
                headers.append((b"etag", tag))
            if if_none_match is not None and matches(if_none_match, tag):
                status, body = 304, b""
                headers = [(name, value) for name, value in headers if name.lower() not in _BODY_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return sending


def document_validation(app: Litestar) -> None:
    """The OpenAPI document lists the 304 of the validated reads."""
    not_modified = OpenAPIResponse(
        description="Not modified: the answer would be the one whose ETag the request gave in If-None-Match",
        headers={"ETag": OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING), description="the answer's tag")},
    )
    paths = app.openapi_schema.paths or {}
    for path in VALIDATED_OPERATIONS:
        operation = paths[path].get if path in paths else None
        if operation is not None:
            operation.responses = {**(operation.responses or {}), "304": not_modified}
