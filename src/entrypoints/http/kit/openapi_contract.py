"""The OpenAPI document states every rule the server enforces; one pass over the finished document.

Litestar writes the document from the handlers; this pass completes it from what the service does
everywhere, so a route added later needs no work of its own:
- the schema of every msgspec Struct is msgspec's own (the decoder that enforces it): unknown fields
  refused (`additionalProperties: false`), lengths, bounds and patterns inside unions and arrays;
- strings in requests are free of NUL characters (PostgreSQL cannot store them; the handlers refuse them);
- every operation lists the problem documents it can answer with, with an example each: 400 (a request
  it cannot read), 401 (secured), 404 (an id in the path), 413 and 422 (a body), 503 (the database down);
- `security` on every operation (`[]`: open to anyone);
- links from each create operation (`POST /x` answering 201 with an `id`) to the operations on
  `/x/{id}` and below, so clients and fuzzers can follow create → read → update → delete.

It edits the document Litestar serves (as JSON at /schema/openapi.json, as YAML at /schema/openapi.yaml),
once, at start."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin  # the one that serves the document

from agentry.entrypoints.http.kit.problems import MEDIA_TYPE, TITLES
from agentry.entrypoints.http.kit.validators import parameter_source

METHODS = ("get", "put", "post", "delete", "patch")
NUL_FREE = "^[^\\x00]*$"
PROBLEM_REF = "#/components/schemas/Problem"
_PARAMETER = re.compile(r"\{([^}:]+)\}")
_WHEN = {
    400: "the request cannot be read: a malformed body, parameter or header (`errors` names each)",
    401: "no credential, or one that is not valid (expired, revoked, unknown); header WWW-Authenticate",
    404: "nothing with this id that the caller may see",
    413: "the body is larger than the server accepts (AGENTRY_MAX_REQUEST_BYTES)",
    422: "the body is well-formed but breaks a rule (`errors` names each field)",
    503: "the database is unavailable; try again after Retry-After seconds",
}
BODY_RULES = (
    "422 when the body is well-formed but breaks a rule the schema cannot state: names and titles people "
    "read are NFKC-normalised and must not be blank or hold control, invisible or bidirectional-control "
    "characters (nor, for a person's name, mix look-alike scripts in one word); a password must be long "
    "enough (AGENTRY_PASSWORD_MIN_LENGTH), not a well-known one, not the account's email or name; a value "
    "must fit others (a runner, permission mode or tool the project allows; a budget within the server's "
    "limits; scripted-runner steps it knows). `errors` names each field."
)
SSE_EVENT = {
    "type": "object",
    "description": "One server-sent event: its name, its data (a JSON text) and its id (resume with Last-Event-ID)",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer"},
    },
}
_TYPES = {
    400: "/problems/invalid-request",
    401: "/problems/unauthenticated",
    404: "/problems/not-found",
    413: "about:blank",
    422: "/problems/invalid-value",
    503: "/problems/database-unavailable",
}


def served_document(app: Litestar) -> dict[str, Any]:
    """The document as the app serves it."""
    document: dict[str, Any] = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    return document


def complete_document(app: Litestar) -> dict[str, Any]:
    """Completes the document the app serves, in place, and returns it."""
    document = served_document(app)
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    _exact_struct_schemas(schemas)
    for path, item in document.get("paths", {}).items():
        for method, operation in _operations(item):
            _nul_free_parameters(operation)
            _standard_responses(path, method, operation)
            operation.setdefault("security", [])
    for name in _request_components(document):
        _nul_free(schemas[name], schemas, set())
    _parameter_bounds(app, document)
    _links(document)
    return document


BOUNDS = (("ge", "minimum"), ("gt", "exclusiveMinimum"), ("le", "maximum"), ("lt", "exclusiveMaximum"))


def _parameter_bounds(app: Litestar, document: dict[str, Any]) -> None:
    """Numeric bounds of query and header parameters as the handlers declare them: Litestar leaves out a
    bound of 0 (`ge=0`), so `after=-1` looked valid while the server refuses it."""
    paths = document.get("paths", {})
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            for method in getattr(handler, "http_methods", ()):
                operation = paths.get(route.path_format, {}).get(method.lower())
                if operation is not None:
                    _bound_parameters(handler, operation)


def _bound_parameters(handler: Any, operation: dict[str, Any]) -> None:
    by_name = {(p.get("in"), p.get("name")): p for p in operation.get("parameters", [])}
    for name, field in handler.parsed_fn_signature.parameters.items():
        given = field.kwarg_definition
        if given is None:
            continue
        parameter = by_name.get(parameter_source(name, given))
        if parameter is None:
            continue
        schema = parameter.setdefault("schema", {})
        for attribute, keyword in BOUNDS:
            value = getattr(given, attribute, None)
            if value is not None and schema.get("type") in ("integer", "number"):
                schema.setdefault(keyword, value)


def _operations(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for method in METHODS:
        if method in item:
            yield method, item[method]


# --- schemas -------------------------------------------------------------------------------------------


def _exact_struct_schemas(schemas: dict[str, Any]) -> None:
    """Each component Litestar wrote for a Struct, replaced by msgspec's schema of it (same name)."""
    structs = _structs_by_name()
    named = [structs[name] for name in schemas if name in structs]
    if not named:
        return
    _, exact = msgspec.json.schema_components(named, ref_template="#/components/schemas/{name}")
    for name, schema in exact.items():
        if name in structs or name not in schemas:
            schemas[name] = schema


def _structs_by_name() -> dict[str, type[msgspec.Struct]]:
    """The service's Structs by class name; a name two classes share is left to Litestar."""
    import agentry.entrypoints.http as http

    for module in pkgutil.walk_packages(http.__path__, f"{http.__name__}."):
        importlib.import_module(module.name)
    found: dict[str, list[type[msgspec.Struct]]] = {}
    pending: list[type[Any]] = [msgspec.Struct]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("agentry."):
                found.setdefault(sub.__name__, []).append(sub)
    return {name: kinds[0] for name, kinds in found.items() if len(set(kinds)) == 1}


def _request_components(document: dict[str, Any]) -> set[str]:
    """The components a request body may hold, followed through their references."""
    names: set[str] = set()
    pending: list[Any] = []
    for item in document.get("paths", {}).values():
        for _, operation in _operations(item):
            pending.append(operation.get("requestBody", {}))
    schemas = document["components"]["schemas"]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in names and name in schemas:
                    names.add(name)
                    pending.append(schemas[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return names


def _nul_free(schema: Any, schemas: dict[str, Any], seen: set[int]) -> None:
    """Every free-text string in the schema refuses NUL (one with a format, an enum or a pattern of
    its own says what it takes already)."""
    if isinstance(schema, list):
        for item in schema:
            _nul_free(item, schemas, seen)
        return
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    if schema.get("type") == "string" and not {"format", "enum", "pattern", "const"} & schema.keys():
        schema["pattern"] = NUL_FREE
    for key in ("properties", "patternProperties"):
        for value in (schema.get(key) or {}).values():
            _nul_free(value, schemas, seen)
    for key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "prefixItems"):
        _nul_free(schema.get(key), schemas, seen)


def _nul_free_parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") in ("query", "header"):
            parameter["schema"] = _without_null(parameter.get("schema", {}))
            _nul_free(parameter["schema"], {}, set())


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query or header value is never JSON null (it is absent instead): Litestar's `X | None` becomes
    `X`, with the constraints it wrote beside the union (a pattern, a length) moved onto it."""
    branches = [b for b in schema.get("oneOf", []) if b != {"type": "null"}]
    if "oneOf" not in schema or len(branches) != 1:
        return schema
    outer = {key: value for key, value in schema.items() if key != "oneOf"}
    return {**branches[0], **outer}


# --- responses -----------------------------------------------------------------------------------------


def _standard_responses(path: str, method: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses: set[int] = set()
    if operation.get("security"):
        statuses.add(401)
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if any(p.get("in") in ("query", "header") for p in operation.get("parameters", [])):
        statuses.add(400)
    if "{" in path:
        statuses |= {400, 404}
    if path.startswith("/api/"):
        statuses.add(503)
    for code in sorted(statuses):
        responses.setdefault(str(code), _problem_response(code))
    if "requestBody" in operation and BODY_RULES not in responses["422"]["description"]:
        responses["422"]["description"] = f"{responses['422']['description']}; {BODY_RULES}"
    for response in responses.values():
        stream = response.get("content", {}).get("text/event-stream")
        if stream is not None and stream.get("schema") == {"type": "string"}:
            stream["schema"] = SSE_EVENT
    for status, response in responses.items():
        content = response.get("content", {}).get(MEDIA_TYPE)
        if content is not None and "example" not in content and "examples" not in content:
            content["example"] = _example(int(status), path)


def _problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": f"{TITLES.get(status, 'Error')}: {_WHEN[status]}",
        "content": {MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if status == 503:
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
    return response


def _example(status: int, path: str) -> dict[str, Any]:
    return {
        "type": _TYPES.get(status, "about:blank"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": _WHEN.get(status, TITLES.get(status, "Error")),
        "instance": _PARAMETER.sub(lambda m: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", path),
        "correlation_id": "5f0c2a9e8b7d4c3a9e1f2b3c4d5e6f70",
    }


# --- links ---------------------------------------------------------------------------------------------


def _links(document: dict[str, Any]) -> None:
    """A create operation's 201 links to every operation on the created resource's path and below."""
    paths: dict[str, Any] = document.get("paths", {})
    for path, item in paths.items():
        create = item.get("post")
        created = (create or {}).get("responses", {}).get("201")
        if created is None or not _has_id(created, document):
            continue
        links: dict[str, Any] = {}
        for other, other_item in paths.items():
            match = re.fullmatch(re.escape(path.rstrip("/")) + r"/\{([^}/]+)\}(/.*)?", other)
            if match is None:
                continue
            for method, operation in _operations(other_item):
                if "operationId" in operation:
                    links[operation["operationId"]] = {
                        "operationId": operation["operationId"],
                        "parameters": {match.group(1): "$response.body#/id"},
                        "description": f"{method.upper()} {other} on what was created",
                    }
        if links:
            created["links"] = links


def _has_id(response: dict[str, Any], document: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
    return "id" in schema.get("properties", {})
