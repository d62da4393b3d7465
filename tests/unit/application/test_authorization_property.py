"""Whatever the users, projects, memberships and tasks: a caller without a right on a task gets a
refusal and changes nothing, and the task list shows exactly the tasks the caller may read.

Who has which right is decided here, from the table below, not by asking the policy under test."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.application.errors import Forbidden, NotFound
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.get_result import GetResult
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.list_executions import ListExecutions
from agentry.application.tasks.list_tasks import ListTasks, ListTasksQuery
from agentry.application.tasks.read_log import ReadLog
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.update_task import UpdateTask
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.changes import TaskChanges
from agentry.domain.tasks.script import Fail, Say
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from tests.fakes.app import FakeApp
from tests.fakes.memory import MemoryDatabase, fields_of
from tests.unit.application.callers import draw_callers

ANY, OWN, OWN_FINISHED = "any task of the project", "own tasks", "own tasks once finished"

# What each project role may do with a project's tasks. Admins may do everything; a user who is
# not in the project may do nothing.
RIGHTS: dict[ProjectRole, dict[str, str]] = {
    ProjectRole.VIEWER: {"read": ANY},
    ProjectRole.MEMBER: {"read": ANY, "update": OWN, "cancel": OWN, "retry": OWN, "delete": OWN_FINISHED},
    ProjectRole.MAINTAINER: {"read": ANY, "update": ANY, "cancel": ANY, "retry": ANY, "delete": ANY},
    ProjectRole.OWNER: {"read": ANY, "update": ANY, "cancel": ANY, "retry": ANY, "delete": ANY},
}
MAY_SUBMIT = {ProjectRole.MEMBER, ProjectRole.MAINTAINER, ProjectRole.OWNER}
FINISHED = {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.CANCELLED}

# Every use case that reads or writes one task, with the right it needs and how to call it.
TASK_USE_CASES: list[tuple[type[Any], str, dict[str, Any]]] = [
    (GetTask, "read", {}),
    (ListExecutions, "read", {}),
    (ReadLog, "read", {}),
    (GetResult, "read", {}),
    (UpdateTask, "update", {"changes": TaskChanges(title="Taken over")}),
    (CancelTask, "cancel", {}),
    (RetryTask, "retry", {}),
    (DeleteTask, "delete", {}),
]

# How a task ends up before the callers try it.
FATES = ["queued", "scheduled", "running", "succeeded", "failed", "cancelled"]


def may(caller: Principal, right: str, task: AgentTask) -> bool:
    if caller.role is GlobalRole.ADMIN:
        return True
    role = caller.memberships.get(task.project_id)
    scope = None if role is None else RIGHTS[role].get(right)
    own = task.owner_id == caller.id
    return scope == ANY or (scope == OWN and own) or (scope == OWN_FINISHED and own and task.status in FINISHED)


@dataclass(frozen=True)
class Scene:
    callers: list[Principal]
    projects: list[UUID]
    tasks: list[tuple[Principal, UUID, str]]  # submitter, project, fate


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    projects = [UUID(int=0x9000 + i) for i in range(draw(st.integers(1, 3), label="projects"))]
    callers = draw_callers(draw, projects, most=5)
    may_submit = [
        (caller, project)
        for caller in callers
        for project in projects
        if caller.role is GlobalRole.ADMIN or caller.memberships.get(project) in MAY_SUBMIT
    ]
    tasks = []
    if may_submit:
        for _ in range(draw(st.integers(0, 6), label="tasks")):
            submitter, project = draw(st.sampled_from(may_submit))
            tasks.append((submitter, project, draw(st.sampled_from(FATES))))
    return Scene(callers, projects, tasks)


async def arrange(scene: Scene) -> tuple[FakeApp, list[AgentTask]]:
    app = FakeApp()
    epoch = app.clock.now()
    for project_id in scene.projects:
        app.db.projects[project_id] = Project.create(project_id, "Shared", f"shared-{project_id.hex}", epoch)
    for caller in scene.callers:
        for project_id, role in caller.memberships.items():
            app.db.memberships[(project_id, caller.id)] = Membership(project_id, caller.id, role, epoch, epoch)
    for submitter, project_id, fate in scene.tasks:
        spec: dict[str, Any] = {"project_id": project_id}
        if fate == "scheduled":
            spec["scheduled_at"] = app.clock.current + timedelta(days=1)
        elif fate in ("succeeded", "failed"):
            spec["script"] = (Say("Done."),) if fate == "succeeded" else (Fail("broken"),)
        task = await app.submit(submitter, **spec)
        await app.relay()
        if fate in ("succeeded", "failed"):
            await app.run(next(order for order in app.broker.sent if order.task_id == task.id))
        elif fate == "running":
            app.db.tasks[task.id].start(1, app.ids.new_id(), "worker-1", app.clock.now())
        elif fate == "cancelled":
            await app.use(CancelTask)(submitter, task.id)
    tasks = [copy.deepcopy(task) for task in app.db.tasks.values()]
    assert sorted(t.status.value for t in tasks) == sorted(_status_of(fate) for _, _, fate in scene.tasks)
    return app, tasks


def _status_of(fate: str) -> str:
    return {"scheduled": "pending"}.get(fate, fate)


def describe(caller: Principal) -> str:
    roles = {str(project): str(role) for project, role in caller.memberships.items()}
    return f"{caller.name} ({caller.role}, {roles})"


def snapshot(db: MemoryDatabase) -> dict[str, Any]:
    """Everything a task use case may write, as plain values."""
    return copy.deepcopy(
        {
            "tasks": {task_id: fields_of(task) for task_id, task in db.tasks.items()},
            "versions": db.versions,
            "jobs": {job_id: (row.job, row.leased_until) for job_id, row in db.jobs.items()},
            "executions": {e_id: fields_of(e) for e_id, e in db.executions.items()},
            "logs": sorted(db.logs),
            "results": sorted(db.results),
            "commits": db.commits,
        }
    )


@settings(max_examples=60, deadline=None)
@given(scene=scenes())
async def test_a_caller_without_the_right_is_refused_and_nothing_changes(scene: Scene) -> None:
    app, tasks = await arrange(scene)
    before = snapshot(app.db)
    for use_case, right, kwargs in TASK_USE_CASES:
        for caller in scene.callers:
            for task in tasks:
                if may(caller, right, task):
                    continue
                expected = Forbidden if may(caller, "read", task) else NotFound
                attempt = f"{use_case.__name__} by {describe(caller)} on a {task.status} task of {task.project_id}"
                try:
                    await app.use(use_case)(caller, task.id, **kwargs)
                except (Forbidden, NotFound) as refusal:
                    assert type(refusal) is expected, f"{attempt}: {type(refusal).__name__}"
                else:
                    raise AssertionError(f"{attempt} was not refused")
                assert snapshot(app.db) == before, f"{attempt} changed the database"


@settings(max_examples=60, deadline=None)
@given(scene=scenes())
async def test_the_task_list_holds_exactly_the_tasks_the_caller_may_read(scene: Scene) -> None:
    app, tasks = await arrange(scene)
    for caller in scene.callers:
        page = await app.use(ListTasks)(caller, ListTasksQuery(limit=100))
        readable = {task.id for task in tasks if may(caller, "read", task)}
        assert {task.id for task in page.items} == readable, describe(caller)
        assert page.next_cursor is None
        for task in tasks:
            if task.id in readable:
                assert (await app.use(GetTask)(caller, task.id)).id == task.id
