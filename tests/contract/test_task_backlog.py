"""TaskRepository.backlog, for every storage adapter: each project's waiting tasks now (pending and queued)
and since when the longest-waiting queued one has waited; what is running or ended is not waiting, and a
scope keeps other projects out."""

from __future__ import annotations

from datetime import timedelta

from agentry.application.ports.access_policy import ProjectScope
from agentry.application.tasks.ports.task_repository import ProjectBacklog
from agentry.domain.tasks.executions import ExecutionStatus
from tests.contract.builders import OTHER_PROJECT, PROJECT, make_task, moment, start
from tests.contract.storage import Storage


async def test_the_backlog_counts_each_project_s_waiting_tasks_and_its_oldest_queued_one(storage: Storage) -> None:
    oldest = make_task(created_at=moment(100))
    newer = make_task(created_at=moment(200))
    scheduled = make_task(created_at=moment(50), scheduled_at=moment(10_000))
    running = make_task(created_at=moment(10))
    done = make_task(created_at=moment(20))
    elsewhere = make_task(project_id=OTHER_PROJECT, created_at=moment(300))
    executions = [start(running, at=moment(400)), start(done, at=moment(400))]
    done.end_execution(executions[1], ExecutionStatus.SUCCEEDED, moment(500))
    async with storage.scope() as p:
        for task in (oldest, newer, scheduled, running, done, elsewhere):
            await p.tasks.add(task)
        await p.uow.commit()
        for execution in executions:
            await p.executions.add(execution)
        await p.uow.commit()

    async with storage.scope() as p:
        everything = await p.tasks.backlog(ProjectScope.all())
        one = await p.tasks.backlog(ProjectScope.only(frozenset({OTHER_PROJECT})))
        none = await p.tasks.backlog(ProjectScope.only(frozenset()))
    assert everything == sorted(
        [
            ProjectBacklog(PROJECT, pending=1, queued=2, oldest_queued_at=oldest.queued_at),
            ProjectBacklog(OTHER_PROJECT, pending=0, queued=1, oldest_queued_at=elsewhere.queued_at),
        ],
        key=lambda b: str(b.project_id),
    )
    assert oldest.queued_at == moment(100)
    assert one == [ProjectBacklog(OTHER_PROJECT, queued=1, oldest_queued_at=moment(300))]
    assert none == []


async def test_a_project_with_only_scheduled_work_has_no_oldest_queued_time(storage: Storage) -> None:
    scheduled = make_task(created_at=moment(50), scheduled_at=moment(50) + timedelta(days=1))
    async with storage.scope() as p:
        await p.tasks.add(scheduled)
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.tasks.backlog(ProjectScope.all()) == [ProjectBacklog(PROJECT, pending=1)]
