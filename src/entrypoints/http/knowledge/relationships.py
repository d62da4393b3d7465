"""/api/v1/projects/{id}/relationships: list and read (viewers), create and correct (members), delete
(maintainers)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import UNSET

from agentry.application.knowledge.curate import DeleteRelationship
from agentry.application.knowledge.edit import CreateRelationship, EditRelationship, NewRelationship
from agentry.application.knowledge.ports.graph import RelationshipQuery
from agentry.application.knowledge.read import LIST_LIMIT_MAX, GetRelationship, ListRelationships
from agentry.domain.knowledge.values import TYPE_MAX, FactStatus
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import OPAQUE_CURSOR, TASK_CURSOR_PATTERN, refuse_nul
from agentry.entrypoints.http.knowledge.schemas import (
    RelationshipBody,
    RelationshipCreate,
    RelationshipPageBody,
    RelationshipUpdate,
)

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
RelationshipId = Annotated[UUID, PathParameter(description="The relationship's id")]
_READ = problem_responses(400, 401, 404)
_WRITE = problem_responses(400, 401, 403, 404, 422)
_ONE = "/{project_id:uuid}/relationships/{relationship_id:uuid}"


class RelationshipController(Controller):
    security = REQUIRES_BEARER
    path = "/projects"
    tags = ("knowledge",)

    @get(
        "/{project_id:uuid}/relationships",
        summary="A project's relationships, newest first",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def list_relationships(
        self,
        project_id: ProjectId,
        actor: Actor,
        list_relationships: FromDishka[ListRelationships],
        entity_id: Annotated[UUID | None, QueryParameter(description="Only those with this entity at an end")] = None,
        type_: Annotated[
            str | None, QueryParameter(query="type", description="Only of this type", max_length=TYPE_MAX)
        ] = None,
        include_candidates: Annotated[
            bool, QueryParameter(description="Also facts under the project's confidence threshold")
        ] = False,
        cursor: Annotated[
            str | None, QueryParameter(description=OPAQUE_CURSOR, pattern=TASK_CURSOR_PATTERN, max_length=1000)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=LIST_LIMIT_MAX)] = 50,
    ) -> RelationshipPageBody:
        refuse_nul({"type": type_})
        query = RelationshipQuery(
            project_id, entity_id=entity_id, type=type_, include_candidates=include_candidates, limit=limit
        )
        page = await list_relationships(actor, query, cursor)
        return RelationshipPageBody(
            relationships=[RelationshipBody.from_domain(r) for r in page.relationships], next_cursor=page.next_cursor
        )

    @post("/{project_id:uuid}/relationships", status_code=201, summary="Create a relationship", responses=_WRITE)
    async def create(
        self,
        project_id: ProjectId,
        data: JSONBody[RelationshipCreate],
        actor: Actor,
        create: FromDishka[CreateRelationship],
    ) -> RelationshipBody:
        new = NewRelationship(data.source_id, data.target_id, data.type)
        return RelationshipBody.from_domain(await create(actor, project_id, new))

    @get(_ONE, summary="A relationship", responses=_READ)
    async def get_relationship(
        self,
        project_id: ProjectId,
        relationship_id: RelationshipId,
        actor: Actor,
        get_relationship: FromDishka[GetRelationship],
    ) -> RelationshipBody:
        return RelationshipBody.from_domain(await get_relationship(actor, project_id, relationship_id))

    @patch(_ONE, summary="Correct a relationship (kept over what extraction finds)", responses=_WRITE)
    async def update(
        self,
        project_id: ProjectId,
        relationship_id: RelationshipId,
        data: JSONBody[RelationshipUpdate],
        actor: Actor,
        edit: FromDishka[EditRelationship],
    ) -> RelationshipBody:
        type_ = None if data.type is UNSET else data.type
        status = None if data.status is UNSET else FactStatus(data.status)
        return RelationshipBody.from_domain(await edit(actor, project_id, relationship_id, type_, status))

    @delete(_ONE, summary="Delete a relationship (maintainers)", responses=_WRITE)
    async def destroy(
        self,
        project_id: ProjectId,
        relationship_id: RelationshipId,
        actor: Actor,
        delete_relationship: FromDishka[DeleteRelationship],
    ) -> None:
        await delete_relationship(actor, project_id, relationship_id)
