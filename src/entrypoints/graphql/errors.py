"""Errors as the REST API names them: each GraphQL error caused by an application or domain error carries
`extensions` {code, status, type} with the code, HTTP status and problem type of REST's problem document;
a database outage is `database_unavailable` (503), as in REST. Anything else unexpected is logged and
shown as `internal_error`, never with its message."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import msgspec
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from agentry.application.errors import ApplicationError, RateLimited, TooManyWaitingTasks, Unauthenticated
from agentry.domain.errors import DomainError, InvalidValue
from agentry.entrypoints.http.kit.problems import APPLICATION_STATUS, database_unavailable, problem_type

log = logging.getLogger("agentry.graphql")


def status_and_code(error: BaseException) -> tuple[int, str]:
    """The HTTP status and problem code REST answers `error` with (http/kit/problems.py)."""
    match error:
        case InvalidValue():
            return 422, error.code
        case DomainError():  # illegal transitions, a spent budget, the other rules
            return 409, error.code
        case TooManyWaitingTasks() | RateLimited():
            return 429, error.code
        case Unauthenticated():
            return 401, error.code
        case ApplicationError():
            return APPLICATION_STATUS.get(type(error), 400), error.code
        case msgspec.ValidationError():
            return 422, "invalid_request"
        case _ if database_unavailable(error):
            return 503, "database_unavailable"
    return 500, "internal_error"


def with_problem(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error
    status, code = status_and_code(original)
    message = error.message
    if status == 500:
        log.error("unhandled error in GraphQL field %s", error.path, exc_info=original)
        message = "an unexpected error occurred; it has been logged"
    elif status == 503:
        log.warning("database unavailable in GraphQL field %s: %s", error.path, str(original).split("\n", 1)[0])
        message = "the database is unavailable; try again shortly"
    elif isinstance(original, msgspec.ValidationError):
        message = f"invalid input: {original}"
    extensions = {**(error.extensions or {}), "code": code, "status": status, "type": problem_type(code)}
    return GraphQLError(message, error.nodes, error.source, error.positions, error.path, original, extensions)


def problem_error(error: Exception) -> GraphQLError:
    """`error` as a GraphQL error with REST's problem code, for the paths the extension does not see
    (a subscription's refusal before its first event)."""
    return with_problem(GraphQLError(str(error), original_error=error))


# The limits strawberry checks (schema_builder.py) refuse a query with a message only: the code names them,
# as `query_too_costly` names the cost limit's refusal (limits.py).
LIMIT_CODES = {
    "exceeds maximum operation depth": "query_too_deep",
    "aliases found. Allowed:": "too_many_aliases",
    "Document contains more than": "too_many_tokens",
}


def bad_input_extensions(error: GraphQLError, code: str) -> dict[str, object]:
    """A refused query named as REST names a bad request (400): a limit by its name, a query that does not
    parse `invalid_query`, one the schema does not allow (an unknown field, a missing argument)
    `validation_failed`."""
    extensions = error.extensions or {}
    if extensions.get("code"):
        return extensions
    limits = [limit for words, limit in LIMIT_CODES.items() if words in error.message]
    if limits:
        return {**extensions, "code": limits[0]}
    return {**extensions, "code": code, "status": 400, "type": problem_type(code)}


class ProblemCodes(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        yield
        self._name_refusal("invalid_query")

    def on_validate(self) -> Iterator[None]:
        yield
        self._name_refusal("validation_failed")

    def _name_refusal(self, code: str) -> None:
        # On the errors themselves: a refused parse answers with a copy of the list that holds them.
        for error in self.execution_context.pre_execution_errors or ():
            error.extensions = bad_input_extensions(error, code)

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [with_problem(e) for e in result.errors]
