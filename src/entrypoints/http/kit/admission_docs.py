"""The OpenAPI document lists the 503 that admission control may answer on every operation it counts."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPIHeader, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

from agentry.entrypoints.http.kit.admission import exempt_path
from agentry.entrypoints.http.kit.problems import MEDIA_TYPE

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def document_overload(app: Litestar) -> None:
    document = app.openapi_schema
    busy = OpenAPIResponse(
        description="Service unavailable: /problems/overloaded when this process has more requests than it "
        "admits and queues (retry after Retry-After seconds), /problems/database-unavailable when the "
        "database cannot be reached",
        headers={"Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description="seconds to wait")},
        content={MEDIA_TYPE: OpenAPIMediaType(schema=Reference("#/components/schemas/Problem"))},
    )
    for path, item in (document.paths or {}).items():
        if exempt_path(path):
            continue
        for method in METHODS:
            operation = getattr(item, method)
            if operation is not None:
                operation.responses = {"503": busy, **(operation.responses or {})}
