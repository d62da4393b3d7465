"""Projects and their members: repositories and use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.projects.project_repository import (
    SqlAlchemyMembershipRepository,
    SqlAlchemyProjectRepository,
)
from agentry.application.projects.create_project import CreateProject
from agentry.application.projects.delete_project import DeleteProject
from agentry.application.projects.get_project import GetProject
from agentry.application.projects.list_projects import ListProjects
from agentry.application.projects.members import (
    AddMember,
    ChangeMemberRole,
    ListMembers,
    MemberPorts,
    RemoveMember,
)
from agentry.application.projects.ports import MembershipRepository, ProjectRepository
from agentry.application.projects.update_project import UpdateProject
from agentry.application.projects.watch_project import WatchProject


class ProjectsProvider(Provider):
    scope = Scope.REQUEST

    projects = provide(SqlAlchemyProjectRepository, provides=ProjectRepository)
    memberships = provide(SqlAlchemyMembershipRepository, provides=MembershipRepository)

    use_cases = provide_all(
        CreateProject,
        ListProjects,
        GetProject,
        UpdateProject,
        DeleteProject,
        MemberPorts,
        ListMembers,
        AddMember,
        ChangeMemberRole,
        RemoveMember,
        WatchProject,
    )
