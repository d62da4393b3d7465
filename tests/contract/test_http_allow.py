"""OPTIONS and 405 answers name, in `Allow`, every method of the path (those the document lists), sorted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from agentry.entrypoints.runtime import build_api
from tests.contract.http_app import embedded_settings, openapi_document

DOCUMENT = openapi_document()
METHODS = {"get", "put", "post", "delete", "patch"}
SOME_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


@pytest.fixture(scope="module")
def client() -> TestClient:  # type: ignore[type-arg]
    return TestClient(build_api(embedded_settings(Path("/nonexistent"))))  # OPTIONS and 405 read no database


def documented(item: dict[str, Any]) -> set[str]:
    return {method.upper() for method in item if method in METHODS} | {"OPTIONS"}


def allowed(header: str) -> set[str]:
    return {method.strip() for method in header.split(",")}


@pytest.mark.parametrize("path", sorted(DOCUMENT["paths"]))
def test_options_and_405_name_every_method_of_the_path(client: TestClient, path: str) -> None:  # type: ignore[type-arg]
    url = re.sub(r"\{[^}]+\}", SOME_ID, path)
    expected = documented(DOCUMENT["paths"][path])
    options = client.options(url)
    assert options.status_code == 204, options.text
    assert allowed(options.headers["allow"]) == expected
    missing = sorted({"PUT", "PATCH", "DELETE", "POST"} - expected)
    if missing:
        refused = client.request(missing[0], url)
        assert refused.status_code == 405, refused.text
        assert refused.headers["allow"] == options.headers["allow"]  # the same list, in the same (sorted) order
        assert refused.headers["allow"] == ", ".join(sorted(expected))
