"""The request bodies of the ingest routes, for the OpenAPI document: the handlers read the body
themselves (JSON or multipart, capped at the document limit while it streams), so Litestar cannot
describe it from a parameter. The schemas are inline (Litestar's components hold only what it
generated), each closed to unknown fields as the handlers are."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)

from agentry.domain.documents.document import TITLE_MAX, MediaType

_TEXT_TYPES = [m.value for m in MediaType if m.textual]
_TITLE = Schema(type=OpenAPIType.STRING, min_length=1, max_length=TITLE_MAX)
_PROJECT = Schema(
    one_of=[Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID), Schema(type=OpenAPIType.NULL)],
    description="The project (absent or null: your personal project)",
)


def _text_document(*, with_project: bool) -> Schema:
    properties: dict[str, Schema | Reference] = {
        "title": _TITLE,
        "text": Schema(type=OpenAPIType.STRING, min_length=1),
        "media_type": Schema(type=OpenAPIType.STRING, enum=_TEXT_TYPES, default="text/plain"),
    }
    if with_project:
        properties["project_id"] = _PROJECT
    return Schema(
        type=OpenAPIType.OBJECT, required=["title", "text"], properties=properties, additional_properties=False
    )


_UPLOAD = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description="The document"),
        "title": _TITLE,
        "media_type": Schema(
            type=OpenAPIType.STRING,
            enum=[m.value for m in MediaType],
            description="Overrides the file part's type (a .txt, .md, .html or .pdf name is read when it is missing)",
        ),
        "project_id": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID),
    },
)
_BATCH = Schema(
    type=OpenAPIType.OBJECT,
    required=["documents"],
    properties={
        "documents": Schema(
            type=OpenAPIType.ARRAY, items=_text_document(with_project=False), min_items=1, max_items=100
        ),
        "project_id": _PROJECT,
    },
    additional_properties=False,
)


_BATCH_UPLOAD = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
            min_items=1,
            max_items=100,
            description="The documents, one part each (repeat the `file` part); each titled by its file name",
        ),
        "project_id": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID),
    },
)


@dataclass
class IngestOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": OpenAPIMediaType(schema=_text_document(with_project=True)),
                "multipart/form-data": OpenAPIMediaType(schema=_UPLOAD),
            },
        )


@dataclass
class BatchOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": OpenAPIMediaType(schema=_BATCH),
                "multipart/form-data": OpenAPIMediaType(schema=_BATCH_UPLOAD),
            },
        )
