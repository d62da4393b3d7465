"""What a client gets when the database fails under a request: a 503 problem document with a
Retry-After while it cannot be reached, and never a 503 for what retrying would not fix."""

from __future__ import annotations

import psycopg
import psycopg.errors
import pytest
from litestar import get
from litestar.testing import create_test_client
from sqlalchemy.exc import IntegrityError, OperationalError

from agentry.entrypoints.http.kit.problems import MEDIA_TYPE, handle_exception


def answer_when_raising(error: Exception) -> tuple[int, dict[str, str], dict[str, object]]:
    @get("/boom")
    async def boom() -> None:
        raise error

    with create_test_client([boom], exception_handlers={Exception: handle_exception}) as client:
        response = client.get("/boom")
        return response.status_code, dict(response.headers), response.json()


def test_a_refused_connection_is_a_503_problem_saying_when_to_retry() -> None:
    refused = psycopg.OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    status, headers, body = answer_when_raising(OperationalError("SELECT 1", None, refused))
    assert status == 503
    assert headers["content-type"] == MEDIA_TYPE
    assert int(headers["retry-after"]) > 0
    assert body["type"] == "/problems/database-unavailable" and body["status"] == 503
    assert "127.0.0.1" not in str(body), "the problem does not leak where the database lives"


@pytest.mark.parametrize(
    "orig", [psycopg.errors.lookup("23505")("duplicate key"), psycopg.errors.lookup("54001")("too complex")]
)
def test_a_statement_that_would_fail_again_is_not_a_503(orig: psycopg.Error) -> None:
    cls = IntegrityError if orig.sqlstate == "23505" else OperationalError
    status, _headers, body = answer_when_raising(cls("INSERT", None, orig))
    assert status == 500 and body["type"] == "/problems/internal-error"
