"""RFC 9457 problem details for every error; never a stack trace to the client."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from litestar import Request, Response
from litestar.exceptions import ClientException, HTTPException, SerializationException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from msgspec import Struct

from agentry.adapters.sqlalchemy.outages import database_unavailable as database_unavailable  # GraphQL maps it too
from agentry.application.errors import (
    ApplicationError,
    ConcurrentUpdate,
    DuplicateEmail,
    DuplicateMember,
    DuplicateSlug,
    Forbidden,
    IdempotencyConflict,
    InvalidCursor,
    LastAdmin,
    NotASession,
    NotFound,
    ProjectBusy,
    PublicSlugTaken,
    RateLimited,
    SoleOwner,
    TooManyApiTokens,
    TooManyWaitingTasks,
    Unauthenticated,
    UnknownRunner,
    WrongPassword,
)
from agentry.domain.errors import BudgetExhausted, DomainError, IllegalTransition, InvalidValue
from agentry.entrypoints.http.kit.admission import Overloaded
from agentry.entrypoints.http.kit.correlation import correlation_id, correlation_id_from
from agentry.entrypoints.http.kit.json_depth import JsonTooDeep
from agentry.entrypoints.http.kit.rate_limits import refusal_headers

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("agentry.http")


class FieldError(Struct, omit_defaults=True):
    message: str
    field: str | None = None
    source: str | None = None


class Problem(Struct, omit_defaults=True):
    """A problem document (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    correlation_id: str | None = None
    errors: list[FieldError] | None = None


class BudgetProblem(Problem, omit_defaults=True):
    """A problem document that, for /problems/budget-exhausted, also says which project's monthly
    budget is spent: the budget (`cap_usd`) and what the project spent this calendar month (`spent_usd`)."""

    project_id: UUID | None = None
    cap_usd: float | None = None
    spent_usd: float | None = None


class RateLimitProblem(Problem, omit_defaults=True):
    """A problem document that, for /problems/rate-limited, also names the limit that was reached (as
    in the RateLimit headers) and how many seconds to wait (as Retry-After)."""

    limit: str | None = None
    retry_after_s: int | None = None


class WaitingLimitProblem(Problem, omit_defaults=True):
    """/problems/too-many-waiting-tasks: the per-user limit on waiting tasks (`limit`) and how many of the
    user's tasks wait now (`waiting`)."""

    limit: int | None = None
    waiting: int | None = None


TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
APPLICATION_STATUS: dict[type[ApplicationError], int] = {
    NotFound: 404,
    Forbidden: 403,
    IdempotencyConflict: 409,
    ConcurrentUpdate: 409,
    InvalidCursor: 400,
    UnknownRunner: 422,
    Unauthenticated: 401,
    DuplicateEmail: 409,
    DuplicateSlug: 409,
    PublicSlugTaken: 409,
    DuplicateMember: 409,
    ProjectBusy: 409,
    TooManyApiTokens: 409,
    WrongPassword: 403,
    NotASession: 400,
    LastAdmin: 409,
    SoleOwner: 409,
}


def problem_type(code: str) -> str:
    return f"/problems/{code.replace('_', '-')}"


def problem_response(
    status: int,
    code: str | None,
    detail: str | None,
    request: Request[Any, Any, Any],
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    kind: type[Problem] = Problem,
    **members: Any,
) -> Response[Problem]:
    """`kind` and `members`: a problem type's own extension members."""
    current_id = correlation_id.get()
    if current_id is None:  # refusals made while routing (404, 405) come before any middleware has run
        current_id = correlation_id_from(request.scope["headers"])
        headers = {**(headers or {}), "X-Request-ID": current_id}
    problem = kind(
        type=problem_type(code) if code else "about:blank",
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        correlation_id=current_id,
        errors=errors,
        **members,
    )
    return Response(problem, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def handle_exception(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    match error:
        case InvalidValue():
            source = _source_of(error.field, request)
            return problem_response(
                422, error.code, str(error), request, errors=[FieldError(error.message, error.field, source)]
            )
        case IllegalTransition():
            return problem_response(409, error.code, str(error), request)
        case BudgetExhausted():
            return problem_response(
                409,
                error.code,
                str(error),
                request,
                kind=BudgetProblem,
                project_id=error.project_id,
                cap_usd=error.cap_usd,
                spent_usd=round(error.spent_usd, 6),
            )
        case DomainError():
            return problem_response(409, error.code, str(error), request)
        case TooManyWaitingTasks():
            return problem_response(
                429, error.code, str(error), request, kind=WaitingLimitProblem, limit=error.limit, waiting=error.waiting
            )
        case Unauthenticated():
            challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            return problem_response(401, error.code, str(error), request, headers=challenge)
        case RateLimited():
            headers = refusal_headers(error)
            return problem_response(
                429,
                error.code,
                str(error),
                request,
                headers=headers,
                kind=RateLimitProblem,
                limit=error.policy,
                retry_after_s=int(headers["Retry-After"]),
            )
        case Overloaded():  # admission control: quick, and says when to come back
            return problem_response(
                503, error.code, str(error), request, headers={"Retry-After": str(error.retry_after_s)}
            )
        case ApplicationError():
            status = APPLICATION_STATUS.get(type(error), 400)
            return problem_response(status, error.code, str(error), request)
        case ValidationException():
            return _validation_problem(request, error)
        case JsonTooDeep():
            return problem_response(422, error.code, str(error), request)
        case ClientException() if isinstance(error.__cause__, SerializationException):
            detail = f"the request body is not valid JSON: {error.detail}"
            return problem_response(400, "malformed_body", detail, request)
        case UnicodeDecodeError():  # msgspec raises it, unwrapped, for a JSON body that is not UTF-8
            return problem_response(400, "malformed_body", "the request body is not valid UTF-8", request)
        case HTTPException():
            headers = {
                name: _sorted_allow(value) if name.lower() == "allow" else value
                for name, value in (error.headers or {}).items()
            }
            return problem_response(error.status_code, None, error.detail, request, headers=headers or None)
        case _ if database_unavailable(error):
            log.warning("database unavailable on %s %s: %s", request.method, request.url.path, _first_line(error))
            return problem_response(
                503,
                "database_unavailable",
                "the database is unavailable; try again shortly",
                request,
                headers={"Retry-After": "5"},
            )
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(500, "internal_error", "an unexpected error occurred; it has been logged", request)


def _sorted_allow(methods: str) -> str:
    """A 405 lists the path's methods in the order they were registered; OPTIONS answers sort them."""
    return ", ".join(sorted(method.strip() for method in methods.split(",")))


def _validation_problem(request: Request[Any, Any, Any], error: ValidationException) -> Response[Problem]:
    details = error.extra if isinstance(error.extra, list) else []
    if any(_is_missing_body(item) for item in details):
        return problem_response(400, "missing_body", "the request body is empty; send a JSON object", request)
    errors = [
        FieldError(str(item.get("message", "invalid value")), item.get("key"), item.get("source"))
        for item in details
        if isinstance(item, dict)
    ]
    malformed = any("malformed" in e.message.lower() or "invalid json" in e.message.lower() for e in errors)
    body_errors = any(e.source == "body" for e in errors) and not malformed
    status = 422 if body_errors else 400
    code = "malformed_body" if malformed else "invalid_request"
    return problem_response(status, code, error.detail, request, errors=errors or None)


def _source_of(field: str, request: Request[Any, Any, Any]) -> str:
    """Where a named value came from: `tag[0]` is the query's when the query has a `tag`."""
    name = re.split(r"[.\[]", field, maxsplit=1)[0]
    if name in request.query_params:
        return "query"
    return "header" if name in request.headers else "body"


def _is_missing_body(item: object) -> bool:
    """Litestar reports a required body that was not sent as the bare key error "'data'"."""
    return isinstance(item, dict) and item.get("key") == "data" and item.get("message") == "'data'"


def _first_line(error: Exception) -> str:
    message = str(error).split("\n", 1)[0]
    return f"{type(error).__name__}: {message}"[:300]


def problem_responses(
    *statuses: int, new_work: bool = False, when: Mapping[int, str] | None = None
) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem documents a route can answer with; `new_work`: the route starts
    new work in a project, so its 409 may be /problems/budget-exhausted, with the budget and the spend,
    and a 429 /problems/too-many-waiting-tasks, with the per-user limit on waiting tasks. `when`: for a
    status, the rule the schema cannot state that leads to it ("422 when ..."), so a client (and the
    schemathesis contract test) knows valid-looking data may get it.

    No generated examples: Litestar makes them up at random, so the document would change on every start."""
    responses = {
        status: ResponseSpec(
            Problem,
            description=f"{status} when {when[status]}" if when and status in when else TITLES.get(status, "Error"),
            media_type=MEDIA_TYPE,
            generate_examples=False,
        )
        for status in statuses
    }
    if new_work:
        responses[409] = ResponseSpec(
            BudgetProblem,
            description="Conflict; /problems/budget-exhausted when the project's monthly budget is spent "
            "(with project_id, cap_usd and spent_usd)",
            media_type=MEDIA_TYPE,
            generate_examples=False,
        )
        responses[429] = ResponseSpec(
            WaitingLimitProblem,
            description="Too many requests: /problems/too-many-waiting-tasks when the user already has as many "
            "tasks waiting (pending or queued) as the per-user limit allows (with limit and waiting)",
            media_type=MEDIA_TYPE,
            generate_examples=False,
        )
    return responses
