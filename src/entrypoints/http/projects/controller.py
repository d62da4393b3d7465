"""/api/v1/projects and their members (who join by invitation: invitations.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import UNSET

from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.projects.get_project import GetProject
from agentry.application.projects.list_projects import ListProjects
from agentry.application.projects.members import ChangeMemberRole, ListMembers, RemoveMember
from agentry.application.projects.update_project import ProjectChanges, UpdateProject
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import PROJECT_AFTER_PATTERN
from agentry.entrypoints.http.projects.schemas import (
    MemberBody,
    MemberUpdate,
    ProjectBody,
    ProjectCreate,
    ProjectPageBody,
    ProjectUpdate,
)

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
UserId = Annotated[UUID, PathParameter(description="The member's user id")]
_READ = problem_responses(400, 401, 404)
_WRITE = problem_responses(400, 401, 403, 404, 409, 422)


class ProjectController(Controller):
    security = REQUIRES_BEARER
    path = "/projects"
    tags = ("projects",)

    @post("/", status_code=201, summary="Create a project (you become its owner)", responses=_WRITE)
    async def create(
        self, data: JSONBody[ProjectCreate], actor: Actor, create: FromDishka[CreateProject]
    ) -> ProjectBody:
        settings = data.settings.to_domain() if data.settings else None
        project = await create(actor, NewProject(data.name, data.slug, settings))
        return ProjectBody.from_domain(project, ProjectRole.OWNER)

    @get(
        "/",
        summary="The projects you belong to (all of them, for admins), in slug order",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def list_projects(
        self,
        actor: Actor,
        list_projects: FromDishka[ListProjects],
        after: Annotated[
            str | None, QueryParameter(description="next_after of the previous page", pattern=PROJECT_AFTER_PATTERN)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    ) -> ProjectPageBody:
        page = await list_projects(actor, after=after, limit=limit)
        return ProjectPageBody(
            [ProjectBody.from_domain(p, actor.project_role(p.id)) for p in page.items], page.next_after
        )

    @get("/{project_id:uuid}", summary="Get a project", responses=_READ)
    async def get_project(
        self, project_id: ProjectId, actor: Actor, get_project: FromDishka[GetProject]
    ) -> ProjectBody:
        return ProjectBody.from_domain(await get_project(actor, project_id), actor.project_role(project_id))

    @patch("/{project_id:uuid}", summary="Rename a project or change its settings (owners)", responses=_WRITE)
    async def update(
        self, project_id: ProjectId, data: JSONBody[ProjectUpdate], actor: Actor, update: FromDishka[UpdateProject]
    ) -> ProjectBody:
        changes = ProjectChanges(
            name=data.name if data.name is not UNSET else None,
            slug=data.slug if data.slug is not UNSET else None,
            settings=data.settings.to_domain() if data.settings is not UNSET else None,
        )
        return ProjectBody.from_domain(await update(actor, project_id, changes), actor.project_role(project_id))

    @delete("/{project_id:uuid}", summary="Delete a project and all its tasks (owners)", responses=_WRITE)
    async def destroy(self, project_id: ProjectId, actor: Actor, delete_project: FromDishka[DeleteProject]) -> None:
        await delete_project(actor, project_id)

    @get("/{project_id:uuid}/members", summary="The project's members", responses=_READ)
    async def members(
        self, project_id: ProjectId, actor: Actor, list_members: FromDishka[ListMembers]
    ) -> list[MemberBody]:
        return [MemberBody.from_domain(m) for m in await list_members(actor, project_id)]

    @patch("/{project_id:uuid}/members/{user_id:uuid}", summary="Change a member's role", responses=_WRITE)
    async def change_member(
        self,
        project_id: ProjectId,
        user_id: UserId,
        data: JSONBody[MemberUpdate],
        actor: Actor,
        change_role: FromDishka[ChangeMemberRole],
    ) -> MemberBody:
        return MemberBody.from_domain(await change_role(actor, project_id, user_id, data.role))

    @delete("/{project_id:uuid}/members/{user_id:uuid}", summary="Remove a member, or leave", responses=_WRITE)
    async def remove_member(
        self, project_id: ProjectId, user_id: UserId, actor: Actor, remove_member: FromDishka[RemoveMember]
    ) -> None:
        await remove_member(actor, project_id, user_id)
