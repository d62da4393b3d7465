"""Projects and their members: repositories and use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.projects.invitation_repository import SqlAlchemyInvitationRepository
from agentry.adapters.sqlalchemy.projects.project_repository import (
    SqlAlchemyMembershipRepository,
    SqlAlchemyProjectRepository,
)
from agentry.application.projects.answer_invitation import (
    AcceptInvitation,
    DeclineInvitation,
    InviteePorts,
    ListMyInvitations,
)
from agentry.application.projects.create_project import CreateProject
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.projects.get_project import GetProject
from agentry.application.projects.get_projects import GetProjects
from agentry.application.projects.invitations import (
    InvitationPorts,
    InvitationSettings,
    Invite,
    ListInvitations,
    RevokeInvitation,
)
from agentry.application.projects.list_projects import ListProjects
from agentry.application.projects.members import (
    ChangeMemberRole,
    ListMembers,
    MemberPorts,
    RemoveMember,
)
from agentry.application.projects.personal_budget import PersonalBudgetCap
from agentry.application.projects.ports import InvitationRepository, MembershipRepository, ProjectRepository
from agentry.application.projects.purge_invitations import PurgeExpiredInvitations
from agentry.application.projects.update_project import UpdateProject
from agentry.application.projects.watch_project import WatchProject
from agentry.entrypoints.config import Settings


class ProjectsProvider(Provider):
    scope = Scope.REQUEST

    projects = provide(SqlAlchemyProjectRepository, provides=ProjectRepository)
    memberships = provide(SqlAlchemyMembershipRepository, provides=MembershipRepository)
    invitations = provide(SqlAlchemyInvitationRepository, provides=InvitationRepository)

    @provide(scope=Scope.APP)
    def personal_cap(self, settings: Settings) -> PersonalBudgetCap:
        return PersonalBudgetCap(settings.personal_monthly_budget_usd)

    @provide(scope=Scope.APP)
    def invitation_settings(self, settings: Settings) -> InvitationSettings:
        return InvitationSettings(lasts_s=settings.invitation_ttl_s)

    use_cases = provide_all(
        CreateProject,
        ListProjects,
        GetProject,
        GetProjects,
        UpdateProject,
        DeleteProject,
        MemberPorts,
        ListMembers,
        ChangeMemberRole,
        RemoveMember,
        InvitationPorts,
        Invite,
        ListInvitations,
        RevokeInvitation,
        InviteePorts,
        ListMyInvitations,
        AcceptInvitation,
        DeclineInvitation,
        PurgeExpiredInvitations,
        WatchProject,
    )
