"""The batched reads behind the GraphQL loaders: several tasks' latest executions, several projects; each
leaves out what the caller may not read, as the one-at-a-time reads answer not found."""

from __future__ import annotations

from uuid import UUID

from agentry.application.projects.get_projects import GetProjects
from agentry.application.tasks.latest_executions import LatestExecutions
from agentry.domain.tasks.script import Fail, Say
from tests.fakes.app import ADMIN, ALICE, BOB, OTHERS, TEAM, FakeApp


async def test_the_latest_execution_of_each_readable_task_and_nothing_of_the_others() -> None:
    app = FakeApp()
    ran = await app.submit(ALICE, script=(Say("Done."),), max_attempts=1)
    failed_twice = await app.submit(ALICE, script=(Fail("flaky"),), max_attempts=2)
    waiting = await app.submit(ALICE, scheduled_at=app.clock.current.replace(year=app.clock.current.year + 1))
    bobs = await app.submit(BOB, script=(Say("Mine."),))
    await app.relay()
    while app.broker.sent:
        await app.run_next()
        await app.relay()
    ids = [ran.id, failed_twice.id, waiting.id, bobs.id, UUID(int=1)]
    latest = await app.use(LatestExecutions)(ALICE, ids)
    alices = [app.task(t) for t in (ran.id, failed_twice.id, waiting.id)]
    assert any(task.execution_count == 0 for task in alices), "one task has not run"
    assert any(task.execution_count > 0 for task in alices), "one task has run"
    assert set(latest) == {task.id for task in alices if task.execution_count > 0}
    for task_id, execution in latest.items():
        assert execution.task_id == task_id and execution.number == app.task(task_id).execution_count
    ran_any = {t.id for t in alices if t.execution_count > 0}
    assert set(await app.use(LatestExecutions)(BOB, ids)) <= {bobs.id}
    assert set(await app.use(LatestExecutions)(ADMIN, ids)) >= ran_any
    assert await app.use(LatestExecutions)(ALICE, []) == {}


async def test_projects_the_caller_may_not_read_are_left_out() -> None:
    app = FakeApp()
    assert set(await app.use(GetProjects)(ALICE, [TEAM, OTHERS, UUID(int=2)])) == {TEAM}
    assert set(await app.use(GetProjects)(BOB, [TEAM, OTHERS])) == {OTHERS}
    assert set(await app.use(GetProjects)(ADMIN, [TEAM, OTHERS, TEAM])) == {TEAM, OTHERS}
