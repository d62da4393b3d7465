"""The HTTP API as the contract suite drives it: the embedded service on a fresh SQLite file,
and its own OpenAPI document used as the oracle for every answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from jsonschema import Draft202012Validator
from litestar import Litestar
from litestar.serialization import encode_json
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from agentry.adapters.sqlalchemy.migrations import upgrade
from agentry.entrypoints.config import QuotaSetting, RateLimitSettings, Settings
from agentry.entrypoints.http.kit.openapi_contract import served_document
from agentry.entrypoints.runtime import build_api
from tests.migrated import migrated_sqlite

# The suites sign up and log in far more often than anyone would from one address: their quotas are
# raised here (test_http_rate_limits.py keeps the real ones). The log-in back-off stays as it is.
ROOMY = QuotaSetting(100_000, 60.0)
ROOMY_LIMITS = RateLimitSettings(
    login=ROOMY, registration=ROOMY, refresh=ROOMY, password=ROOMY, reads=ROOMY, writes=ROOMY
)
PROBLEM_JSON = "application/problem+json"
PROBLEM_MEMBERS = ("type", "title", "status", "detail", "correlation_id")
DOCUMENT_URI = "urn:agentry:openapi"


def embedded_settings(directory: Path, **overrides: Any) -> Settings:
    """The embedded profile on the offline scripted runner, polling fast enough for tests."""
    defaults: dict[str, Any] = {
        "database_url": f"sqlite:///{directory}/api.db",
        "runner": "scripted",
        "relay_poll_interval_s": 0.05,
        "log_flush_interval_s": 0.05,
        "heartbeat_interval_s": 0.1,
        "rate_limits": ROOMY_LIMITS,
    }
    return Settings(**(defaults | overrides))


def build_embedded_api(directory: Path, **overrides: Any) -> Litestar:
    """A migrated database and the app; its lifespan runs the in-process worker and the outbox relay."""
    settings = embedded_settings(directory, **overrides)
    if settings.database == f"sqlite:///{directory}/api.db":
        migrated_sqlite(directory / "api.db")
    else:
        upgrade(settings.database)
    return build_api(settings)


def openapi_document() -> dict[str, Any]:
    """The document the app serves at /schema/openapi.json, made without starting it (nothing is opened)."""
    app = build_api(embedded_settings(Path("/nonexistent")))
    document: dict[str, Any] = json.loads(encode_json(served_document(app)))
    return document


class OpenApiContract:
    """Holds answers to the document: a documented status, a documented media type, a body that fits its schema."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        resource = Resource.from_contents(dict(document), default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)

    def operation(self, method: str, path: str) -> Mapping[str, Any]:
        operations = self.document["paths"].get(path)
        if operations is None or method.lower() not in operations:
            pytest.fail(f"the document has no operation {method.upper()} {path}")
        operation: Mapping[str, Any] = operations[method.lower()]
        return operation

    def check(self, method: str, path: str, response: httpx.Response) -> Any:
        """Fails unless the answer is documented for the operation; returns the decoded body (None if empty)."""
        operation = self.operation(method, path)
        status = str(response.status_code)
        where = f"{method.upper()} {path} answered {status}"
        documented = operation["responses"].get(status)
        if documented is None:
            pytest.fail(
                f"{where}, which the document does not list ({sorted(operation['responses'])}): {response.text}"
            )
        content: Mapping[str, Any] = documented.get("content") or {}
        if not content:
            assert not response.content, f"{where} with a body the document does not describe: {response.text}"
            return None
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type not in content:
            pytest.fail(f"{where} as {media_type!r}; the document says {sorted(content)}")
        body = response.json()
        pointer = ("paths", path, method.lower(), "responses", status, "content", media_type, "schema")
        self.validate(body, pointer, where)
        if media_type == PROBLEM_JSON:
            self.check_problem(response, body)
        return body

    def validate(self, instance: Any, pointer: tuple[str, ...], where: str) -> None:
        """Validates against the schema at `pointer` inside the document, so its `$ref`s resolve there."""
        escaped = "/".join(quote(part.replace("~", "~0").replace("/", "~1"), safe="~") for part in pointer)
        validator = Draft202012Validator(
            {"$ref": f"{DOCUMENT_URI}#/{escaped}"},
            registry=self._registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(part) for part in e.absolute_path])
        if errors:
            described = "\n".join(f"  at {list(e.absolute_path)}: {e.message}" for e in errors[:10])
            pytest.fail(f"{where} with a body that does not fit the documented schema:\n{described}\nbody: {instance}")

    @staticmethod
    def check_problem(response: httpx.Response, body: Mapping[str, Any]) -> None:
        missing = [member for member in PROBLEM_MEMBERS if body.get(member) in (None, "")]
        assert not missing, f"problem document without {missing}: {body}"
        assert body["status"] == response.status_code, body
        assert body["correlation_id"] == response.headers.get("x-request-id"), (body, dict(response.headers))
