"""The GraphQL object types: what REST's response bodies show, built from those bodies (rest_bodies.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from agentry.application.projects.members import ListMembers, Member
from agentry.application.tasks.get_result import GetResult
from agentry.application.tasks.list_executions import ListExecutions
from agentry.application.tasks.read_log import ReadLog
from agentry.domain.identity.users import User
from agentry.domain.projects.invitation import Invitation
from agentry.domain.projects.project import Project
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.executions import ExecutionStatus, TaskExecution
from agentry.domain.tasks.logs import LogKind, LogLevel, LogLine
from agentry.domain.tasks.results import TaskResult
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from agentry.entrypoints.graphql.context import context_of
from agentry.entrypoints.graphql.rest_bodies import body_fields
from agentry.entrypoints.http.projects.schemas import MemberBody, ProjectBody
from agentry.entrypoints.http.tasks.response_schemas import (
    ErrorBody,
    ExecutionBody,
    LogLineBody,
    ResultBody,
    TaskBody,
    UsageBody,
)

for _enum in (TaskStatus, Priority, ExecutionStatus, LogLevel, LogKind, ProjectRole, GlobalRole):
    strawberry.enum(_enum)

POSITION_MAX = 2**53


@strawberry.type(name="User")
class UserType:
    id: UUID
    email: str
    display_name: str
    role: GlobalRole
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserType:
        return cls(
            id=user.id, email=user.email, display_name=user.display_name, role=user.role, created_at=user.created_at
        )


@strawberry.type(name="Member")
class MemberType:
    user_id: UUID
    email: str
    display_name: str
    role: ProjectRole
    joined_at: datetime

    @classmethod
    def of(cls, member: Member) -> MemberType:
        return cls(**body_fields(MemberBody.from_domain(member)))


@strawberry.type(name="Project")
class ProjectType:
    id: UUID
    name: str
    slug: str
    personal: bool
    settings: JSON
    your_role: ProjectRole | None = strawberry.field(description="The caller's role here (null: an admin not a member)")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, project: Project, your_role: ProjectRole | None) -> ProjectType:
        body = ProjectBody.from_domain(project, your_role)
        return cls(**body_fields(body, settings=msgspec.to_builtins(body.settings)))

    @strawberry.field(description="The project's members (as GET /projects/{id}/members)")
    async def members(self, info: Info[Any, Any]) -> list[MemberType]:
        members = await context_of(info).call(ListMembers, lambda use, actor: use(actor, self.id))
        return [MemberType.of(m) for m in members]


@strawberry.type(name="Invitation")
class InvitationType:
    id: UUID
    project_id: UUID
    email: str
    role: ProjectRole
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationType:
        return cls(
            id=invitation.id,
            project_id=invitation.project_id,
            email=invitation.email,
            role=invitation.role,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


@strawberry.type(name="Error")
class ErrorType:
    code: str
    message: str

    @classmethod
    def of_body(cls, body: ErrorBody | None) -> ErrorType | None:
        return None if body is None else cls(**body_fields(body))


@strawberry.type(name="Usage")
class UsageType:
    input_tokens: int
    output_tokens: int
    cost_usd: float

    @classmethod
    def of(cls, usage: Usage) -> UsageType:
        return cls.of_body(UsageBody.from_domain(usage))

    @classmethod
    def of_body(cls, body: UsageBody) -> UsageType:
        return cls(**body_fields(body))


@strawberry.type(name="Execution")
class ExecutionType:
    id: UUID
    number: int
    attempt: int
    status: ExecutionStatus
    worker_id: str
    started_at: datetime
    finished_at: datetime | None
    duration_s: float | None
    error: ErrorType | None
    usage: UsageType
    agent_session_id: str | None

    @classmethod
    def of(cls, execution: TaskExecution) -> ExecutionType:
        body = ExecutionBody.from_domain(execution)
        return cls(**body_fields(body, error=ErrorType.of_body(body.error), usage=UsageType.of_body(body.usage)))


@strawberry.type(name="ExecutionPage")
class ExecutionPageType:
    items: list[ExecutionType]
    next_cursor: str | None


@strawberry.type(name="LogLine")
class LogLineType:
    execution_number: int
    sequence: int
    at: datetime
    level: LogLevel
    kind: LogKind
    message: str
    data: JSON

    @classmethod
    def of(cls, line: LogLine) -> LogLineType:
        return cls(**body_fields(LogLineBody.from_domain(line)))


@strawberry.type(name="LogPage")
class LogPageType:
    execution_number: int | None
    items: list[LogLineType]
    next_after: int


@strawberry.type(name="Result")
class ResultType:
    task_id: UUID
    execution_id: UUID
    summary: str
    output: str
    artifacts: JSON
    usage: UsageType
    created_at: datetime

    @classmethod
    def of(cls, result: TaskResult) -> ResultType:
        body = ResultBody.from_domain(result)
        return cls(**body_fields(body, usage=UsageType.of_body(body.usage)))


@strawberry.type(name="Task")
class TaskType:
    id: UUID
    owner_id: UUID
    project_id: UUID
    title: str
    prompt: str
    priority: Priority
    tags: list[str]
    options: JSON
    status: TaskStatus
    scheduled_at: datetime | None
    max_attempts: int
    attempts: int
    execution_count: int
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error: ErrorType | None
    follows_task_id: UUID | None

    @classmethod
    def of(cls, task: AgentTask) -> TaskType:
        body = TaskBody.from_domain(task)
        options = msgspec.to_builtins(body.options)
        return cls(**body_fields(body, options=options, error=ErrorType.of_body(body.error)))

    @strawberry.field(description="The task's project (batched over a page of tasks)")
    async def project(self, info: Info[Any, Any]) -> ProjectType | None:
        context = context_of(info)
        project = await context.projects.load(self.project_id)
        if project is None:
            return None
        return ProjectType.of(project, (await context.principal()).project_role(project.id))

    @strawberry.field(description="The latest execution, if the task has run (batched over a page of tasks)")
    async def latest_execution(self, info: Info[Any, Any]) -> ExecutionType | None:
        execution = await context_of(info).latest_executions.load(self.id)
        return ExecutionType.of(execution) if execution else None

    @strawberry.field(description="The task's executions, one per attempt, in order")
    async def executions(self, info: Info[Any, Any], first: int = 50, after: str | None = None) -> ExecutionPageType:
        page = await context_of(info).call(
            ListExecutions, lambda use, actor: use(actor, self.id, cursor=after, limit=first)
        )
        return ExecutionPageType(items=[ExecutionType.of(e) for e in page.items], next_cursor=page.next_cursor)

    @strawberry.field(description="Log lines of an execution (the latest by default), after a sequence number")
    async def logs(
        self, info: Info[Any, Any], after: int = 0, first: int = 100, execution: int | None = None
    ) -> LogPageType:
        page = await context_of(info).call(
            ReadLog, lambda use, actor: use(actor, self.id, execution=execution, after=after, limit=first)
        )
        return LogPageType(
            execution_number=page.execution_number,
            items=[LogLineType.of(line) for line in page.items],
            next_after=page.next_after,
        )

    @strawberry.field(description="The result of a succeeded task (an error for any other)")
    async def result(self, info: Info[Any, Any]) -> ResultType:
        return ResultType.of(await context_of(info).call(GetResult, lambda use, actor: use(actor, self.id)))
