"""Query and Mutation: each field decodes its arguments, calls one use case as the caller, encodes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from agentry.application.identity.get_me import GetMe
from agentry.application.projects.create_project import CreateProject, NewProject
from agentry.application.projects.get_project import GetProject
from agentry.application.projects.invitations import Invite
from agentry.application.projects.list_projects import ListProjects
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.cursor import encode_cursor
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.follow_up_task import FollowUpTask
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.list_tasks import ListTasks, ListTasksQuery
from agentry.application.tasks.ports.task_repository import TaskFilter, TaskSort
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.submit_task import IDEMPOTENCY_KEY_MAX, Submission, SubmitTask, SubmitTaskCommand
from agentry.application.tasks.update_task import UpdateTask
from agentry.domain.errors import InvalidValue
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.types import InvitationType, ProjectType, TaskType, UserType
from agentry.entrypoints.http.kit.validators import refuse_nul, require_utc_range
from agentry.entrypoints.http.projects.invitation_schemas import InvitationCreate
from agentry.entrypoints.http.projects.schemas import ProjectCreate
from agentry.entrypoints.http.tasks.schemas import FollowUpCreate, TaskCreate, TaskUpdate

TaskSortType = strawberry.enum(TaskSort, name="TaskSort")


@strawberry.input(description="Which tasks to list; as the query parameters of GET /api/v1/tasks")
class TaskFilterInput:
    project_ids: list[UUID] | None = None
    owner_ids: list[UUID] | None = None
    statuses: list[TaskStatus] | None = None
    priorities: list[Priority] | None = None
    tags: list[str] | None = strawberry.field(default=None, description="All of these tags")
    created_after: datetime | None = None
    created_before: datetime | None = None
    q: str | None = strawberry.field(default=None, description="Text in the title")
    sort: TaskSort = TaskSort.CREATED_DESC


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class TaskEdge:
    cursor: str
    node: TaskType


@strawberry.type
class TaskConnection:
    edges: list[TaskEdge]
    page_info: PageInfo

    @strawberry.field(description="The tasks of the edges, without their cursors")
    def nodes(self) -> list[TaskType]:
        return [edge.node for edge in self.edges]


@strawberry.type
class ProjectPage:
    items: list[ProjectType]
    next_after: str | None


@strawberry.input(description="As the body of POST /api/v1/tasks")
class SubmitTaskInput:
    title: str
    prompt: str
    priority: Priority | None = None
    tags: list[str] | None = None
    options: JSON | None = strawberry.field(default=None, description="As `options` of the REST body")
    scheduled_at: datetime | None = None
    max_attempts: int | None = None
    project_id: UUID | None = strawberry.field(default=None, description="Omitted: your personal project")


@strawberry.input(description="As the body of POST /api/v1/tasks/{id}/follow-up")
class FollowUpInput:
    prompt: str
    title: str | None = None
    priority: Priority | None = None
    tags: list[str] | None = None
    options: JSON | None = None
    max_attempts: int | None = None


@strawberry.input(description="As the body of PATCH /api/v1/tasks/{id}: fields left out stay as they are")
class UpdateTaskInput:
    title: str | None = strawberry.UNSET
    prompt: str | None = strawberry.UNSET
    priority: Priority | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    options: JSON | None = strawberry.UNSET
    scheduled_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="null: run the task as soon as possible"
    )
    max_attempts: int | None = strawberry.UNSET


@strawberry.input(description="As the body of POST /api/v1/projects")
class CreateProjectInput:
    name: str
    slug: str
    settings: JSON | None = None


@strawberry.type
class SubmitTaskPayload:
    task: TaskType
    replayed: bool = strawberry.field(description="True: an earlier submission with this idempotency key")

    @classmethod
    def of(cls, submission: Submission) -> SubmitTaskPayload:
        return cls(task=TaskType.of(submission.task), replayed=submission.replayed)


def _body(kind: type[Any], given: object) -> Any:
    """The REST request body `kind` from a GraphQL input, validated exactly as REST validates it."""
    raw = {name: value for name, value in vars(given).items() if value is not None}
    return msgspec.convert(raw, kind, strict=False)


def _idempotency_key(key: str | None) -> str | None:
    if key is not None and not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX:
        raise InvalidValue("idempotencyKey", f"must be 1 to {IDEMPOTENCY_KEY_MAX} characters")
    refuse_nul(key, "idempotencyKey")
    return key


@strawberry.type
class Query:
    @strawberry.field(description="The caller's own account")
    async def me(self, info: Info[Any, Any]) -> UserType:
        return UserType.of(await context_of(info).call(GetMe, lambda use, actor: use(actor)))

    @strawberry.field(description="The projects you belong to (all of them, for admins), in slug order")
    async def projects(self, info: Info[Any, Any], first: int = 50, after: str | None = None) -> ProjectPage:
        context = context_of(info)
        page = await context.call(ListProjects, lambda use, actor: use(actor, after=after, limit=first))
        actor = await context.principal()
        return ProjectPage(
            items=[ProjectType.of(p, actor.project_role(p.id)) for p in page.items], next_after=page.next_after
        )

    @strawberry.field(description="A project (not found when you may not read it)")
    async def project(self, info: Info[Any, Any], id: UUID) -> ProjectType:
        context = context_of(info)
        project = await context.call(GetProject, lambda use, actor: use(actor, id))
        return ProjectType.of(project, (await context.principal()).project_role(project.id))

    @strawberry.field(description="The tasks you may read, filtered and sorted; a Relay connection")
    async def tasks(
        self,
        info: Info[Any, Any],
        filter: TaskFilterInput | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> TaskConnection:
        wanted = filter or TaskFilterInput()
        refuse_nul({"q": wanted.q, "tags": wanted.tags, "after": after})
        require_utc_range("created_after", wanted.created_after)
        require_utc_range("created_before", wanted.created_before)
        query = ListTasksQuery(
            TaskFilter(
                project_ids=frozenset(wanted.project_ids or ()),
                owner_ids=frozenset(wanted.owner_ids or ()),
                statuses=frozenset(wanted.statuses or ()),
                priorities=frozenset(wanted.priorities or ()),
                tags=frozenset(wanted.tags or ()),
                created_after=wanted.created_after,
                created_before=wanted.created_before,
                title_contains=wanted.q,
            ),
            sort=wanted.sort,
            cursor=after,
            limit=first,
        )
        page = await context_of(info).call(ListTasks, lambda use, actor: use(actor, query))
        edges = [TaskEdge(cursor=encode_cursor(wanted.sort, t), node=TaskType.of(t)) for t in page.items]
        more = page.next_cursor is not None
        info_ = PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None)
        return TaskConnection(edges=edges, page_info=info_)

    @strawberry.field(description="A task (not found when you may not read it)")
    async def task(self, info: Info[Any, Any], id: UUID) -> TaskType:
        return TaskType.of(await context_of(info).call(GetTask, lambda use, actor: use(actor, id)))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Submit a task; the same idempotency key and input give back the same task")
    async def submit_task(
        self, info: Info[Any, Any], input: SubmitTaskInput, idempotency_key: str | None = None
    ) -> SubmitTaskPayload:
        body: TaskCreate = _body(TaskCreate, input)
        command = SubmitTaskCommand(body.to_domain(), _idempotency_key(idempotency_key), body.project_id)
        return SubmitTaskPayload.of(await context_of(info).call(SubmitTask, lambda use, actor: use(actor, command)))

    @strawberry.mutation(description="Submit a follow-up that resumes a finished task's agent session")
    async def follow_up_task(
        self,
        info: Info[Any, Any],
        id: UUID,
        input: FollowUpInput,
        idempotency_key: str | None = None,
    ) -> SubmitTaskPayload:
        body: FollowUpCreate = _body(FollowUpCreate, input)
        command = body.to_domain(id, _idempotency_key(idempotency_key))
        return SubmitTaskPayload.of(await context_of(info).call(FollowUpTask, lambda use, actor: use(actor, command)))

    @strawberry.mutation(description="Cancel a task")
    async def cancel_task(self, info: Info[Any, Any], id: UUID) -> TaskType:
        return TaskType.of(await context_of(info).call(CancelTask, lambda use, actor: use(actor, id)))

    @strawberry.mutation(description="Retry a failed or timed-out task")
    async def retry_task(self, info: Info[Any, Any], id: UUID) -> TaskType:
        return TaskType.of(await context_of(info).call(RetryTask, lambda use, actor: use(actor, id)))

    @strawberry.mutation(description="Edit a pending task")
    async def update_task(self, info: Info[Any, Any], id: UUID, input: UpdateTaskInput) -> TaskType:
        raw = {name: value for name, value in vars(input).items() if value is not strawberry.UNSET}
        changes = msgspec.convert(raw, TaskUpdate, strict=False).to_domain()
        return TaskType.of(await context_of(info).call(UpdateTask, lambda use, actor: use(actor, id, changes)))

    @strawberry.mutation(description="Delete a task that is not running; answers its id")
    async def delete_task(self, info: Info[Any, Any], id: UUID) -> UUID:
        await context_of(info).call(DeleteTask, lambda use, actor: use(actor, id))
        return id

    @strawberry.mutation(description="Create a project (you become its owner)")
    async def create_project(self, info: Info[Any, Any], input: CreateProjectInput) -> ProjectType:
        body: ProjectCreate = _body(ProjectCreate, input)
        refuse_nul({"name": body.name, "slug": body.slug})
        new = NewProject(body.name, body.slug, body.settings.to_domain() if body.settings else None)
        project = await context_of(info).call(CreateProject, lambda use, actor: use(actor, new))
        return ProjectType.of(project, ProjectRole.OWNER)

    @strawberry.mutation(
        description="Add a member to a project: people join by invitation, so this invites the address at the "
        "role (as POST /api/v1/projects/{id}/invitations); they become a member when they accept"
    )
    async def add_member(self, info: Info[Any, Any], project_id: UUID, email: str, role: ProjectRole) -> InvitationType:
        body: InvitationCreate = msgspec.convert({"email": email, "role": role.value}, InvitationCreate)
        invitation = await context_of(info).call(
            Invite, lambda use, actor: use(actor, project_id, body.email, body.role)
        )
        return InvitationType.of(invitation)
