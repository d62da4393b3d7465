"""A project's rules hold at every step: submit, edit, retry, follow-up, and again when a worker claims
the task (a task its project no longer allows fails `not_allowed` before any agent starts). The tools a
task names must be among the project's (compared exactly); a task naming none runs with the project's.
bypassPermissions needs a confined runner; a script runs only on the scripted runner, where it is on."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.adapters.runners.scripted import ScriptedRunner
from agentry.application.errors import UnknownRunner
from agentry.application.tasks.follow_up_task import FollowUpCommand, FollowUpTask
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.update_task import UpdateTask
from agentry.domain.errors import InvalidValue
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.tasks.changes import TaskChanges
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.script import Fail, Say, UseTool
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, TEAM, FakeApp
from tests.fakes.runners import RecordingRunner

BYPASS, PLAN, DEFAULT = PermissionMode.BYPASS_PERMISSIONS, PermissionMode.PLAN, PermissionMode.DEFAULT


def rules(app: FakeApp, **settings: Any) -> None:
    project = app.db.projects[TEAM]
    project.settings = replace(project.settings, **settings)


def recording(app: FakeApp, *, confined: bool = True) -> RecordingRunner:
    runner = RecordingRunner()
    app.runners = StaticRunnerCatalog({"scripted": runner}, "scripted", confined={"scripted"} if confined else ())
    return runner


async def refused(call: Any, field: str) -> InvalidValue:
    with pytest.raises(InvalidValue) as refusal:
        await call
    assert refusal.value.field == field
    return refusal.value


async def failed_task(app: FakeApp, **options: Any) -> Any:
    task = await app.submit(options=TaskOptions(script=(Fail("broke"),), **options))
    await app.relay()
    assert await app.run_next() is ExecutionStatus.FAILED
    return app.task(task.id)


# --- allowed tools ------------------------------------------------------------------------------------


async def test_a_task_naming_a_tool_outside_the_projects_list_is_refused_entries_compare_exactly() -> None:
    app = FakeApp()
    rules(app, allowed_tools=frozenset({"Read", "Bash(git:*)"}))

    problem = await refused(app.submit(options=TaskOptions(allowed_tools=("Read", "Bash"))), "options.allowed_tools")
    assert "Bash not allowed" in problem.message and "Bash(git:*), Read" in problem.message
    task = await app.submit(options=TaskOptions(allowed_tools=("Bash(git:*)",)))
    assert task.status is TaskStatus.QUEUED
    assert len(app.db.tasks) == 1, "the refused task was not written"


async def test_a_task_naming_no_tools_runs_with_the_projects_list_and_one_naming_some_with_its_own() -> None:
    app = FakeApp()
    runner = recording(app)
    rules(app, allowed_tools=frozenset({"Read", "Grep"}))
    await app.submit()
    await app.submit(options=TaskOptions(allowed_tools=("Read",)))
    await app.relay()
    assert await app.run_next() is ExecutionStatus.SUCCEEDED
    assert await app.run_next() is ExecutionStatus.SUCCEEDED

    assert [request.tools for request in runner.requests] == [("Grep", "Read"), ("Read",)]


async def test_without_a_tool_restriction_the_run_gets_none_and_its_own_list_only_pre_approves() -> None:
    app = FakeApp()
    runner = recording(app)
    await app.submit(options=TaskOptions(allowed_tools=("Read",)))
    await app.relay()
    await app.run_next()
    [request] = runner.requests
    assert (request.tools, request.options.allowed_tools) == (None, ("Read",))


async def test_a_scripted_tool_call_outside_the_runs_tools_answers_with_an_error() -> None:
    app = FakeApp()
    rules(app, allowed_tools=frozenset({"Read", "Bash(git:*)"}))
    task = await app.submit(script=(UseTool("Bash", {}, "ran git"), UseTool("Write", {}, "wrote")))
    await app.relay()
    await app.run_next()
    results = [line for line in app.db.logs.values() if line.task_id == task.id and line.kind is LogKind.TOOL_RESULT]
    assert [(line.message, line.data["is_error"]) for line in sorted(results, key=lambda line: line.sequence)] == [
        ("ran git", False),
        ("Write is not among the tools this run may use", True),
    ]


@pytest.mark.parametrize("mode", [BYPASS, PermissionMode.ACCEPT_EDITS])
async def test_a_mode_that_does_not_hold_tools_to_their_patterns_is_refused_where_the_list_has_patterns(
    mode: PermissionMode,
) -> None:
    app = FakeApp()
    rules(app, allowed_tools=frozenset({"Bash(git:*)"}))
    problem = await refused(app.submit(options=TaskOptions(permission_mode=mode)), "options.permission_mode")
    assert "Bash(git:*)" in problem.message
    rules(app, allowed_tools=frozenset({"Read", "Edit"}))
    assert (await app.submit(options=TaskOptions(permission_mode=mode))).status is TaskStatus.QUEUED


# --- bypassPermissions needs a confined runner ---------------------------------------------------------


async def test_bypass_permissions_is_refused_on_a_runner_that_is_not_confined() -> None:
    app = FakeApp()
    recording(app, confined=False)
    problem = await refused(app.submit(options=TaskOptions(permission_mode=BYPASS)), "options.permission_mode")
    assert "bypassPermissions needs a confined runner" in problem.message and "'scripted'" in problem.message
    assert (await app.submit(options=TaskOptions(permission_mode=PLAN))).status is TaskStatus.QUEUED


async def test_bypass_permissions_needs_the_projects_permission_too() -> None:
    app = FakeApp()
    rules(app, allowed_permission_modes=frozenset({DEFAULT}))
    await refused(app.submit(options=TaskOptions(permission_mode=BYPASS)), "options.permission_mode")
    rules(app, allowed_permission_modes=frozenset({DEFAULT, BYPASS}))
    assert (await app.submit(options=TaskOptions(permission_mode=BYPASS))).status is TaskStatus.QUEUED


# --- every step: edit, retry, follow-up ----------------------------------------------------------------


async def test_an_edit_is_held_to_the_rules_the_project_has_now() -> None:
    app = FakeApp()
    task = await app.submit(scheduled_at=app.clock.current.replace(year=2030))
    rules(app, allowed_tools=frozenset({"Read"}))

    edit = TaskChanges(options=TaskOptions(allowed_tools=("Write",)))
    await refused(app.use(UpdateTask)(ALICE, task.id, edit), "options.allowed_tools")
    assert app.task(task.id).options.allowed_tools == ()
    rules(app, allowed_permission_modes=frozenset({PLAN}))
    await refused(app.use(UpdateTask)(ALICE, task.id, TaskChanges(title="Renamed")), "options.permission_mode")
    assert app.task(task.id).title != "Renamed"


async def test_a_retry_after_the_owner_narrowed_the_modes_is_refused_and_not_written() -> None:
    app = FakeApp()
    task = await failed_task(app, permission_mode=BYPASS)
    rules(app, allowed_permission_modes=frozenset({DEFAULT, PLAN}))
    jobs = len(app.db.jobs)

    problem = await refused(app.use(RetryTask)(ALICE, task.id), "options.permission_mode")
    assert "default, plan" in problem.message
    assert app.task(task.id).status is TaskStatus.FAILED and len(app.db.jobs) == jobs


async def test_a_follow_up_is_held_to_the_projects_rules() -> None:
    app = FakeApp()
    task = await app.submit(options=TaskOptions(allowed_tools=("Write",)))
    await app.relay()
    await app.run_next()
    rules(app, allowed_tools=frozenset({"Read"}))

    await refused(app.use(FollowUpTask)(ALICE, FollowUpCommand(task.id, "and more")), "options.allowed_tools")
    narrowed = FollowUpCommand(task.id, "and more", options=TaskOptions(allowed_tools=("Read",)))
    assert (await app.use(FollowUpTask)(ALICE, narrowed)).task.status is TaskStatus.QUEUED


# --- at the claim ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "narrowed", "named"),
    [
        ({"permission_mode": BYPASS}, {"allowed_permission_modes": frozenset({DEFAULT})}, "options.permission_mode"),
        ({"allowed_tools": ("Bash",)}, {"allowed_tools": frozenset({"Read"})}, "options.allowed_tools"),
        ({}, {"allowed_runners": frozenset({"claude-code"})}, "options.runner"),
    ],
)
async def test_a_queued_task_its_project_no_longer_allows_fails_not_allowed_before_any_agent_starts(
    options: dict[str, Any], narrowed: dict[str, Any], named: str
) -> None:
    app = FakeApp()
    runner = recording(app)
    task = await app.submit(options=TaskOptions(**options), max_attempts=3)
    await app.relay()
    rules(app, **narrowed)

    assert await app.run_next() is ExecutionStatus.FAILED
    ended = app.task(task.id)
    assert (ended.status, ended.error_code, ended.attempts) == (TaskStatus.FAILED, "not_allowed", 1)
    assert named in (ended.error_message or "")
    assert runner.requests == [], "no agent was started"
    assert app.broker.sent == [] and not any(row.job.dispatched_at is None for row in app.db.jobs.values())


async def test_a_queued_task_on_a_runner_this_deployment_no_longer_offers_fails_not_allowed() -> None:
    app = FakeApp()
    app.runners = StaticRunnerCatalog({"scripted": ScriptedRunner(), "claude-code": ScriptedRunner()}, "claude-code")
    task = await app.submit(options=TaskOptions(runner="scripted", script=(Say("hi"),)))
    await app.relay()
    app.runners = StaticRunnerCatalog({"claude-code": ScriptedRunner()}, "claude-code")  # scripted turned off

    assert await app.run_next() is ExecutionStatus.FAILED
    ended = app.task(task.id)
    assert ended.error_code == "not_allowed" and "runner 'scripted' is not configured" in (ended.error_message or "")


# --- scripts belong to the scripted runner ---------------------------------------------------------------


async def test_a_script_is_refused_where_the_scripted_runner_is_off_or_on_another_runner() -> None:
    app = FakeApp()
    app.runners = StaticRunnerCatalog({"claude-code": ScriptedRunner()}, "claude-code")
    await refused(app.submit(script=(Say("hi"),)), "options.script")
    with pytest.raises(UnknownRunner):
        await app.submit(options=TaskOptions(runner="scripted"))
    assert app.db.tasks == {}
