"""GraphQL errors carry the code and status REST's problem document would: a database outage too."""

from __future__ import annotations

import logging

import pytest
from graphql import GraphQLError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from agentry.domain.errors import InvalidValue
from agentry.entrypoints.graphql.errors import status_and_code, with_problem


def test_a_database_outage_is_a_503_database_unavailable_as_in_rest(caplog: pytest.LogCaptureFixture) -> None:
    outage = PoolTimeout("QueuePool limit of size 20 overflow 0 reached")
    assert status_and_code(outage) == (503, "database_unavailable")
    with caplog.at_level(logging.WARNING, logger="agentry.graphql"):
        error = with_problem(GraphQLError("raw", original_error=outage))
    assert error.extensions == {"code": "database_unavailable", "status": 503, "type": "/problems/database-unavailable"}
    assert error.message == "the database is unavailable; try again shortly"
    assert [r.levelno for r in caplog.records] == [logging.WARNING], "an outage is no unhandled error"


def test_anything_else_unexpected_stays_an_internal_error_and_a_rule_keeps_its_own_code() -> None:
    assert status_and_code(RuntimeError("boom")) == (500, "internal_error")
    assert status_and_code(InvalidValue("title", "is empty")) == (422, InvalidValue("title", "x").code)
