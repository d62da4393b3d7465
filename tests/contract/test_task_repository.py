"""TaskRepository: the same assertions for the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from agentry.adapters.sqlalchemy.tasks import page_query
from agentry.application.errors import ConcurrentUpdate, DuplicateIdempotencyKey
from agentry.application.ports.access_policy import ProjectScope
from agentry.application.tasks.ports.task_repository import SortPosition, TaskFilter, TaskQuery, TaskSort
from agentry.domain.tasks.executions import ExecutionStatus
from agentry.domain.tasks.spec import Priority
from agentry.domain.tasks.status import TaskStatus
from tests.contract.builders import (
    OTHER,
    OTHER_PROJECT,
    OWNER,
    PROJECT,
    make_job,
    make_line,
    make_task,
    moment,
    rich_options,
    start,
)

MINE = ProjectScope.only(frozenset({PROJECT}))


async def stored(storage, *tasks):  # type: ignore[no-untyped-def]
    async with storage.scope() as p:
        for task in tasks:
            await p.tasks.add(task)
        await p.uow.commit()
    return tasks[0] if len(tasks) == 1 else tasks


async def test_a_task_comes_back_exactly_as_it_was_stored(storage) -> None:  # type: ignore[no-untyped-def]
    task = make_task(
        priority=Priority.HIGH,
        tags=("ops", "api"),
        options=rich_options(),
        scheduled_at=moment(3600),
        max_attempts=5,
        idempotency_key="key-1",
        request_fingerprint="f" * 64,
    )
    await stored(storage, task)
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id)
    assert loaded is not task
    assert vars_of(loaded) == vars_of(task)
    assert loaded.created_at.tzinfo is not None and loaded.created_at.utcoffset().total_seconds() == 0


def vars_of(task):  # type: ignore[no-untyped-def]
    return {k: v for k, v in vars(task).items() if not k.startswith("_")}


async def test_an_unknown_id_is_none_and_uncommitted_work_is_not_visible(storage) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    async with storage.scope() as p:
        await p.tasks.add(task)
        await p.uow.rollback()
    async with storage.scope() as p:
        assert await p.tasks.get(task.id) is None


async def test_a_changed_task_is_saved_on_commit(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task(scheduled_at=moment(10**6)))
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        loaded.release(moment(100))
        await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.tasks.get(task.id)).status is TaskStatus.QUEUED
        assert await p.tasks.statuses([task.id]) == {task.id: TaskStatus.QUEUED}


async def test_a_version_is_read_without_the_task_and_moves_with_each_write(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task(scheduled_at=moment(10**6)))
    async with storage.scope() as p:
        first = await p.tasks.version(task.id)
        assert await p.tasks.version(uuid4()) is None
    if first is None:
        pytest.skip("this store keeps no versions: a conditional read loads the task")
    assert (first.project_id, first.owner_id, first.status) == (task.project_id, task.owner_id, TaskStatus.PENDING)
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        assert first.version == loaded._version
        loaded.release(moment(100))
        await p.uow.commit()
    async with storage.scope() as p:
        second = await p.tasks.version(task.id)
    assert second is not None and second.version > first.version and second.status is TaskStatus.QUEUED


async def test_statuses_are_read_committed_not_from_a_stale_copy(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task())
    async with storage.scope() as reader:
        stale = await reader.tasks.get(task.id)
        await reader.uow.commit()
        async with storage.scope() as writer:
            fresh = await writer.tasks.get(task.id, for_update=True)
            fresh.cancel(moment(50))
            await writer.uow.commit()
        assert stale.status is TaskStatus.QUEUED
        assert await reader.tasks.statuses([task.id, make_task().id]) == {task.id: TaskStatus.CANCELLED}
        assert (await reader.tasks.get(task.id)).status is TaskStatus.CANCELLED, "a get reads fresh state"


async def test_two_writers_of_one_task_cannot_both_win(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task(scheduled_at=moment(10**6)))
    async with storage.scope() as first, storage.scope() as second:
        a = await first.tasks.get(task.id)
        await first.uow.commit()  # SQLite lets one transaction at a time write: end each read
        b = await second.tasks.get(task.id)
        await second.uow.commit()
        a.cancel(moment(10))
        await first.uow.commit()
        b.edit(replace_title("edited"), moment(11))
        with pytest.raises(ConcurrentUpdate):
            await second.uow.commit()
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id)
        assert (loaded.status, loaded.title) == (TaskStatus.CANCELLED, task.title)


def replace_title(title: str):  # type: ignore[no-untyped-def]
    from agentry.domain.tasks.task import TaskChanges

    return TaskChanges(title=title)


async def test_a_task_read_for_update_is_held_until_its_transaction_ends(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task())
    async with storage.scope() as holder:
        held = await holder.tasks.get(task.id, for_update=True)

        async def second_writer() -> TaskStatus:
            async with storage.scope() as p:
                loaded = await p.tasks.get(task.id, for_update=True)
                status = loaded.status
                await p.uow.commit()
                return status

        waiting = asyncio.create_task(second_writer())
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second writer must wait for the lock"
        held.cancel(moment(10))
        await holder.uow.commit()
        assert await asyncio.wait_for(waiting, 10) is TaskStatus.CANCELLED


async def test_a_task_to_run_comes_locked_with_its_project(storage) -> None:  # type: ignore[no-untyped-def]
    task = await stored(storage, make_task())
    async with storage.scope() as p:
        assert await p.tasks.get_to_run(uuid4()) is None
    async with storage.scope() as holder:
        found = await holder.tasks.get_to_run(task.id)
        assert found is not None
        held, project = found
        assert (held.id, project.id, project.slug) == (task.id, PROJECT, "main")

        async def second_claim() -> TaskStatus:
            async with storage.scope() as p:
                again = await p.tasks.get_to_run(task.id)
                await p.uow.commit()
                return again[0].status

        waiting = asyncio.create_task(second_claim())
        await asyncio.sleep(0.3)
        assert not waiting.done(), "a second claim waits for the task's lock"
        held.cancel(moment(10))
        await holder.uow.commit()
        assert await asyncio.wait_for(waiting, 10) is TaskStatus.CANCELLED


async def test_an_idempotency_key_is_unique_per_owner(storage) -> None:  # type: ignore[no-untyped-def]
    first = await stored(storage, make_task(idempotency_key="k"))
    await stored(storage, make_task(idempotency_key="k", owner_id=OTHER))
    with pytest.raises(DuplicateIdempotencyKey):
        async with storage.scope() as p:
            await p.tasks.add(make_task(idempotency_key="k"))
            await p.uow.commit()
    async with storage.scope() as p:
        assert (await p.tasks.find_by_idempotency_key(OWNER, "k")).id == first.id
        assert await p.tasks.find_by_idempotency_key(OWNER, "other") is None


async def test_concurrent_submissions_with_one_key_store_one_task(storage) -> None:  # type: ignore[no-untyped-def]
    async def submit() -> str:
        try:
            async with storage.scope() as p:
                await p.tasks.add(make_task(idempotency_key="race"))
                await p.uow.commit()
            return "stored"
        except DuplicateIdempotencyKey:
            return "duplicate"

    outcomes = await asyncio.gather(*(submit() for _ in range(4)))
    assert sorted(outcomes) == ["duplicate"] * 3 + ["stored"]


async def test_get_many_returns_the_existing_ones(storage) -> None:  # type: ignore[no-untyped-def]
    a, b = await stored(storage, make_task(), make_task())
    async with storage.scope() as p:
        found = await p.tasks.get_many([a.id, b.id, make_task().id], for_update=True)
    assert sorted(t.id for t in found) == sorted([a.id, b.id])


async def test_pages_filter_and_sort_in_the_database(storage) -> None:  # type: ignore[no-untyped-def]
    tasks = [
        make_task(title="Deploy 100% of API_v2", tags=("ops", "api"), priority=Priority.HIGH),
        make_task(title="deploy web", tags=("ops",)),
        make_task(title="Write docs", tags=("api",), priority=Priority.URGENT),
        make_task(title="Deploy other", tags=("ops", "api"), owner_id=OTHER, project_id=OTHER_PROJECT),
        make_task(title="Percent 100x", priority=Priority.LOW),
    ]
    tasks[1].cancel(moment(500))
    await stored(storage, *tasks)

    async def titles(
        scope: ProjectScope = MINE, sort: TaskSort = TaskSort.CREATED_DESC, limit: int = 20, **wanted: object
    ) -> list[str]:
        query = TaskQuery(scope, TaskFilter(**wanted), sort, limit=limit)  # type: ignore[arg-type]
        async with storage.scope() as p:
            page = await p.tasks.page(query)
        return [t.title for t in page]

    assert await titles() == ["Percent 100x", "Write docs", "deploy web", "Deploy 100% of API_v2"]
    assert await titles(title_contains="DEPLOY") == ["deploy web", "Deploy 100% of API_v2"]
    assert await titles(title_contains="100%") == ["Deploy 100% of API_v2"], "% is literal"
    assert await titles(title_contains="_v2") == ["Deploy 100% of API_v2"], "_ is literal"
    assert await titles(tags=frozenset({"ops", "api"})) == ["Deploy 100% of API_v2"]
    assert await titles(tags=frozenset({"api"})) == ["Write docs", "Deploy 100% of API_v2"]
    assert await titles(statuses=frozenset({TaskStatus.CANCELLED})) == ["deploy web"]
    assert await titles(priorities=frozenset({Priority.LOW, Priority.URGENT})) == ["Percent 100x", "Write docs"]
    assert await titles(created_after=tasks[1].created_at, created_before=tasks[4].created_at) == [
        "Write docs",
        "deploy web",
    ]
    assert await titles(sort=TaskSort.PRIORITY_DESC) == [
        "Write docs",
        "Deploy 100% of API_v2",
        "deploy web",
        "Percent 100x",
    ]
    assert await titles(sort=TaskSort.CREATED_ASC, limit=2) == ["Deploy 100% of API_v2", "deploy web"]
    assert len(await titles(scope=ProjectScope.all())) == 5


async def test_a_text_of_several_words_matches_as_one_substring(storage) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL also looks for each word on its own (what the trigram index answers): the words in another
    # order, apart, or only some of them must not match, nor may a word's % or _ act as a wildcard
    await stored(
        storage,
        make_task(title="Fix the Billing Invoice export"),
        make_task(title="invoice billing"),
        make_task(title="billing the invoice"),
        make_task(title="Billing invoices 100% done"),
        make_task(title="billing invoices 1000 done"),
        make_task(title="a b billing"),
    )

    async def titles(text: str, scope: ProjectScope = MINE) -> list[str]:
        async with storage.scope() as p:
            page = await p.tasks.page(TaskQuery(scope, TaskFilter(title_contains=text), TaskSort.CREATED_ASC))
        return [t.title for t in page]

    for scope in (MINE, ProjectScope.all(), ProjectScope.only(frozenset({PROJECT, OTHER_PROJECT}))):
        assert await titles("billing INVOICE", scope) == [
            "Fix the Billing Invoice export",
            "Billing invoices 100% done",
            "billing invoices 1000 done",
        ]
        assert await titles("lling invoice", scope) == await titles("billing invoice", scope), "parts of words"
        assert await titles("invoices 100% done", scope) == ["Billing invoices 100% done"]
        assert await titles("the invoice", scope) == ["billing the invoice"]
        assert await titles("a b bill", scope) == ["a b billing"], "words too short for trigrams"
        assert await titles("invoice billing export", scope) == []


async def test_a_page_holds_only_tasks_of_the_projects_in_scope(storage) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = make_task(title="mine"), make_task(title="theirs", project_id=OTHER_PROJECT)
    await stored(storage, mine, theirs)

    async def titles(scope: ProjectScope) -> list[str]:
        async with storage.scope() as p:
            return [t.title for t in await p.tasks.page(TaskQuery(scope=scope, sort=TaskSort.CREATED_ASC))]

    assert await titles(MINE) == ["mine"]
    assert await titles(ProjectScope.only(frozenset({OTHER_PROJECT}))) == ["theirs"]
    assert await titles(ProjectScope.only(frozenset({PROJECT, OTHER_PROJECT}))) == ["mine", "theirs"]
    assert await titles(ProjectScope.all()) == ["mine", "theirs"]
    assert await titles(ProjectScope.only(frozenset())) == [], "an empty scope sees nothing"
    assert await titles(ProjectScope()) == []


async def test_a_page_filters_by_project_and_by_owner_within_the_scope(storage) -> None:  # type: ignore[no-untyped-def]
    tasks = [
        make_task(title="mine here"),
        make_task(title="bob's here", owner_id=OTHER),
        make_task(title="mine there", project_id=OTHER_PROJECT),
        make_task(title="bob's there", owner_id=OTHER, project_id=OTHER_PROJECT),
    ]
    await stored(storage, *tasks)
    both = ProjectScope.only(frozenset({PROJECT, OTHER_PROJECT}))

    async def titles(scope: ProjectScope = both, **wanted: object) -> list[str]:
        query = TaskQuery(scope, TaskFilter(**wanted), TaskSort.CREATED_ASC)  # type: ignore[arg-type]
        async with storage.scope() as p:
            page = await p.tasks.page(query)
        return [t.title for t in page]

    assert await titles(project_ids=frozenset({OTHER_PROJECT})) == ["mine there", "bob's there"]
    assert await titles(owner_ids=frozenset({OTHER})) == ["bob's here", "bob's there"]
    assert await titles(owner_ids=frozenset({OWNER, OTHER})) == [t.title for t in tasks]
    assert await titles(project_ids=frozenset({PROJECT}), owner_ids=frozenset({OWNER})) == ["mine here"]
    assert await titles(MINE, project_ids=frozenset({OTHER_PROJECT})) == [], "a filter never widens the scope"
    assert await titles(project_ids=frozenset({PROJECT, uuid4()})) == ["mine here", "bob's here"]


async def test_a_page_starts_strictly_after_its_position_even_on_ties(storage) -> None:  # type: ignore[no-untyped-def]
    same = moment(1000)
    tasks = [make_task(created_at=same, priority=Priority.HIGH if i % 2 else Priority.LOW) for i in range(6)]
    await stored(storage, *tasks)
    for sort in TaskSort:
        seen: list = []  # type: ignore[type-arg]
        after = None
        while True:
            async with storage.scope() as p:
                page = await p.tasks.page(TaskQuery(scope=MINE, sort=sort, after=after, limit=2))
            if not page:
                break
            seen += [t.id for t in page]
            last = page[-1]
            after = SortPosition(last.created_at, last.id, last.priority.rank)
        assert sorted(seen) == sorted(t.id for t in tasks), sort
        assert len(seen) == len(set(seen)), sort


@pytest.mark.parametrize("merged_at_most", [32, 1], ids=["merged", "lateral"])
async def test_pages_over_several_projects_come_in_sort_order_to_the_end(storage, merged_at_most, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL reads a scope of several projects one project at a time and merges (a UNION ALL of ordered
    # reads, or over more projects a LATERAL read each): ties, cursors and filters must come out as from one
    # ordered read
    monkeypatch.setattr(page_query, "MERGED_AT_MOST", merged_at_most)
    same = moment(2000)
    tasks = [
        make_task(
            project_id=PROJECT if i % 3 else OTHER_PROJECT,
            created_at=same if i % 4 == 0 else moment(2000 + i),
            priority=(Priority.LOW, Priority.HIGH, Priority.URGENT)[i % 3],
            tags=("x",) if i % 2 else (),
            title="Fix the billing invoice" if i % 5 in (1, 2) else "Fix the login page",
        )
        for i in range(14)
    ]
    await stored(storage, *tasks)
    both = ProjectScope.only(frozenset({PROJECT, OTHER_PROJECT}))
    filters = (TaskFilter(), TaskFilter(tags=frozenset({"x"})), TaskFilter(title_contains="BILLING inv"))
    for sort in TaskSort:
        for wanted in filters:
            expected = sorted(
                (
                    t
                    for t in tasks
                    if wanted.tags <= set(t.tags) and (wanted.title_contains or "").lower() in t.title.lower()
                ),
                key=lambda t: ((t.priority.rank,) if "priority" in sort.value else ()) + (t.created_at, t.id),
                reverse=sort.value.startswith("-"),
            )
            seen: list = []  # type: ignore[type-arg]
            after = None
            while True:
                async with storage.scope() as p:
                    page = await p.tasks.page(TaskQuery(both, wanted, sort, after=after, limit=3))
                if not page:
                    break
                seen += [t.id for t in page]
                after = SortPosition(page[-1].created_at, page[-1].id, page[-1].priority.rank)
            assert seen == [t.id for t in expected], (sort, wanted)


async def test_deleting_a_task_deletes_what_belongs_to_it(storage) -> None:  # type: ignore[no-untyped-def]
    task = make_task(tags=("a",))
    keep = make_task()
    await stored(storage, task, keep)
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        execution = start(loaded)
        await p.executions.add(execution)
        await p.outbox.enqueue(make_job(loaded, 2))
        await p.logs.append([make_line(execution, 1)])
        loaded.end_execution(execution, ExecutionStatus.FAILED, moment(9))
        await p.uow.commit()
    async with storage.scope() as p:
        await p.tasks.delete(await p.tasks.get(task.id, for_update=True))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.tasks.get(task.id) is None
        assert await p.executions.for_task(task.id) == []
        assert await p.logs.read(task.id, 1, 0, 10) == []
        assert await p.relay.claim_due(moment(10_000), moment(10_030), 10) == []
        assert await p.tasks.get(keep.id) is not None
        assert await p.tasks.page(TaskQuery(MINE, TaskFilter(tags=frozenset({"a"})))) == []


async def test_tags_follow_an_edit(storage) -> None:  # type: ignore[no-untyped-def]
    from agentry.domain.tasks.task import TaskChanges

    task = await stored(storage, make_task(tags=("old",), scheduled_at=moment(10**6)))
    async with storage.scope() as p:
        loaded = await p.tasks.get(task.id, for_update=True)
        loaded.edit(TaskChanges(tags=("new", "other")), moment(5))
        await p.uow.commit()
    async with storage.scope() as p:
        assert await p.tasks.page(TaskQuery(MINE, TaskFilter(tags=frozenset({"old"})))) == []
        [found] = await p.tasks.page(TaskQuery(MINE, TaskFilter(tags=frozenset({"new"}))))
        assert found.tags == ("new", "other")


async def test_stats_count_statuses_and_measure_ended_executions(storage) -> None:  # type: ignore[no-untyped-def]
    tasks = [make_task() for _ in range(4)] + [make_task(owner_id=OTHER, project_id=OTHER_PROJECT)]
    await stored(storage, *tasks)
    durations = [1.0, 2.0, 10.0]
    endings = [ExecutionStatus.SUCCEEDED, ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED]
    async with storage.scope() as p:
        for task, seconds, ending in zip(tasks, durations, endings, strict=False):
            loaded = await p.tasks.get(task.id, for_update=True)
            began = task.created_at + timedelta(seconds=1)
            execution = start(loaded, at=began)
            await p.executions.add(execution)
            loaded.end_execution(execution, ending, began + timedelta(seconds=seconds))
        await p.uow.commit()
    async with storage.scope() as p:
        stats = await p.tasks.stats(MINE, None, None)
        everyone = await p.tasks.stats(ProjectScope.all(), None, None)
        theirs = await p.tasks.stats(ProjectScope.only(frozenset({OTHER_PROJECT})), None, None)
        nothing = await p.tasks.stats(ProjectScope.only(frozenset()), None, None)
        none = await p.tasks.stats(MINE, moment(10**6), None)
    assert stats.counts == {TaskStatus.SUCCEEDED: 2, TaskStatus.FAILED: 1, TaskStatus.QUEUED: 1}
    assert stats.success_rate == pytest.approx(2 / 3)
    assert stats.average_duration_s == pytest.approx(13 / 3)
    assert stats.p95_duration_s == pytest.approx(10.0)
    assert everyone.total == 5
    assert theirs.counts == {TaskStatus.QUEUED: 1}
    assert (nothing.total, nothing.success_rate, nothing.average_duration_s) == (0, None, None)
    assert (none.total, none.success_rate, none.p95_duration_s) == (0, None, None)


def test_builders_do_not_share_state() -> None:
    a, b = make_task(), make_task()
    assert a.id != b.id and a.created_at < b.created_at
    assert replace(rich_options(), model="x").model == "x"
