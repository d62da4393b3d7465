"""The committed OpenAPI document is the code's, so every contract change shows in review."""

from __future__ import annotations

import difflib
from pathlib import Path

from agentry.entrypoints.openapi_document import FILE_NAME, REGENERATE, code_document, render

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_openapi_document_is_the_one_the_code_makes() -> None:
    committed = (ROOT / FILE_NAME).read_text(encoding="utf-8") if (ROOT / FILE_NAME).exists() else ""
    made = render(code_document())
    if committed != made:
        diff = "".join(
            list(difflib.unified_diff(committed.splitlines(True), made.splitlines(True), "committed", "code"))[:80]
        )
        raise AssertionError(f"{FILE_NAME} differs from the code's document; regenerate it with {REGENERATE}\n{diff}")


def test_every_body_that_refuses_unknown_fields_says_so() -> None:
    document = code_document()
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            if "$ref" not in schema and schema.get("type") == "object":  # an inline schema (documents' ingest)
                assert schema.get("additionalProperties") is False, f"{method.upper()} {path}: {schema}"
                continue
            refs = [s["$ref"] for s in [schema, *schema.get("oneOf", []), *schema.get("anyOf", [])] if "$ref" in s]
            assert refs, f"{method.upper()} {path}: {schema}"
            for ref in refs:
                name = ref.rsplit("/", 1)[1]
                assert schemas[name].get("additionalProperties") is False, f"{method.upper()} {path}: {name}"


def test_every_operation_states_its_security_and_its_problem_answers() -> None:
    document = code_document()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            where = f"{method.upper()} {path}"
            assert "security" in operation, where
            if operation["security"]:
                assert "401" in operation["responses"], where
            if path.startswith("/api/"):
                assert "503" in operation["responses"], where
            if "{" in path:
                assert "404" in operation["responses"], where
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= operation["responses"].keys(), where


def test_create_operations_link_to_what_they_created() -> None:
    document = code_document()
    links = document["paths"]["/api/v1/tasks"]["post"]["responses"]["201"]["links"]
    targets = {link["operationId"] for link in links.values()}
    task = document["paths"]["/api/v1/tasks/{task_id}"]
    assert {task[m]["operationId"] for m in ("get", "patch", "delete")} <= targets
    assert all(link["parameters"] == {"task_id": "$response.body#/id"} for link in links.values())
