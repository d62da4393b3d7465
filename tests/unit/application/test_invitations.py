"""Joining a project by invitation: nobody is a member until they accept, an invitation says nothing
about whether its address has an account, and it expires."""

from __future__ import annotations

import pytest

from agentry.application.errors import DuplicateMember, Forbidden, NotFound
from agentry.application.projects.answer_invitation import AcceptInvitation, DeclineInvitation, ListMyInvitations
from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.projects.invitations import WEEK_S, Invite, ListInvitations, RevokeInvitation
from agentry.application.projects.members import ListMembers
from agentry.application.projects.purge_invitations import PurgeExpiredInvitations
from agentry.domain.errors import InvalidValue
from agentry.domain.roles import ProjectRole
from tests.fakes.app import ADMIN, SYSTEM, FakeApp
from tests.unit.application.test_projects import People, project_tables, roles_in, tools_project

OWNER, MAINTAINER, MEMBER, VIEWER = ProjectRole.OWNER, ProjectRole.MAINTAINER, ProjectRole.MEMBER, ProjectRole.VIEWER


def project_events(app: FakeApp) -> list[str]:
    return [row.event.type for row in app.db.events if row.event.type.startswith("project.")]


async def test_an_invited_user_is_a_member_only_once_they_accept() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people)
    olive, mel = await people.who("olive"), await people.who("mel")
    invitation = await app.use(Invite)(olive, project.id, "  MEL@Example.com ", MEMBER)
    assert (invitation.email, invitation.role, invitation.invited_by) == ("mel@example.com", MEMBER, olive.id)
    assert invitation.expires_at - invitation.created_at == app.invitation_settings.lasts
    assert roles_in(app, project.id) == {olive.id: OWNER}
    with pytest.raises(NotFound):
        await app.use(ListMembers)(mel, project.id)
    [received] = await app.use(ListMyInvitations)(mel)
    assert (received.invitation.id, received.project.name) == (invitation.id, "Tools")
    membership, joined = await app.use(AcceptInvitation)(mel, invitation.id)
    assert (membership.role, joined.id) == (MEMBER, project.id)
    assert roles_in(app, project.id) == {olive.id: OWNER, mel.id: MEMBER}
    assert (await people.who("mel")).memberships[project.id] is MEMBER
    assert await app.use(ListMyInvitations)(mel) == []
    assert project_events(app)[-3:] == [
        "project.invitation_sent",
        "project.invitation_accepted",
        "project.member_added",
    ]
    sent = next(row.event for row in app.db.events if row.event.type == "project.invitation_sent")
    assert "email" not in sent.data and "mel" not in str(sent.data)


async def test_inviting_an_address_with_or_without_an_account_answers_alike() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people)
    await people.who("mel")
    gone = await people.who("gone")
    app.db.users[gone.id].deactivate(app.clock.now())
    olive = await people.who("olive")
    answers = [
        await app.use(Invite)(olive, project.id, email, VIEWER)
        for email in ("mel@example.com", "nobody@example.com", "gone@example.com")
    ]
    shapes = [(i.project_id, i.role, i.invited_by, i.expires_at - i.created_at) for i in answers]
    assert shapes[0] == shapes[1] == shapes[2]
    assert sorted(i.email for i in await app.use(ListInvitations)(olive, project.id)) == [
        "gone@example.com",
        "mel@example.com",
        "nobody@example.com",
    ]


async def test_inviting_a_member_is_refused_and_a_bad_address_too() -> None:
    people = People(FakeApp())
    project = await tools_project(people, mel=MEMBER)
    olive = await people.who("olive")
    before = project_tables(people.app)
    with pytest.raises(DuplicateMember):
        await people.app.use(Invite)(olive, project.id, "mel@example.com", MAINTAINER)
    for bad in ("not an email", "mel\u200b@example.com", "pаypal@example.com"):
        with pytest.raises(InvalidValue):
            await people.app.use(Invite)(olive, project.id, bad, VIEWER)
    assert project_tables(people.app) == before and people.app.db.invitations == {}


async def test_inviting_again_renews_the_pending_invitation_at_the_new_role() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mona=MAINTAINER)
    mona, vic = await people.who("mona"), await people.who("vic")  # principals: access tokens would expire
    first = await app.use(Invite)(await people.who("olive"), project.id, "vic@example.com", VIEWER)
    app.clock.advance(days=6)
    again = await app.use(Invite)(mona, project.id, "VIC@example.com", MEMBER)
    assert again.id == first.id and len(app.db.invitations) == 1
    assert (again.role, again.invited_by) == (MEMBER, mona.id)
    app.clock.advance(days=6)  # past the first expiry, not the renewed one
    membership, _ = await app.use(AcceptInvitation)(vic, first.id)
    assert membership.role is MEMBER


async def test_an_expired_invitation_is_neither_listed_nor_accepted() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people)
    vic, olive = await people.who("vic"), await people.who("olive")
    invitation = await app.use(Invite)(olive, project.id, "vic@example.com", VIEWER)
    app.clock.advance(seconds=WEEK_S)
    assert await app.use(ListMyInvitations)(vic) == []
    assert await app.use(ListInvitations)(olive, project.id) == []
    with pytest.raises(NotFound):
        await app.use(AcceptInvitation)(vic, invitation.id)
    assert vic.id not in roles_in(app, project.id)


async def test_a_declined_or_revoked_invitation_is_gone() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people, mona=MAINTAINER)
    vic, olive, mona = await people.who("vic"), await people.who("olive"), await people.who("mona")
    declined = await app.use(Invite)(olive, project.id, "vic@example.com", VIEWER)
    await app.use(DeclineInvitation)(vic, declined.id)
    revoked = await app.use(Invite)(mona, project.id, "vic@example.com", MEMBER)
    await app.use(RevokeInvitation)(mona, project.id, revoked.id)
    for gone in (declined, revoked):
        with pytest.raises(NotFound):
            await app.use(AcceptInvitation)(vic, gone.id)
    assert app.db.invitations == {} and vic.id not in roles_in(app, project.id)
    kinds = [t for t in project_events(app) if "invitation" in t]
    assert kinds[-4:] == [
        "project.invitation_sent",
        "project.invitation_declined",
        "project.invitation_sent",
        "project.invitation_revoked",
    ]


async def test_an_admin_may_invite_but_not_accept_for_someone_else() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people)
    await people.who("vic")
    invitation = await app.use(Invite)(ADMIN, project.id, "vic@example.com", VIEWER)
    with pytest.raises(NotFound):
        await app.use(AcceptInvitation)(ADMIN, invitation.id)
    olive = await people.who("olive")
    ops = await app.use(CreateProject)(olive, NewProject("Ops", "ops"))
    with pytest.raises(NotFound):  # an invitation of another project, revoked through one olive owns
        await app.use(RevokeInvitation)(olive, ops.id, invitation.id)
    assert invitation.id in app.db.invitations


async def test_housekeeping_deletes_the_invitations_nobody_answered_in_time() -> None:
    people = People(FakeApp())
    app = people.app
    project = await tools_project(people)
    olive = await people.who("olive")
    stale = await app.use(Invite)(olive, project.id, "stale@example.com", VIEWER)
    app.clock.advance(days=3)
    fresh = await app.use(Invite)(olive, project.id, "fresh@example.com", VIEWER)
    app.clock.advance(seconds=WEEK_S - 3 * 86_400)
    with pytest.raises(Forbidden):
        await app.use(PurgeExpiredInvitations)(olive)
    assert await app.use(PurgeExpiredInvitations)(SYSTEM) == 1
    assert set(app.db.invitations) == {fresh.id}
    assert await app.use(PurgeExpiredInvitations)(SYSTEM) == 0
    [lapsed] = [r.event for r in app.db.events if r.event.type == "project.invitation_expired"]
    assert lapsed.data["invitation_id"] == str(stale.id)
