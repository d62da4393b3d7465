"""Whatever the users, projects, memberships and pending invitations: only the account an invitation
is addressed to sees, accepts or declines it; only those who may manage members invite and revoke,
at the roles they may grant; and every refusal changes nothing.

Who may do what is decided here, not by asking the policy under test."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.errors import Forbidden, NotFound
from agentry.application.projects.answer_invitation import AcceptInvitation, DeclineInvitation, ListMyInvitations
from agentry.application.projects.invitations import Invite, RevokeInvitation
from agentry.domain.identity.users import User
from agentry.domain.principal import Principal
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import GlobalRole, ProjectRole
from tests.fakes.app import FakeApp
from tests.fakes.memory import MemoryDatabase, fields_of
from tests.unit.application.callers import draw_callers

WEEK = timedelta(days=7)


def email_of(caller: Principal) -> str:
    return f"{caller.name}@example.com"


def may_grant(caller: Principal, project_id: UUID, role: ProjectRole) -> bool:
    mine = caller.memberships.get(project_id)
    return (
        caller.role is GlobalRole.ADMIN
        or mine is ProjectRole.OWNER
        or (mine is ProjectRole.MAINTAINER and role is not ProjectRole.OWNER)
    )


def refusal_for(caller: Principal, project_id: UUID) -> type[Exception]:
    reads = caller.role is GlobalRole.ADMIN or project_id in caller.memberships
    return Forbidden if reads else NotFound


@dataclass(frozen=True)
class Scene:
    callers: list[Principal]
    projects: list[UUID]
    invitations: list[tuple[UUID, Principal, ProjectRole]]  # project, invitee, role


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    projects = [UUID(int=0x9000 + i) for i in range(draw(st.integers(1, 2), label="projects"))]
    callers = draw_callers(draw, projects, most=4)
    invitations = [
        (project, caller, draw(st.sampled_from(list(ProjectRole))))
        for project in projects
        for caller in callers
        if project not in caller.memberships and draw(st.booleans(), label="invited")
    ]
    return Scene(callers, projects, invitations)


def arrange(scene: Scene) -> tuple[FakeApp, list[Invitation]]:
    app = FakeApp()
    epoch = app.clock.now()
    for project_id in scene.projects:
        app.db.projects[project_id] = Project.create(project_id, "Shared", f"shared-{project_id.hex}", epoch)
    for caller in scene.callers:
        app.db.users[caller.id] = User(caller.id, email_of(caller), caller.name, "hash", caller.role, epoch, epoch)
        for project_id, role in caller.memberships.items():
            app.db.memberships[(project_id, caller.id)] = Membership(project_id, caller.id, role, epoch, epoch)
    inviter = UUID(int=0x1)
    for number, (project_id, invitee, role) in enumerate(scene.invitations):
        invitation = Invitation.send(
            UUID(int=0x7000 + number), project_id, email_of(invitee), role, inviter, epoch, WEEK
        )
        invitation.pull_events()
        app.db.invitations[invitation.id] = invitation
    return app, [copy.deepcopy(i) for i in app.db.invitations.values()]


def snapshot(db: MemoryDatabase) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "invitations": {key: fields_of(row) for key, row in db.invitations.items()},
            "memberships": {key: fields_of(row) for key, row in db.memberships.items()},
            "events": len(db.events),
            "commits": db.commits,
        }
    )


async def refused(app: FakeApp, expected: type[Exception], attempt: str, call: Any) -> None:
    before = snapshot(app.db)
    try:
        await call
    except (Forbidden, NotFound) as refusal:
        assert type(refusal) is expected, f"{attempt}: {type(refusal).__name__}"
    else:
        raise AssertionError(f"{attempt} was not refused")
    assert snapshot(app.db) == before, f"{attempt} changed the database"


@settings(max_examples=60, deadline=None)
@given(scene=scenes())
async def test_only_the_invitee_sees_accepts_or_declines_an_invitation(scene: Scene) -> None:
    app, invitations = arrange(scene)
    for caller in scene.callers:
        mine = {i.id for i in invitations if i.email == email_of(caller)}
        listed = await app.use(ListMyInvitations)(caller)
        assert {r.invitation.id for r in listed} == mine, caller.name
        for invitation in invitations:
            if invitation.id in mine:
                continue
            attempt = f"{caller.name} ({caller.role}) answering an invitation to {invitation.email}"
            await refused(app, NotFound, attempt, app.use(AcceptInvitation)(caller, invitation.id))
            await refused(app, NotFound, attempt, app.use(DeclineInvitation)(caller, invitation.id))
    for project_id, invitee, role in scene.invitations:
        invitation = next(i for i in invitations if (i.project_id, i.email) == (project_id, email_of(invitee)))
        membership, _ = await app.use(AcceptInvitation)(invitee, invitation.id)
        assert (membership.user_id, membership.role) == (invitee.id, role)
        assert app.db.memberships[(project_id, invitee.id)].role is role
    assert app.db.invitations == {}


@settings(max_examples=60, deadline=None)
@given(scene=scenes(), role=st.sampled_from(list(ProjectRole)))
async def test_only_who_may_grant_a_role_invites_at_it_or_revokes_an_invitation_to_it(
    scene: Scene, role: ProjectRole
) -> None:
    app, invitations = arrange(scene)
    for caller in scene.callers:
        for project_id in scene.projects:
            address = f"new-{caller.name}-{project_id.int}@example.com"
            call = app.use(Invite)(caller, project_id, address, role)
            if may_grant(caller, project_id, role):
                assert (await call).email == address
            else:
                attempt = f"{caller.name} ({caller.role}, {caller.memberships}) inviting at {role} to {project_id}"
                await refused(app, refusal_for(caller, project_id), attempt, call)
        for invitation in invitations:
            if not may_grant(caller, invitation.project_id, invitation.role):
                attempt = f"{caller.name} revoking an invitation at {invitation.role} to {invitation.project_id}"
                call = app.use(RevokeInvitation)(caller, invitation.project_id, invitation.id)
                await refused(app, refusal_for(caller, invitation.project_id), attempt, call)
