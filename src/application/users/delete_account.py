from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from agentry.application.access import require, require_credentials_of
from agentry.application.chat.ports import ChatSessionRepository
from agentry.application.documents.ports import DocumentRepository
from agentry.application.errors import Forbidden, NotFound, ProjectBusy, SoleOwner
from agentry.application.identity.passwords import confirm_password
from agentry.application.identity.ports.credentials import PasswordHasher
from agentry.application.identity.ports.users import UserRepository
from agentry.application.knowledge.ports.edits import KnowledgeEditLog
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import InvitationRepository, MembershipRepository, ProjectRepository
from agentry.application.publishing.ports import PublicationRepository
from agentry.application.users.admins import lock_for_change
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import ProjectRole

CHAT_PAGE = 100
PUBLICATION_PAGE = 100
PASSWORD_NEEDED = "deleting your own account needs your password, asked again to confirm it is you"


@dataclass(frozen=True, slots=True)
class DeleteAccount:
    """Remove an account, by an admin or by its user (from a login session, with their password again).

    Its memberships, sessions and API tokens go with it, the invitations to its address are declined,
    and so do the projects that would be left to nobody: the personal project it alone owns and any
    shared project it alone is in, each with its tasks (refused while one of those tasks runs). A shared
    project others are in that it alone owns must be handed over or deleted first. Tasks it submitted in
    projects that stay, stay. Its chat sessions go, in every project, with their turns (the tasks that
    answered them are tasks it submitted: they stay where their project stays, and go with a project that
    goes). What it authored in the knowledge capability follows its project: documents it uploaded and
    publications it authored go with a project that goes, and in a project that stays they stay, naming
    nobody (no submitter, no author, and the publication moves it made name nobody); the record of its
    corrections to knowledge graphs goes (the corrections stay, unattributed). The last active admin
    cannot go. All of it in one transaction.
    """

    users: UserRepository
    projects: ProjectRepository
    memberships: MembershipRepository
    invitations: InvitationRepository
    chat_sessions: ChatSessionRepository
    documents: DocumentRepository
    publications: PublicationRepository
    knowledge_edits: KnowledgeEditLog
    hasher: PasswordHasher
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock

    async def __call__(self, actor: Principal, user_id: UUID, *, password: str | None = None) -> None:
        """`password`: the actor's own, needed when the account is theirs."""
        if user_id == actor.id:
            require_credentials_of(self.policy, actor, user_id)
            await self._confirm(user_id, password)
        else:
            require(self.policy, actor, Action.MANAGE_USERS)
        user = await lock_for_change(self.users, user_id, may_remove_an_admin=True)
        going, staying = await self._projects_going_with(user_id)
        for project in going:
            if await self.projects.has_unfinished_tasks(project.id):
                raise ProjectBusy(project.id)
        now = self.clock.now()
        await self._remove_chat_sessions(user_id)
        await self._forget_authorship(user_id)
        for project in going:
            project.delete(now, with_its_user=True)
            await self.projects.delete(project)
        for membership in staying:
            membership.end(now)
        for invitation in await self.invitations.all_to(user.email):
            invitation.decline(now)
            await self.invitations.remove(invitation)
        user.delete(now)
        await self.users.delete(user)
        await self.uow.commit()

    async def _remove_chat_sessions(self, user_id: UUID) -> None:
        before = None
        while True:
            sessions = await self.chat_sessions.of_owner(user_id, archived=None, before=before, limit=CHAT_PAGE)
            for session in sessions:
                await self.chat_sessions.remove(session)
            if len(sessions) < CHAT_PAGE:
                return
            before = (sessions[-1].updated_at, sessions[-1].id)

    async def _forget_authorship(self, user_id: UUID) -> None:
        await self.documents.forget_submitter(user_id)
        await self.knowledge_edits.forget_editor(user_id)
        after = None
        while publications := await self.publications.naming(user_id, after, PUBLICATION_PAGE):
            # until a page comes back empty: reading it writes the last page's changes before the projects go
            for publication in publications:
                publication.forget(user_id)
            after = publications[-1].id

    async def _confirm(self, user_id: UUID, password: str | None) -> None:
        if password is None:
            raise Forbidden(Action.MANAGE_CREDENTIALS, PASSWORD_NEEDED)
        user = await self.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        await confirm_password(self.hasher, user, password)

    async def _projects_going_with(self, user_id: UUID) -> tuple[list[Project], list[Membership]]:
        """The projects to delete with the account, and its memberships of the projects that stay;
        SoleOwner names the projects that stop it."""
        joined = {m.project_id: m for m in await self.memberships.of_user(user_id)}
        going: list[Project] = []
        ownerless: list[Project] = []
        # Locked, so nobody joins, leaves or changes role in them until the account is gone.
        for project in await self.projects.get_many(list(joined), for_update=True):
            others = [m for m in await self.memberships.of_project(project.id) if m.user_id != user_id]
            alone_owns = _alone_owns(joined[project.id], others)
            if not others or (project.personal and alone_owns):
                going.append(project)
            elif alone_owns:
                ownerless.append(project)
        if ownerless:
            raise SoleOwner([(p.id, p.slug) for p in ownerless])
        gone = {project.id for project in going}
        return going, [membership for membership in joined.values() if membership.project_id not in gone]


def _alone_owns(membership: Membership, others: list[Membership]) -> bool:
    return membership.role is ProjectRole.OWNER and all(m.role is not ProjectRole.OWNER for m in others)
