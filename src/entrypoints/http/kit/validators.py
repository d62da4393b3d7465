"""Checks and field constraints the slices share: no NUL characters, moments PostgreSQL can store, an email address."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from litestar.connection import ASGIConnection
from litestar.exceptions import ValidationException
from litestar.params import CookieParameter, HeaderParameter
from msgspec import Meta

from agentry.domain.emails import EMAIL_MAX
from agentry.domain.errors import InvalidValue

if TYPE_CHECKING:
    from litestar.handlers import BaseRouteHandler
    from litestar.types import ASGIApp, Receive, Scope, Send

# ASCII only: the domain also refuses look-alike scripts and invisible characters, which no pattern
# can say; an address in ASCII has none of them, so the pattern is the whole rule.
EMAIL_PATTERN = r"^\s*[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"  # spaces around: cut
Email = Annotated[str, Meta(min_length=3, max_length=EMAIL_MAX, pattern=EMAIL_PATTERN, examples=["ada@example.com"])]


def require_utc_range(field: str, value: datetime | None) -> None:
    """The database keeps moments in UTC; some have no UTC equivalent (0001-01-01T00:00:00+14:00)."""
    if value is None or value.tzinfo is None:
        return
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise InvalidValue(field, "out of range once converted to UTC") from None


def refuse_nul(value: object, field: str = "") -> None:
    """PostgreSQL cannot store NUL characters in text: refuse them here, naming where, rather than fail there."""
    if isinstance(value, str) and "\x00" in value:
        raise InvalidValue(field or "body", "must not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key, field or "body")
            refuse_nul(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, f"{field}[{index}]")


# --- query values the document states exactly ----------------------------------------------------------

TASK_CURSOR_PATTERN = "^[A-Za-z0-9_-]{1,1000}$"  # base64url, unpadded (application/tasks/cursor.py)
EXECUTION_CURSOR_PATTERN = "^[0-9]{1,9}$"  # an execution number (application/tasks/list_executions.py)
_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
PROJECT_AFTER_PATTERN = f"^[a-z0-9-]{{1,64}}\\.{_UUID}$"  # slug.id (application/projects/list_projects.py)
OPAQUE_CURSOR = (
    "An opaque cursor: pass the previous page's value unchanged. A well-formed cursor that this service "
    "did not make (or made for another sort) is refused with 400 /problems/invalid-cursor."
)
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")
_QUERY_KINDS: dict[object, dict[str, tuple[bool, bool, bool]]] = {}


async def strict_query(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """A guard for every route: query values are read as the document states them. Litestar reads
    them leniently: the last of a repeated single value, `null` as absent, `created_before=0.5` as a
    Unix time. Refused (400) instead: a value given more than once where one is expected, `null` for a
    value that is not text, and a moment not written as RFC 3339 (`format: date-time`; without a time
    zone it is refused with 422 by the handler, which names the field)."""
    # A coroutine, not a function: Litestar would run a function in a worker thread, for every request.
    if not connection.scope.get("query_string"):
        return
    kinds = _QUERY_KINDS.get(handler.fn)  # by the function: Litestar may hand over a copy of the handler
    if kinds is None:
        kinds = _QUERY_KINDS[handler.fn] = _query_kinds(handler)
    for name in connection.query_params.keys() & kinds.keys():
        many, text, moment = kinds[name]
        values = connection.query_params.getall(name)
        if len(values) > 1 and not many:
            _refuse_query(connection, name, "must be given once")
        for value in values:
            if value == "null" and not text:
                _refuse_query(connection, name, "must be a value; leave the parameter out instead of null")
            if moment and not _RFC3339.match(value):
                _refuse_query(connection, name, "must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z")


def strict_query_middleware(app: ASGIApp) -> ASGIApp:
    """strict_query for every route, run before the handler as a guard would be (the innermost
    middleware), but only for a request with a query: Litestar hands each guard a copy of the route's
    handler, made for every request, a query or none."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("query_string"):
            await strict_query(ASGIConnection(scope), scope["route_handler"])
        await app(scope, receive, send)

    return middleware


def _query_kinds(handler: BaseRouteHandler) -> dict[str, tuple[bool, bool, bool]]:
    """The handler's query parameters, by the name in the query: (a list?, text?, a moment?)."""
    elsewhere = {"data", "request", "state", "scope", "socket", "headers", "cookies", "query", "body"}
    elsewhere |= set(handler.resolve_dependencies())
    elsewhere |= {name for path in handler.paths for name in re.findall(r"\{(\w+)", path)}
    kinds = {}
    for name, field in handler.parsed_fn_signature.parameters.items():
        place, key = parameter_source(name, field.kwarg_definition)
        if name in elsewhere or place != "query":
            continue
        kinds[key] = (_holds(field.annotation, list), _holds(field.annotation, str), _holds(field.annotation, datetime))
    return kinds


def parameter_source(name: str, given: Any) -> tuple[str, str]:
    """Where a handler's parameter `name` is read from ("query", "header" or "cookie") and under what
    name, from its kwarg definition: `Parameter(header=...)`, `HeaderParameter(name=...)`,
    `QueryParameter(name=...)`, or none (the query, by the parameter's own name)."""
    if getattr(given, "header", None) or isinstance(given, HeaderParameter):
        return "header", given.header or given.name or name
    if getattr(given, "cookie", None) or isinstance(given, CookieParameter):
        return "cookie", given.cookie or given.name or name
    return "query", getattr(given, "query", None) or getattr(given, "name", None) or name


def _refuse_query(connection: ASGIConnection[Any, Any, Any, Any], name: str, message: str) -> None:
    raise ValidationException(
        f"Validation failed for {connection.scope.get('method', 'GET')} {connection.url.path}",
        extra=[{"message": message, "key": name, "source": "query"}],
    )


def _holds(annotation: Any, kind: type) -> bool:
    if annotation is kind or get_origin(annotation) is kind:
        return True
    return any(_holds(inner, kind) for inner in get_args(annotation))
