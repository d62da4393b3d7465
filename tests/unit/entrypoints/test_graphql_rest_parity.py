"""Every field REST shows of a resource, GraphQL shows too: a field added to a response body and not to
its GraphQL type fails here (and the type, built from the body, would refuse it at run time)."""

from __future__ import annotations

import msgspec
import pytest
from strawberry.types.base import get_object_definition

from agentry.entrypoints.graphql.chat import ChatSessionType
from agentry.entrypoints.graphql.documents import DocumentType
from agentry.entrypoints.graphql.knowledge import EntityType, ExtractedType, MentionType, RelationshipType
from agentry.entrypoints.graphql.rest_bodies import body_fields
from agentry.entrypoints.graphql.types import (
    ErrorType,
    ExecutionType,
    LogLineType,
    MemberType,
    ProjectType,
    ResultType,
    TaskType,
    UsageType,
)
from agentry.entrypoints.http.chat.schemas import ChatSessionBody
from agentry.entrypoints.http.documents.schemas import DocumentBody
from agentry.entrypoints.http.knowledge.schemas import EntityBody, ExtractedBody, MentionBody, RelationshipBody
from agentry.entrypoints.http.projects.schemas import MemberBody, ProjectBody
from agentry.entrypoints.http.tasks.response_schemas import (
    ErrorBody,
    ExecutionBody,
    LogLineBody,
    ResultBody,
    TaskBody,
    UsageBody,
)

PAIRS = [
    (TaskBody, TaskType),
    (ExecutionBody, ExecutionType),
    (ErrorBody, ErrorType),
    (UsageBody, UsageType),
    (LogLineBody, LogLineType),
    (ResultBody, ResultType),
    (ProjectBody, ProjectType),
    (MemberBody, MemberType),
    (ChatSessionBody, ChatSessionType),
    (DocumentBody, DocumentType),
    (EntityBody, EntityType),
    (ExtractedBody, ExtractedType),
    (MentionBody, MentionType),
    (RelationshipBody, RelationshipType),
]


@pytest.mark.parametrize(("body", "graphql"), PAIRS, ids=[body.__name__ for body, _ in PAIRS])
def test_every_field_of_a_rest_response_body_has_a_graphql_counterpart(body: type, graphql: type) -> None:
    definition = get_object_definition(graphql, strict=True)
    shown = {field.python_name for field in definition.fields}
    missing = [name for name in body.__struct_fields__ if name not in shown]
    assert not missing, f"{graphql.__name__} lacks {body.__name__}'s {missing}: add them (and regenerate the SDL)"


def test_a_graphql_type_can_replace_only_fields_the_body_has() -> None:
    error = ErrorBody("conflict", "taken")
    assert body_fields(error, message="replaced") == {"code": "conflict", "message": "replaced"}
    with pytest.raises(TypeError, match="ErrorBody has no field"):
        body_fields(error, detail="x")


def test_a_body_field_the_graphql_type_lacks_fails_its_construction() -> None:
    class WiderErrorBody(msgspec.Struct):
        code: str
        message: str
        hint: str

    with pytest.raises(TypeError, match="hint"):
        ErrorType(**body_fields(WiderErrorBody("c", "m", "h")))
