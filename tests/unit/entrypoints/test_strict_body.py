"""A JSON body is decoded once, strictly, before the route runs: the route gets that value."""

from __future__ import annotations

from typing import ClassVar

import msgspec
from litestar import post
from litestar.testing import create_test_client

from agentry.entrypoints.http.kit.json_depth import depth_check


class Counted(msgspec.Struct):
    flag: bool
    decoded: ClassVar[int] = 0

    def __post_init__(self) -> None:
        type(self).decoded += 1


@post("/counted", sync_to_thread=False)
def counted(data: Counted) -> dict[str, object]:
    return {"flag": data.flag, "decodes": Counted.decoded}


def test_a_body_is_decoded_once_and_the_route_gets_that_value() -> None:
    Counted.decoded = 0
    with create_test_client([counted], before_request=depth_check(32)) as client:
        answer = client.post("/counted", json={"flag": True})
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"flag": True, "decodes": 1}


def test_a_lenient_value_is_refused_before_the_route_runs() -> None:
    Counted.decoded = 0
    with create_test_client([counted], before_request=depth_check(32)) as client:
        answer = client.post("/counted", json={"flag": 0})
    assert answer.status_code == 400, answer.text  # a ValidationException; the app's handler makes it a 422
    assert Counted.decoded == 0
