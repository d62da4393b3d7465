"""The OpenAPI document lists the 429 that every rate-limited operation may answer, with its headers."""

from __future__ import annotations

from dataclasses import replace

from litestar import Litestar
from litestar.openapi.spec import OpenAPIHeader, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

from agentry.entrypoints.http.kit.problems import MEDIA_TYPE
from agentry.entrypoints.http.kit.rate_limits import route_class

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def document_refusals(app: Litestar) -> None:
    document = app.openapi_schema
    schemas = document.components.schemas if document.components and document.components.schemas else {}
    problem = schemas["Problem"]
    schemas["RateLimitProblem"] = replace(
        problem,
        title="RateLimitProblem",
        properties={
            **(problem.properties or {}),
            "limit": Schema(type=OpenAPIType.STRING, description="the limit reached, as in the RateLimit headers"),
            "retry_after_s": Schema(type=OpenAPIType.INTEGER, description="seconds to wait, as Retry-After"),
        },
    )
    text = Schema(type=OpenAPIType.STRING)
    refusal = OpenAPIResponse(
        description="Too many requests: the detail names the limit; retry after Retry-After seconds",
        headers={
            "Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description="seconds to wait"),
            "RateLimit-Policy": OpenAPIHeader(schema=text, description='the quota: "name";q=limit;w=window_s'),
            "RateLimit": OpenAPIHeader(schema=text, description='where the caller stands: "name";r=left;t=s'),
        },
        content={MEDIA_TYPE: OpenAPIMediaType(schema=Reference("#/components/schemas/RateLimitProblem"))},
    )
    for path, item in (document.paths or {}).items():
        for method in METHODS:
            operation = getattr(item, method)
            if operation is not None and route_class(method.upper(), path) is not None:
                responses = operation.responses or {}
                operation.responses = {**responses, "429": _either(refusal, responses.get("429"))}


def _either(refusal: OpenAPIResponse, own: object) -> OpenAPIResponse:
    """The rate limit's 429, or, where the operation documents a 429 of its own (the per-user limit on
    waiting tasks), a 429 that is one of the two problem documents."""
    if not isinstance(own, OpenAPIResponse) or not own.content or MEDIA_TYPE not in own.content:
        return refusal
    assert refusal.content is not None
    schemas = [refusal.content[MEDIA_TYPE].schema, own.content[MEDIA_TYPE].schema]
    return replace(
        refusal,
        description=f"{refusal.description}; or {own.description}",
        content={MEDIA_TYPE: OpenAPIMediaType(schema=Schema(one_of=[s for s in schemas if s is not None]))},
    )
