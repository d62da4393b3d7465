"""/api/v1/tasks: decode, call the use case, encode. No decisions here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, HeaderParameter, JSONBody, PathParameter, QueryParameter

from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.follow_up_task import FollowUpTask
from agentry.application.tasks.get_result import GetResult
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.list_executions import ListExecutions
from agentry.application.tasks.list_tasks import ListTasks, ListTasksQuery
from agentry.application.tasks.ports.task_repository import TaskFilter, TaskSort
from agentry.application.tasks.read_log import ReadLog
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.submit_task import IDEMPOTENCY_KEY_MAX, Submission, SubmitTask, SubmitTaskCommand
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.application.tasks.update_task import UpdateTask
from agentry.domain.principal import Principal
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from agentry.entrypoints.http.kit.authentication import REQUIRES_BEARER
from agentry.entrypoints.http.kit.caching import matches, representation_tag, version_tag
from agentry.entrypoints.http.kit.problems import problem_responses
from agentry.entrypoints.http.kit.validators import (
    EXECUTION_CURSOR_PATTERN,
    OPAQUE_CURSOR,
    TASK_CURSOR_PATTERN,
    refuse_nul,
    require_utc_range,
)
from agentry.entrypoints.http.tasks.response_schemas import (
    ExecutionBody,
    ExecutionPageBody,
    LogLineBody,
    LogPageBody,
    ResultBody,
    StatsBody,
    TaskBody,
    TaskPageBody,
)
from agentry.entrypoints.http.tasks.schemas import FollowUpCreate, TaskCreate, TaskUpdate

TaskId = Annotated[UUID, PathParameter(description="The task's id")]
Actor = NamedDependency[Principal]  # the acting principal, provided by the app
POSITION_MAX = 2**53  # exact as a JSON number (and in JavaScript), and fits a database integer
_READ = problem_responses(400, 401, 404)
_TASK_REPRESENTATION = representation_tag(TaskBody)
_WRITE = problem_responses(400, 401, 403, 404, 409, 422)
IdempotencyKey = Annotated[
    str | None, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=IDEMPOTENCY_KEY_MAX)
]


class TaskController(Controller):
    security = REQUIRES_BEARER
    path = "/tasks"
    tags = ("tasks",)

    @post(
        "/",
        status_code=201,
        summary="Submit a task",
        description="Same Idempotency-Key and body: the same task (header Idempotent-Replayed: true); "
        "same key, different body: 409. A project whose monthly budget is spent takes no new task: 409 "
        "/problems/budget-exhausted.",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422, new_work=True),
    )
    async def submit(
        self,
        data: JSONBody[TaskCreate],
        actor: Actor,
        submit: FromDishka[SubmitTask],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[TaskBody]:
        refuse_nul(idempotency_key, "Idempotency-Key")
        return _created(await submit(actor, SubmitTaskCommand(data.to_domain(), idempotency_key, data.project_id)))

    @post(
        "/{task_id:uuid}/follow-up",
        status_code=201,
        summary="Submit a follow-up that resumes a finished task's agent session",
        description="The new task runs in the same project, on the same runner, in the same working directory. "
        "A task that has not finished, or whose latest execution started no agent session: 409. "
        "Idempotency-Key and the monthly budget as for submitting.",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422, new_work=True),
    )
    async def follow_up(
        self,
        task_id: TaskId,
        data: JSONBody[FollowUpCreate],
        actor: Actor,
        follow_up_task: FromDishka[FollowUpTask],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[TaskBody]:
        refuse_nul(idempotency_key, "Idempotency-Key")
        return _created(await follow_up_task(actor, data.to_domain(task_id, idempotency_key)))

    @get("/", summary="List tasks", responses=problem_responses(400, 401, 422))
    async def list_tasks(
        self,
        actor: Actor,
        list_tasks: FromDishka[ListTasks],
        project_id: Annotated[list[UUID] | None, QueryParameter(description="Any of these projects")] = None,
        owner_id: Annotated[list[UUID] | None, QueryParameter(description="Submitted by any of these users")] = None,
        status: Annotated[list[TaskStatus] | None, QueryParameter(description="Any of these statuses")] = None,
        priority: Annotated[list[Priority] | None, QueryParameter(description="Any of these priorities")] = None,
        tag: Annotated[list[str] | None, QueryParameter(description="All of these tags")] = None,
        created_after: FromQuery[datetime | None] = None,
        created_before: FromQuery[datetime | None] = None,
        q: Annotated[str | None, QueryParameter(description="Text in the title", max_length=200)] = None,
        sort: FromQuery[TaskSort] = TaskSort.CREATED_DESC,
        cursor: Annotated[
            str | None,
            QueryParameter(
                description=f"next_cursor of the previous page. {OPAQUE_CURSOR}", pattern=TASK_CURSOR_PATTERN
            ),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> TaskPageBody:
        refuse_nul({"q": q, "tag": tag, "cursor": cursor})
        require_utc_range("created_after", created_after)
        require_utc_range("created_before", created_before)
        page = await list_tasks(
            actor,
            ListTasksQuery(
                TaskFilter(
                    project_ids=frozenset(project_id or ()),
                    owner_ids=frozenset(owner_id or ()),
                    statuses=frozenset(status or ()),
                    priorities=frozenset(priority or ()),
                    tags=frozenset(tag or ()),
                    created_after=created_after,
                    created_before=created_before,
                    title_contains=q,
                ),
                sort=sort,
                cursor=cursor,
                limit=limit,
            ),
        )
        return TaskPageBody([TaskBody.from_domain(t) for t in page.items], page.next_cursor)

    @get(
        "/stats",
        summary="Counts by status, success rate and durations",
        responses=problem_responses(400, 401, 404, 422),
    )
    async def stats(
        self,
        actor: Actor,
        task_stats: FromDishka[GetTaskStats],
        project_id: Annotated[UUID | None, QueryParameter(description="Only this project's tasks")] = None,
        created_after: FromQuery[datetime | None] = None,
        created_before: FromQuery[datetime | None] = None,
    ) -> StatsBody:
        require_utc_range("created_after", created_after)
        require_utc_range("created_before", created_before)
        stats = await task_stats(
            actor, project_id=project_id, created_after=created_after, created_before=created_before
        )
        return StatsBody.from_domain(stats)

    @get("/{task_id:uuid}", summary="Get a task", responses=_READ)
    async def get_task(
        self, request: Request[Any, Any, Any], task_id: TaskId, actor: Actor, get_task: FromDishka[GetTask]
    ) -> Response[TaskBody]:
        # The tag is the row's version (bumped by every write of the task, see the mapping's version
        # counter) with the representation's: the answer is made of that row alone. A conditional read
        # asks for the version first, authorized as the task is, and answers a match with a 304 before
        # it loads the task or builds any body.
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None:
            version = await get_task.version(actor, task_id)
            if version is not None and matches(if_none_match.encode(), _task_tag(version).encode()):
                return _not_modified(_task_tag(version))
        task = await get_task(actor, task_id)
        stored: int | None = getattr(task, "_version", None)
        if stored is None:
            return Response(TaskBody.from_domain(task))
        return Response(TaskBody.from_domain(task), headers={"ETag": _task_tag(stored)})

    @patch(
        "/{task_id:uuid}", summary="Edit a pending task", responses=problem_responses(400, 401, 403, 404, 409, 413, 422)
    )
    async def update(
        self, task_id: TaskId, data: JSONBody[TaskUpdate], actor: Actor, update_task: FromDishka[UpdateTask]
    ) -> TaskBody:
        return TaskBody.from_domain(await update_task(actor, task_id, data.to_domain()))

    @delete("/{task_id:uuid}", summary="Delete a task that is not running", responses=_WRITE)
    async def delete(self, task_id: TaskId, actor: Actor, delete_task: FromDishka[DeleteTask]) -> None:
        await delete_task(actor, task_id)

    @post("/{task_id:uuid}/cancel", status_code=200, summary="Cancel a task", responses=_WRITE)
    async def cancel(self, task_id: TaskId, actor: Actor, cancel_task: FromDishka[CancelTask]) -> TaskBody:
        return TaskBody.from_domain(await cancel_task(actor, task_id))

    @post(
        "/{task_id:uuid}/retry",
        status_code=200,
        summary="Retry a failed or timed-out task",
        description="Refused (409 /problems/budget-exhausted) while the project's monthly budget is spent.",
        responses=problem_responses(400, 401, 403, 404, 409, 422, new_work=True),
    )
    async def retry(self, task_id: TaskId, actor: Actor, retry_task: FromDishka[RetryTask]) -> TaskBody:
        return TaskBody.from_domain(await retry_task(actor, task_id))

    @get("/{task_id:uuid}/executions", summary="The task's executions, one per attempt", responses=_READ)
    async def executions(
        self,
        task_id: TaskId,
        actor: Actor,
        list_executions: FromDishka[ListExecutions],
        cursor: Annotated[
            str | None,
            QueryParameter(description="next_cursor of the previous page", pattern=EXECUTION_CURSOR_PATTERN),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    ) -> ExecutionPageBody:
        page = await list_executions(actor, task_id, cursor=cursor, limit=limit)
        return ExecutionPageBody([ExecutionBody.from_domain(e) for e in page.items], page.next_cursor)

    @get(
        "/{task_id:uuid}/logs",
        summary="Log lines of an execution (the latest by default)",
        description="An execution number the task does not have yet: 422.",
        responses=problem_responses(
            400, 401, 404, 422, when={422: "`execution` names an execution the task does not have"}
        ),
    )
    async def logs(
        self,
        task_id: TaskId,
        actor: Actor,
        read_log: FromDishka[ReadLog],
        execution: Annotated[int | None, QueryParameter(ge=1, le=POSITION_MAX, description="Execution number")] = None,
        after: Annotated[int, QueryParameter(ge=0, le=POSITION_MAX, description="Sequence number to read after")] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> LogPageBody:
        page = await read_log(actor, task_id, execution=execution, after=after, limit=limit)
        return LogPageBody(page.execution_number, [LogLineBody.from_domain(x) for x in page.items], page.next_after)

    @get("/{task_id:uuid}/result", summary="The result of a succeeded task", responses=_READ)
    async def result(self, task_id: TaskId, actor: Actor, get_result: FromDishka[GetResult]) -> ResultBody:
        return ResultBody.from_domain(await get_result(actor, task_id))


def _created(submission: Submission) -> Response[TaskBody]:
    task = submission.task
    headers = {"Location": f"/api/v1/tasks/{task.id}"}
    if submission.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(TaskBody.from_domain(task), status_code=201, headers=headers)


def _task_tag(version: int) -> str:
    return version_tag(version, _TASK_REPRESENTATION)


def _not_modified(tag: str) -> Response[TaskBody]:
    return cast("Response[TaskBody]", Response(content=b"", status_code=304, headers={"ETag": tag}))
