from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentry.application.errors import InvalidCursor
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.list_tasks import ListTasks, ListTasksQuery
from agentry.application.tasks.ports.task_repository import TaskFilter, TaskSort
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.domain.errors import InvalidValue
from agentry.domain.tasks.script import Fail
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.app import ALICE, BOB, FakeApp


async def all_pages(app: FakeApp, limit: int, sort: TaskSort) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = await app.use(ListTasks)(ALICE, ListTasksQuery(sort=sort, cursor=cursor, limit=limit))
        pages.append([t.title for t in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    priorities=st.lists(st.sampled_from(list(Priority)), min_size=0, max_size=25),
    limit=st.integers(1, 7),
    sort=st.sampled_from(list(TaskSort)),
    same_instant=st.booleans(),
)
async def test_pages_cover_every_task_once_in_sort_order(
    priorities: list[Priority], limit: int, sort: TaskSort, same_instant: bool
) -> None:
    app = FakeApp()
    if same_instant:  # ties on created_at are broken by id
        app.clock.tick = timedelta(0)
    for i, priority in enumerate(priorities):
        await app.submit(title=f"t{i:02d}", priority=priority)
    pages = await all_pages(app, limit, sort)
    titles = [t for page in pages for t in page]
    assert sorted(titles) == sorted(f"t{i:02d}" for i in range(len(priorities)))
    assert all(len(page) <= limit for page in pages)
    rank = {f"t{i:02d}": (p.rank, i) for i, p in enumerate(priorities)}
    expected = sorted(titles, key=lambda t: rank[t] if "priority" in sort.value else rank[t][1])
    if sort.value.startswith("-"):
        expected.reverse()
    assert titles == expected


async def test_filters_combine_and_only_the_callers_tasks_are_listed() -> None:
    app = FakeApp()
    await app.submit(title="Deploy API", tags=("ops", "api"), priority=Priority.HIGH)
    await app.submit(title="Deploy web", tags=("ops",))
    await app.submit(title="Write docs", tags=("api",))
    await app.submit(BOB, title="Deploy Bob's thing", tags=("ops", "api"), priority=Priority.HIGH)

    async def titles(**wanted: object) -> list[str]:
        page = await app.use(ListTasks)(ALICE, ListTasksQuery(TaskFilter(**wanted)))  # type: ignore[arg-type]
        return sorted(t.title for t in page.items)

    assert await titles(title_contains=" deploy ") == ["Deploy API", "Deploy web"]
    assert await titles(tags=frozenset({"ops", "api"})) == ["Deploy API"]
    assert await titles(priorities=frozenset({Priority.HIGH})) == ["Deploy API"]
    assert await titles(statuses=frozenset({TaskStatus.PENDING})) == []
    assert len(await titles()) == 3


async def test_time_window_filters_are_half_open() -> None:
    app = FakeApp()
    first = await app.submit(title="first")
    app.clock.advance(hours=1)
    await app.submit(title="second")
    window = TaskFilter(created_after=first.created_at, created_before=first.created_at + timedelta(minutes=1))
    page = await app.use(ListTasks)(ALICE, ListTasksQuery(window))
    assert [t.title for t in page.items] == ["first"]


@pytest.mark.parametrize(
    "query",
    [
        ListTasksQuery(limit=0),
        ListTasksQuery(limit=101),
        ListTasksQuery(TaskFilter(created_after=datetime(2026, 1, 1))),
        ListTasksQuery(TaskFilter(title_contains="x" * 201)),
    ],
)
async def test_out_of_range_queries_are_refused(query: ListTasksQuery) -> None:
    with pytest.raises(InvalidValue):
        await FakeApp().use(ListTasks)(ALICE, query)


async def test_a_cursor_is_bound_to_its_sort_and_garbage_is_refused() -> None:
    app = FakeApp()
    for i in range(3):
        await app.submit(title=f"t{i}")
    page = await app.use(ListTasks)(ALICE, ListTasksQuery(limit=1))
    assert page.next_cursor
    with pytest.raises(InvalidCursor, match="made for sort"):
        await app.use(ListTasks)(ALICE, ListTasksQuery(limit=1, cursor=page.next_cursor, sort=TaskSort.PRIORITY_DESC))
    for garbage in ("nope", "e30", "!!!", page.next_cursor[:-3]):
        with pytest.raises(InvalidCursor):
            await app.use(ListTasks)(ALICE, ListTasksQuery(cursor=garbage))


async def test_stats_count_by_status_and_report_success_rate_and_durations() -> None:
    app = FakeApp()
    ok = await app.submit()
    await app.submit(script=(Fail("no"),), max_attempts=1)
    cancelled = await app.submit()
    await app.use(CancelTask)(ALICE, cancelled.id)
    await app.relay()
    while app.broker.sent:
        await app.run_next()
    stats = await app.use(GetTaskStats)(ALICE)
    assert stats.counts == {TaskStatus.SUCCEEDED: 1, TaskStatus.FAILED: 1, TaskStatus.CANCELLED: 1}
    assert stats.total == 3
    assert stats.success_rate == 0.5
    assert stats.average_duration_s is not None and stats.p95_duration_s is not None
    assert app.task(ok.id).status is TaskStatus.SUCCEEDED
    assert (await app.use(GetTaskStats)(BOB)).total == 0
