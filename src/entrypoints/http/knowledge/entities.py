"""/api/v1/projects/{id}/entities: search and read (viewers), create and correct (members), merge, split
and delete (maintainers), and an entity's neighbours."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from agentry.application.knowledge.curate import DeleteEntity, MergeEntities, SplitEntity
from agentry.application.knowledge.edit import CreateEntity, EditEntity
from agentry.application.knowledge.ports.graph import EntityQuery
from agentry.application.knowledge.queries import DEPTH_MAX, Neighbours, WalkFilter
from agentry.application.knowledge.read import LIST_LIMIT_MAX, GetEntity, ListEntities
from agentry.domain.knowledge.entity import EntityEdit
from agentry.domain.knowledge.values import NAME_MAX, TYPE_MAX
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import OPAQUE_CURSOR, TASK_CURSOR_PATTERN, refuse_nul
from agentry.entrypoints.http.knowledge.schemas import (
    EntityBody,
    EntityCreate,
    EntityPageBody,
    EntityUpdate,
    MergeBody,
    SplitBody,
    SplitResultBody,
    SubgraphBody,
)

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
EntityId = Annotated[UUID, PathParameter(description="The entity's id")]
Candidates = Annotated[bool, QueryParameter(description="Also facts under the project's confidence threshold")]
_READ = problem_responses(400, 401, 404)
_WRITE = problem_responses(400, 401, 403, 404, 422)
_MERGE = problem_responses(
    400, 401, 403, 404, 422, when={422: "an entity named in `others` is not one of this project's (or is this one)"}
)
_ONE = "/{project_id:uuid}/entities/{entity_id:uuid}"


class EntityController(Controller):
    security = REQUIRES_BEARER
    path = "/projects"
    tags = ("knowledge",)

    @get(
        "/{project_id:uuid}/entities",
        summary="Search a project's entities by name or alias and type, newest first",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def list_entities(
        self,
        project_id: ProjectId,
        actor: Actor,
        list_entities: FromDishka[ListEntities],
        q: Annotated[
            str | None, QueryParameter(description="A part of a name or alias (case aside)", max_length=NAME_MAX)
        ] = None,
        type_: Annotated[
            str | None, QueryParameter(query="type", description="Only of this type", max_length=TYPE_MAX)
        ] = None,
        include_candidates: Candidates = False,
        cursor: Annotated[
            str | None, QueryParameter(description=OPAQUE_CURSOR, pattern=TASK_CURSOR_PATTERN, max_length=1000)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=LIST_LIMIT_MAX)] = 50,
    ) -> EntityPageBody:
        refuse_nul({"q": q, "type": type_})
        query = EntityQuery(project_id, q=q, type=type_, include_candidates=include_candidates, limit=limit)
        page = await list_entities(actor, query, cursor)
        return EntityPageBody(entities=[EntityBody.from_domain(e) for e in page.entities], next_cursor=page.next_cursor)

    @post("/{project_id:uuid}/entities", status_code=201, summary="Create an entity", responses=_WRITE)
    async def create(
        self, project_id: ProjectId, data: JSONBody[EntityCreate], actor: Actor, create: FromDishka[CreateEntity]
    ) -> EntityBody:
        refuse_nul({"properties": data.properties})
        return EntityBody.from_domain(await create(actor, project_id, data.to_domain()))

    @get(_ONE, summary="An entity", responses=_READ)
    async def get_entity(
        self, project_id: ProjectId, entity_id: EntityId, actor: Actor, get_entity: FromDishka[GetEntity]
    ) -> EntityBody:
        return EntityBody.from_domain(await get_entity(actor, project_id, entity_id))

    @patch(_ONE, summary="Correct an entity (kept over what extraction finds)", responses=_WRITE)
    async def update(
        self,
        project_id: ProjectId,
        entity_id: EntityId,
        data: JSONBody[EntityUpdate],
        actor: Actor,
        edit: FromDishka[EditEntity],
    ) -> EntityBody:
        edited = data.to_domain()
        refuse_nul({"properties": edited.properties})
        return EntityBody.from_domain(await edit(actor, project_id, entity_id, edited))

    @delete(_ONE, summary="Delete an entity with its relationships (maintainers)", responses=_WRITE)
    async def destroy(
        self, project_id: ProjectId, entity_id: EntityId, actor: Actor, delete_entity: FromDishka[DeleteEntity]
    ) -> None:
        await delete_entity(actor, project_id, entity_id)

    @post(
        _ONE + "/merge",
        status_code=200,
        summary="Merge other entities into this one: their mentions, aliases and relationships move to it",
        responses=_MERGE,
    )
    async def merge(
        self,
        project_id: ProjectId,
        entity_id: EntityId,
        data: JSONBody[MergeBody],
        actor: Actor,
        merge: FromDishka[MergeEntities],
    ) -> EntityBody:
        return EntityBody.from_domain(await merge(actor, project_id, entity_id, data.others))

    @post(
        _ONE + "/split",
        status_code=200,
        summary="Move some of an entity's aliases and mentions to a new entity",
        responses=_WRITE,
    )
    async def split(
        self,
        project_id: ProjectId,
        entity_id: EntityId,
        data: JSONBody[SplitBody],
        actor: Actor,
        split: FromDishka[SplitEntity],
    ) -> SplitResultBody:
        new = EntityEdit(name=data.name, type=data.type)
        sources = [m.to_domain() for m in data.sources]
        kept, split_off = await split(actor, project_id, entity_id, new, data.aliases, sources)
        return SplitResultBody(entity=EntityBody.from_domain(kept), split_off=EntityBody.from_domain(split_off))

    @get(
        _ONE + "/neighbours",
        summary="The entities within a depth of relationships of this one, and those relationships",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def neighbours(
        self,
        project_id: ProjectId,
        entity_id: EntityId,
        actor: Actor,
        neighbours: FromDishka[Neighbours],
        depth: Annotated[int, QueryParameter(ge=1, le=DEPTH_MAX)] = 1,
        relationship_type: Annotated[
            list[str] | None, QueryParameter(description="Only relationships of these types", max_items=20)
        ] = None,
        entity_type: Annotated[
            list[str] | None, QueryParameter(description="Only through entities of these types", max_items=20)
        ] = None,
        min_confidence: Annotated[float, QueryParameter(ge=0, le=1)] = 0.0,
        include_candidates: Candidates = False,
    ) -> SubgraphBody:
        refuse_nul({"relationship_type": relationship_type, "entity_type": entity_type})
        where = WalkFilter(
            frozenset(relationship_type or ()), frozenset(entity_type or ()), min_confidence, include_candidates
        )
        return SubgraphBody.from_domain(await neighbours(actor, project_id, entity_id, depth, where))
