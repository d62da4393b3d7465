from __future__ import annotations

from datetime import timedelta

import pytest

from agentry.application.errors import Forbidden, NotFound, UnknownRunner
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.get_result import GetResult
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.list_executions import ListExecutions
from agentry.application.tasks.read_log import ReadLog
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.update_task import UpdateTask
from agentry.domain.errors import IllegalTransition, InvalidValue
from agentry.domain.tasks.changes import TaskChanges
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.logs import LogKind
from agentry.domain.tasks.script import Fail, Say, UseTool
from agentry.domain.tasks.spec import Priority, TaskOptions
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ADMIN, ALICE, BOB, FakeApp


async def finished(app: FakeApp, **spec: object):  # type: ignore[no-untyped-def]
    task = await app.submit(**spec)
    await app.relay()
    await app.run_next()
    return app.task(task.id)


async def test_another_users_task_does_not_exist_for_them_but_an_admin_sees_it() -> None:
    app = FakeApp()
    task = await app.submit(ALICE)
    with pytest.raises(NotFound):
        await app.use(GetTask)(BOB, task.id)
    for use_case in (CancelTask, DeleteTask, RetryTask):
        with pytest.raises(NotFound):
            await app.use(use_case)(BOB, task.id)  # type: ignore[operator]
    assert app.task(task.id).status is TaskStatus.QUEUED
    assert (await app.use(GetTask)(ADMIN, task.id)).id == task.id


async def test_editing_a_pending_task_moves_its_queue_job_with_it() -> None:
    app = FakeApp()
    later = app.clock.current + timedelta(hours=2)
    task = await app.submit(scheduled_at=later)
    edited = await app.use(UpdateTask)(
        ALICE, task.id, TaskChanges(priority=Priority.URGENT, scheduled_at=later + timedelta(hours=1))
    )
    assert edited.priority is Priority.URGENT
    [row] = app.db.jobs.values()
    assert row.job.available_at == later + timedelta(hours=1)
    assert row.job.priority_rank == Priority.URGENT.rank


async def test_an_edit_once_queued_is_refused_and_changes_nothing() -> None:
    app = FakeApp()
    task = await app.submit(title="Before")
    with pytest.raises(IllegalTransition):
        await app.use(UpdateTask)(ALICE, task.id, TaskChanges(title="After"))
    assert app.task(task.id).title == "Before"


async def test_an_edit_naming_an_unknown_runner_is_refused() -> None:
    app = FakeApp()
    task = await app.submit()
    with pytest.raises(UnknownRunner):
        await app.use(UpdateTask)(ALICE, task.id, TaskChanges(options=TaskOptions(runner="nope")))


async def test_cancelling_a_succeeded_task_is_refused_and_nothing_is_written() -> None:
    app = FakeApp()
    task = await finished(app)
    commits = app.db.commits
    with pytest.raises(IllegalTransition):
        await app.use(CancelTask)(ALICE, task.id)
    assert app.task(task.id).status is TaskStatus.SUCCEEDED
    assert app.db.commits == commits


@pytest.mark.parametrize("scheduled", [False, True])
async def test_a_cancelled_waiting_task_is_never_dispatched(scheduled: bool) -> None:
    app = FakeApp()
    task = await app.submit(scheduled_at=app.clock.current + timedelta(minutes=1) if scheduled else None)
    await app.use(CancelTask)(ALICE, task.id)
    app.clock.advance(minutes=2)
    assert await app.relay() == 0
    assert app.broker.sent == []
    assert app.task(task.id).status is TaskStatus.CANCELLED


async def test_retry_of_a_failed_task_dispatches_a_new_execution() -> None:
    app = FakeApp()
    task = await finished(app, script=(Fail("nope"),))
    assert task.status is TaskStatus.FAILED
    await app.use(RetryTask)(ALICE, task.id)
    assert await app.relay() == 1
    assert app.broker.sent[-1].number == 2
    assert await app.run_next() is ExecutionStatus.FAILED
    page = await app.use(ListExecutions)(ALICE, task.id)
    assert [e.number for e in page.items] == [1, 2]
    assert [e.attempt for e in page.items] == [1, 1]


async def test_deleting_a_task_removes_everything_recorded_about_it() -> None:
    app = FakeApp()
    task = await finished(app)
    await app.use(DeleteTask)(ALICE, task.id)
    assert app.db.tasks == {} and app.db.executions == {} and app.db.logs == {}
    assert app.db.results == {} and app.db.jobs == {}
    with pytest.raises(NotFound):
        await app.use(GetTask)(ALICE, task.id)


async def test_the_log_of_the_latest_execution_reads_in_pages_after_a_sequence_number() -> None:
    app = FakeApp()
    task = await finished(app, script=(Say("a"), UseTool("Read", {}, "x"), Say("b")))
    read = app.use(ReadLog)
    first = await read(ALICE, task.id, limit=2)
    rest = await read(ALICE, task.id, after=first.next_after, limit=100)
    lines = first.items + rest.items
    assert [line.sequence for line in lines] == list(range(1, len(lines) + 1))
    kinds = [line.kind for line in lines]
    assert kinds[0] is LogKind.SYSTEM and kinds[-1] is LogKind.RESULT
    assert [k for k in kinds if k not in (LogKind.SYSTEM, LogKind.RESULT)] == [
        LogKind.ASSISTANT,
        LogKind.TOOL_USE,
        LogKind.TOOL_RESULT,
        LogKind.ASSISTANT,
    ]
    assert (await read(ALICE, task.id, after=rest.next_after)).items == []


async def test_reading_the_log_of_an_execution_that_does_not_exist_is_refused() -> None:
    app = FakeApp()
    task = await app.submit()
    assert (await app.use(ReadLog)(ALICE, task.id)).items == []
    with pytest.raises(InvalidValue):
        await app.use(ReadLog)(ALICE, task.id, execution=1)


async def test_a_result_exists_only_once_the_task_succeeded() -> None:
    app = FakeApp()
    task = await app.submit(script=(Say("All done.\nDetails follow."),))
    with pytest.raises(NotFound):
        await app.use(GetResult)(ALICE, task.id)
    await app.relay()
    await app.run_next()
    result = await app.use(GetResult)(ALICE, task.id)
    assert result.output == "All done.\nDetails follow."
    assert result.summary == "All done."
    assert result.usage.output_tokens > 0


async def test_listing_executions_of_someone_elses_task_is_not_found() -> None:
    app = FakeApp()
    task = await finished(app)
    with pytest.raises(NotFound):
        await app.use(ListExecutions)(BOB, task.id)


async def test_the_worker_principal_is_the_only_one_that_runs_executions() -> None:
    app = FakeApp()
    task = await app.submit()
    await app.relay()
    from agentry.application.tasks.run.run_execution import RunExecution

    with pytest.raises(Forbidden):
        await app.use(RunExecution)(ALICE, app.broker.sent[0])
    assert app.task(task.id).status is TaskStatus.QUEUED
