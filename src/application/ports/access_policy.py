"""The policy decision port: every use case asks it before acting."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.status import TaskStatus


class Action(StrEnum):
    READ_TASK = "read_task"
    SUBMIT_TASK = "submit_task"
    UPDATE_TASK = "update_task"
    CANCEL_TASK = "cancel_task"
    RETRY_TASK = "retry_task"
    DELETE_TASK = "delete_task"
    CREATE_PROJECT = "create_project"
    READ_PROJECT = "read_project"
    UPDATE_PROJECT = "update_project"
    DELETE_PROJECT = "delete_project"
    MANAGE_MEMBERS = "manage_members"
    LEAVE_PROJECT = "leave_project"
    MANAGE_WEBHOOKS = "manage_webhooks"  # a project's webhook endpoints, their secrets and deliveries
    ANSWER_INVITATION = "answer_invitation"  # list, accept or decline invitations to one's own address
    REGISTER = "register"
    MANAGE_USERS = "manage_users"
    MANAGE_ACCOUNT = "manage_account"  # one's own profile, data export and API token list
    MANAGE_CREDENTIALS = "manage_credentials"  # password, new API tokens, account deletion: a login only
    RUN_EXECUTION = "run_execution"
    DISPATCH_WORK = "dispatch_work"
    RECOVER_WORK = "recover_work"  # end executions whose worker is lost, resend lost messages
    READ_USAGE = "read_usage"  # usage reports: of every project (no project named), of one project, or one's own
    READ_DOCUMENT = "read_document"  # a project's documents, their chunks and ingestion jobs
    INGEST_DOCUMENT = "ingest_document"
    DELETE_DOCUMENT = "delete_document"  # with everything derived from it (owner_id: who ingested it)
    READ_PUBLICATION = "read_publication"  # a project's publications in any status, and their history
    WRITE_PUBLICATION = "write_publication"  # draft, edit, submit and withdraw; read their engagement
    PUBLISH_PUBLICATION = "publish_publication"  # publish, archive, unpublish
    DELETE_PUBLICATION = "delete_publication"
    READ_KNOWLEDGE = "read_knowledge"  # a project's entities, relationships and graph queries
    EDIT_KNOWLEDGE = "edit_knowledge"  # create and correct entities and relationships
    CURATE_KNOWLEDGE = "curate_knowledge"  # merge, split and delete them


class TaskGuard(Protocol):
    """What the policy reads of a task, without the task itself (e.g. a conditional read's row)."""

    @property
    def project_id(self) -> UUID: ...
    @property
    def owner_id(self) -> UUID: ...
    @property
    def status(self) -> TaskStatus: ...


@dataclass(frozen=True, slots=True)
class Resource:
    """What a decision needs to know about the object acted on.

    `owner_id` is a task's submitter, the member concerned by a membership change, the account acted
    on, or the account an invitation is addressed to; `role` is the highest project role a membership
    change involves (the member's current role or the new one), or an invitation's role.
    """

    project_id: UUID | None = None
    owner_id: UUID | None = None
    status: str | None = None
    role: ProjectRole | None = None

    @classmethod
    def of_task(cls, task: TaskGuard) -> Resource:
        return cls(project_id=task.project_id, owner_id=task.owner_id, status=task.status.value)

    @classmethod
    def of_project(cls, project_id: UUID) -> Resource:
        return cls(project_id=project_id)

    @classmethod
    def of_account(cls, user_id: UUID) -> Resource:
        return cls(owner_id=user_id)


NOTHING = Resource()


@dataclass(frozen=True, slots=True)
class ProjectScope:
    """The projects whose objects a principal may read, in a form a query can filter on."""

    project_ids: frozenset[UUID] = frozenset()
    everything: bool = False

    @classmethod
    def all(cls) -> ProjectScope:
        return cls(everything=True)

    @classmethod
    def only(cls, project_ids: frozenset[UUID]) -> ProjectScope:
        return cls(project_ids=project_ids)

    def includes(self, project_id: UUID) -> bool:
        return self.everything or project_id in self.project_ids


class AccessPolicy(Protocol):
    def allows(self, actor: Principal, action: Action, resource: Resource = NOTHING) -> bool: ...

    def readable_projects(self, actor: Principal) -> ProjectScope:
        """The projects in which the actor may read tasks and the project itself."""
        ...


def readable_by_asking(policy: AccessPolicy, actor: Principal) -> ProjectScope:
    """`readable_projects` for a policy where admins read everything and anyone else reads at most the
    projects they belong to: ask `allows` about reading tasks in each of them."""
    if actor.is_admin:
        return ProjectScope.all()
    return ProjectScope.only(
        frozenset(
            project_id
            for project_id in actor.memberships
            if policy.allows(actor, Action.READ_TASK, Resource.of_project(project_id))
        )
    )
