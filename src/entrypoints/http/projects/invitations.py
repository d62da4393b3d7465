"""/api/v1/projects/{id}/invitations (the project's managers) and /api/v1/invitations (the invitee)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from agentry.application.projects.answer_invitation import AcceptInvitation, DeclineInvitation, ListMyInvitations
from agentry.application.projects.invitations import Invite, ListInvitations, RevokeInvitation
from agentry.domain.principal import Principal
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.projects.invitation_schemas import (
    InvitationBody,
    InvitationCreate,
    JoinedBody,
    ReceivedInvitationBody,
)

Actor = NamedDependency[Principal]
ProjectId = Annotated[UUID, PathParameter(description="The project's id")]
InvitationId = Annotated[UUID, PathParameter(description="The invitation's id")]
_READ = problem_responses(400, 401, 403, 404)
_WRITE = problem_responses(400, 401, 403, 404, 409, 422)


class ProjectInvitationController(Controller):
    security = REQUIRES_BEARER
    path = "/projects/{project_id:uuid}/invitations"
    tags = ("projects",)

    @post(
        "/",
        status_code=202,
        summary="Invite an email address to the project (maintainers: below owner); the same answer "
        "whether or not it has an account. The invitee becomes a member on accepting.",
        responses=_WRITE,
    )
    async def invite(
        self, project_id: ProjectId, data: JSONBody[InvitationCreate], actor: Actor, invite: FromDishka[Invite]
    ) -> InvitationBody:
        return InvitationBody.from_domain(await invite(actor, project_id, data.email, data.role))

    @get("/", summary="The project's pending invitations (those who manage members)", responses=_READ)
    async def pending(
        self, project_id: ProjectId, actor: Actor, list_invitations: FromDishka[ListInvitations]
    ) -> list[InvitationBody]:
        return [InvitationBody.from_domain(i) for i in await list_invitations(actor, project_id)]

    @delete("/{invitation_id:uuid}", summary="Revoke a pending invitation", responses=_WRITE)
    async def revoke(
        self,
        project_id: ProjectId,
        invitation_id: InvitationId,
        actor: Actor,
        revoke_invitation: FromDishka[RevokeInvitation],
    ) -> None:
        await revoke_invitation(actor, project_id, invitation_id)


class InvitationController(Controller):
    security = REQUIRES_BEARER
    path = "/invitations"
    tags = ("projects",)

    @get("/", summary="The pending invitations to your email address", responses=_READ)
    async def mine(self, actor: Actor, list_mine: FromDishka[ListMyInvitations]) -> list[ReceivedInvitationBody]:
        return [ReceivedInvitationBody.from_domain(r) for r in await list_mine(actor)]

    @post("/{invitation_id:uuid}/accept", status_code=200, summary="Accept: join the project", responses=_WRITE)
    async def accept(
        self, invitation_id: InvitationId, actor: Actor, accept: FromDishka[AcceptInvitation]
    ) -> JoinedBody:
        return JoinedBody.from_domain(*await accept(actor, invitation_id))

    @post("/{invitation_id:uuid}/decline", status_code=204, summary="Decline an invitation", responses=_WRITE)
    async def decline(self, invitation_id: InvitationId, actor: Actor, decline: FromDishka[DeclineInvitation]) -> None:
        await decline(actor, invitation_id)
