"""The questions every use case asks the policy before acting."""

from __future__ import annotations

from uuid import UUID

from agentry.application.errors import Forbidden, NotFound
from agentry.application.ports.access_policy import NOTHING, AccessPolicy, Action, Resource
from agentry.application.projects.ports import ProjectRepository
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.domain.principal import Principal
from agentry.domain.tasks.task import AgentTask


def require(policy: AccessPolicy, actor: Principal, action: Action, resource: Resource = NOTHING) -> None:
    if not policy.allows(actor, action, resource):
        raise Forbidden(action)


SESSION_NEEDED = "changing credentials needs a login session; a personal API token cannot do it"


def require_credentials_of(policy: AccessPolicy, actor: Principal, user_id: UUID) -> None:
    """Password, email, new API tokens, deletion: refused with a reason a script's author can act on."""
    if not policy.allows(actor, Action.MANAGE_CREDENTIALS, Resource.of_account(user_id)):
        raise Forbidden(Action.MANAGE_CREDENTIALS, None if actor.signed_in else SESSION_NEEDED)


def require_project_reader(policy: AccessPolicy, actor: Principal, project_id: UUID) -> None:
    """A project the actor may not read does not exist for them (404, not 403)."""
    if not policy.allows(actor, Action.READ_PROJECT, Resource.of_project(project_id)):
        raise NotFound("project", project_id)


async def require_existing_project(projects: ProjectRepository, project_id: UUID) -> None:
    """After the rights: an administrator may name any project id, so the rights alone do not say that
    the project exists (a deleted one's reads answer 404, not an empty page)."""
    if await projects.get(project_id) is None:
        raise NotFound("project", project_id)


async def visible_task(
    tasks: TaskRepository,
    policy: AccessPolicy,
    actor: Principal,
    task_id: UUID,
    *,
    for_update: bool = False,
    to_answer: bool = False,
) -> AgentTask:
    """The task, if the actor may read it; otherwise it does not exist for them (404, not 403).
    `to_answer`: only to be read (TaskRepository.read), not changed."""
    task = await (tasks.read(task_id) if to_answer else tasks.get(task_id, for_update=for_update))
    if task is None or not policy.allows(actor, Action.READ_TASK, Resource.of_task(task)):
        raise NotFound("task", task_id)
    return task
