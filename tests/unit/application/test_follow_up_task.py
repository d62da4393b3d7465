"""Follow-up tasks on the fakes: what may be followed up, by whom, and what the new task inherits and resumes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest

from agentry.adapters.runners.catalog import StaticRunnerCatalog
from agentry.application.errors import Forbidden, IdempotencyConflict, NotFound
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.follow_up_task import FollowUpCommand, FollowUpTask
from agentry.application.tasks.submit_task import Submission
from agentry.domain.errors import InvalidValue, NotResumable
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.script import Fail, Say
from agentry.domain.tasks.spec import Priority, TaskOptions
from agentry.domain.tasks.status import TaskStatus
from agentry.domain.tasks.task import AgentTask
from tests.fakes.app import ALICE, BOB, TEAM, FakeApp
from tests.fakes.runners import RecordingRunner

VIC = Principal(UUID(int=0x71C), "vic", memberships={TEAM: ProjectRole.VIEWER})  # reads alice's tasks, submits none


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


async def finished(app: FakeApp, **spec: Any) -> AgentTask:
    """A task submitted by alice and run to its end."""
    task = await app.submit(**spec)
    await app.relay()
    await app.run_next()
    return app.task(task.id)


async def follow_up(app: FakeApp, task_id: UUID, actor: Principal = ALICE, **fields: Any) -> Submission:
    fields.setdefault("prompt", "Now add a regression test.")
    return await app.use(FollowUpTask)(actor, FollowUpCommand(task_id, **fields))


def session_of(app: FakeApp, task: AgentTask) -> str | None:
    [execution] = [e for e in app.db.executions.values() if e.task_id == task.id and e.number == task.execution_count]
    return execution.agent_session_id


async def test_a_follow_up_of_a_succeeded_task_is_queued_in_its_project_resuming_its_session(app: FakeApp) -> None:
    earlier = await finished(app)
    assert earlier.status is TaskStatus.SUCCEEDED

    submission = await follow_up(app, earlier.id)

    task = app.task(submission.task.id)
    assert not submission.replayed and task.status is TaskStatus.QUEUED
    assert (task.project_id, task.owner_id, task.prompt) == (earlier.project_id, ALICE.id, "Now add a regression test.")
    assert task.follows_task_id == earlier.id
    assert task.resume_session_id == session_of(app, earlier) is not None
    assert task.workspace_id == earlier.id
    assert any(row.job.order.task_id == task.id for row in app.db.jobs.values())


async def test_the_worker_hands_the_session_and_the_workspace_to_the_runner(app: FakeApp) -> None:
    runner = RecordingRunner()
    app.runners = StaticRunnerCatalog({"scripted": runner}, default="scripted")
    earlier = await finished(app)
    task = (await follow_up(app, earlier.id)).task
    await app.relay()
    await app.run_next()

    first, second = runner.requests
    assert (first.resume_session_id, first.workspace_id) == (None, None)
    assert (second.task_id, second.prompt) == (task.id, "Now add a regression test.")
    assert (second.resume_session_id, second.workspace_id) == (session_of(app, earlier), earlier.id)
    assert app.task(task.id).status is TaskStatus.SUCCEEDED


@pytest.mark.parametrize("needs_history", [False, True])
async def test_only_a_runner_that_keeps_no_session_is_given_the_chains_earlier_exchanges(
    app: FakeApp, needs_history: bool
) -> None:
    runner = RecordingRunner()
    runner.needs_history = needs_history
    app.runners = StaticRunnerCatalog({"scripted": runner}, default="scripted")
    earlier = await finished(app, prompt="Fix the bug.")
    await follow_up(app, earlier.id)
    await app.relay()
    await app.run_next()

    history = runner.requests[1].history
    assert [exchange.prompt for exchange in history] == (["Fix the bug."] if needs_history else [])


async def test_a_chain_of_follow_ups_shares_the_workspace_of_its_first_task(app: FakeApp) -> None:
    first = await finished(app)
    second = (await follow_up(app, first.id)).task
    await app.relay()
    await app.run_next()

    third = (await follow_up(app, second.id, prompt="And document it.")).task

    assert app.task(third.id).follows_task_id == second.id
    assert app.task(third.id).workspace_id == first.id
    assert app.task(third.id).resume_session_id == session_of(app, app.task(second.id))


async def test_what_the_request_leaves_out_comes_from_the_earlier_task_without_its_script(app: FakeApp) -> None:
    options = TaskOptions(
        model="claude-haiku-4-5",
        max_turns=4,
        permission_mode=PermissionMode.ACCEPT_EDITS,
        append_system_prompt="Be brief.",
        max_budget_usd=0.5,
        script=(Say("done"),),
    )
    earlier = await finished(
        app, title="Fix the build", priority=Priority.HIGH, tags=("ci",), max_attempts=2, options=options
    )

    task = (await follow_up(app, earlier.id)).task

    assert (task.title, task.priority, task.tags, task.max_attempts) == (
        "Follow-up: Fix the build",
        Priority.HIGH,
        ("ci",),
        2,
    )
    assert task.options == replace(options, script=None, runner="scripted")


async def test_what_the_request_gives_replaces_what_the_earlier_task_had(app: FakeApp) -> None:
    earlier = await finished(app, title="x" * 200, tags=("ci",), options=TaskOptions(model="claude-haiku-4-5"))

    task = (await follow_up(app, earlier.id, priority=Priority.LOW, tags=(), options=TaskOptions(max_turns=2))).task
    named = (await follow_up(app, earlier.id, title="Add the test")).task

    assert len(task.title) == 200 and task.title.startswith("Follow-up: x") and task.title.endswith("…")
    assert (task.priority, task.tags) == (Priority.LOW, ())
    assert task.options == TaskOptions(runner="scripted", max_turns=2)
    assert named.title == "Add the test"


async def test_a_follow_up_cannot_move_to_another_runner(app: FakeApp) -> None:
    earlier = await finished(app)
    tasks_before = len(app.db.tasks)

    with pytest.raises(InvalidValue) as refused:
        await follow_up(app, earlier.id, options=TaskOptions(runner="anthropic"))

    assert refused.value.field == "options.runner" and "'scripted'" in str(refused.value)
    assert len(app.db.tasks) == tasks_before


async def test_a_failed_task_with_a_session_can_be_followed_up(app: FakeApp) -> None:
    earlier = await finished(app, options=TaskOptions(script=(Say("half way"), Fail("tests still red"))))
    assert earlier.status is TaskStatus.FAILED

    task = (await follow_up(app, earlier.id)).task

    assert task.resume_session_id == session_of(app, earlier) is not None


async def test_a_task_that_has_not_finished_cannot_be_followed_up_and_nothing_is_written(app: FakeApp) -> None:
    queued = await app.submit()

    with pytest.raises(NotResumable, match="only a finished task"):
        await follow_up(app, queued.id)

    assert len(app.db.tasks) == 1 and len(app.db.jobs) == 1


async def test_a_task_cancelled_before_it_ran_has_no_session_to_resume(app: FakeApp) -> None:
    queued = await app.submit()
    await app.use(CancelTask)(ALICE, queued.id)

    with pytest.raises(NotResumable, match="no agent session"):
        await follow_up(app, queued.id)


async def test_a_task_the_caller_may_not_read_does_not_exist_for_them(app: FakeApp) -> None:
    earlier = await finished(app)

    with pytest.raises(NotFound):
        await follow_up(app, earlier.id, BOB)


async def test_a_viewer_may_read_the_task_but_not_follow_it_up(app: FakeApp) -> None:
    earlier = await finished(app)

    with pytest.raises(Forbidden):
        await follow_up(app, earlier.id, VIC)


async def test_the_same_idempotency_key_replays_the_follow_up_and_another_earlier_task_conflicts(app: FakeApp) -> None:
    earlier = await finished(app)
    other = await finished(app)

    first = await follow_up(app, earlier.id, idempotency_key="f1")
    again = await follow_up(app, earlier.id, idempotency_key="f1")

    assert again.replayed and again.task.id == first.task.id
    with pytest.raises(IdempotencyConflict):
        await follow_up(app, other.id, idempotency_key="f1")
