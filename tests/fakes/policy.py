"""The access rules as a plain table: what each kind of principal and each project role may do, and
on which condition. The contract suite holds it to the same decisions as the Casbin policy."""

from __future__ import annotations

from collections.abc import Callable

from agentry.application.ports.access_policy import NOTHING, Action, ProjectScope, Resource, readable_by_asking
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.status import TERMINAL

Condition = Callable[[Principal, Resource], bool]


def always(actor: Principal, resource: Resource) -> bool:
    return True


def own(actor: Principal, resource: Resource) -> bool:
    return resource.owner_id is not None and resource.owner_id == actor.id


def own_and_terminal(actor: Principal, resource: Resource) -> bool:
    return own(actor, resource) and resource.status is not None and resource.status in TERMINAL


def below_owner(actor: Principal, resource: Resource) -> bool:
    return resource.role is not ProjectRole.OWNER


def signed_in(actor: Principal, resource: Resource) -> bool:
    return actor.signed_in


def own_and_signed_in(actor: Principal, resource: Resource) -> bool:
    return own(actor, resource) and actor.signed_in


SYSTEM_ACTIONS = frozenset({Action.RUN_EXECUTION, Action.DISPATCH_WORK, Action.RECOVER_WORK})
ANONYMOUS_ACTIONS = frozenset({Action.REGISTER})
VISITOR_GRANTS: dict[Action, Condition] = {Action.READ_TASK: own}  # its own public chat turns' tasks
USER_GRANTS: dict[Action, Condition] = {
    Action.CREATE_PROJECT: always,
    Action.MANAGE_ACCOUNT: own,
    Action.MANAGE_CREDENTIALS: own_and_signed_in,
    Action.ANSWER_INVITATION: own,
    Action.READ_USAGE: own,
}
ADMIN_GRANTS: dict[Action, Condition] = dict.fromkeys(set(Action) - SYSTEM_ACTIONS, always) | {
    Action.MANAGE_CREDENTIALS: signed_in,
    Action.ANSWER_INVITATION: own,  # consent: not even an admin joins a project for someone else
}

VIEWER: dict[Action, Condition] = {
    Action.READ_TASK: always,
    Action.READ_PROJECT: always,
    Action.LEAVE_PROJECT: own,
    Action.READ_DOCUMENT: always,
    Action.READ_PUBLICATION: always,
    Action.READ_KNOWLEDGE: always,
}
MEMBER = VIEWER | {
    Action.SUBMIT_TASK: always,
    Action.UPDATE_TASK: own,
    Action.CANCEL_TASK: own,
    Action.RETRY_TASK: own,
    Action.DELETE_TASK: own_and_terminal,
    Action.INGEST_DOCUMENT: always,
    Action.DELETE_DOCUMENT: own,
    Action.WRITE_PUBLICATION: always,
    Action.EDIT_KNOWLEDGE: always,
}
MAINTAINER = MEMBER | {
    Action.UPDATE_TASK: always,
    Action.CANCEL_TASK: always,
    Action.RETRY_TASK: always,
    Action.DELETE_TASK: always,
    Action.MANAGE_MEMBERS: below_owner,
    Action.READ_USAGE: always,
    Action.MANAGE_WEBHOOKS: always,
    Action.DELETE_DOCUMENT: always,
    Action.PUBLISH_PUBLICATION: always,
    Action.DELETE_PUBLICATION: always,
    Action.CURATE_KNOWLEDGE: always,
}
OWNER = MAINTAINER | {
    Action.MANAGE_MEMBERS: always,
    Action.UPDATE_PROJECT: always,
    Action.DELETE_PROJECT: always,
}
PROJECT_GRANTS: dict[ProjectRole, dict[Action, Condition]] = {
    ProjectRole.VIEWER: VIEWER,
    ProjectRole.MEMBER: MEMBER,
    ProjectRole.MAINTAINER: MAINTAINER,
    ProjectRole.OWNER: OWNER,
}


class TablePolicy:
    def allows(self, actor: Principal, action: Action, resource: Resource = NOTHING) -> bool:
        if actor.kind is PrincipalKind.SYSTEM:
            return action in SYSTEM_ACTIONS
        if actor.kind is PrincipalKind.ANONYMOUS:
            return action in ANONYMOUS_ACTIONS
        if actor.kind is PrincipalKind.VISITOR:
            return action in VISITOR_GRANTS and VISITOR_GRANTS[action](actor, resource)
        if actor.is_admin:
            return action in ADMIN_GRANTS and ADMIN_GRANTS[action](actor, resource)
        if action in USER_GRANTS and USER_GRANTS[action](actor, resource):
            return True  # else a project role may still grant it (reading usage: one's own, or as maintainer)
        role = None if resource.project_id is None else actor.project_role(resource.project_id)
        condition = None if role is None else PROJECT_GRANTS[role].get(action)
        return condition is not None and condition(actor, resource)

    def readable_projects(self, actor: Principal) -> ProjectScope:
        return readable_by_asking(self, actor)
