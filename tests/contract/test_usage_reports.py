"""UsageReports and the usage roll-ups, for every storage adapter (the in-memory fake, SQLite, PostgreSQL):
a report over a fixture of executions equals the figures worked out by hand below; a principal's scope
keeps other projects' usage out; and however executions end (succeeded, failed, timed out, cancelled,
requeued, lost, undelivered; some of those endings rolled back), the roll-ups equal a recount of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentry.application.reports.ports import UsageGroup, UsageRow, UsageScope
from agentry.domain.tasks.executions import ExecutionError, ExecutionStatus, TaskExecution
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.task import AgentTask
from agentry.domain.tasks.usage import Usage
from agentry.domain.tasks.usage_totals import UsageKey, UsageTotals
from tests.contract.builders import OTHER, OTHER_PROJECT, OWNER, PROJECT, make_task, start
from tests.contract.storage import Storage

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
EVERYTHING = UsageScope(everything=True)
LOST = ExecutionError("worker_lost", "its worker went silent")


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC) if day > 0 else datetime(2026, 2, 28, tzinfo=UTC)


def task(project: UUID, owner: UUID, model: str | None) -> AgentTask:
    return make_task(project_id=project, owner_id=owner, options=TaskOptions(model=model), created_at=at(0))


def ended(t: AgentTask, started: datetime, status: ExecutionStatus, usage: Usage) -> TaskExecution:
    execution = start(t, at=started)
    if status is ExecutionStatus.CANCELLED:
        t.cancel(started)
    t.end_execution(execution, status, started + timedelta(minutes=5), usage=usage)
    return execution


def requeued(t: AgentTask, started: datetime, usage: Usage) -> TaskExecution:
    execution = start(t, at=started)
    t.requeue(execution, ExecutionError("overloaded", "try again"), started + timedelta(minutes=1), usage=usage)
    return execution


async def store_fixture(storage: Storage) -> None:
    """The executions the figures below are worked out from."""
    t1, t2, t3, t4, t5, t6, t7 = (
        task(PROJECT, OWNER, "opus"),
        task(PROJECT, OWNER, None),
        task(PROJECT, OTHER, "opus"),
        task(OTHER_PROJECT, OTHER, "opus"),
        task(PROJECT, OWNER, "opus"),
        task(PROJECT, OWNER, "opus"),
        task(PROJECT, OWNER, "opus"),
    )
    executions = [
        ended(t1, at(2, 10), ExecutionStatus.SUCCEEDED, Usage(100, 10, 1.0)),
        ended(t2, at(2, 23, 59, 59), ExecutionStatus.FAILED, Usage(50, 5, 0.5)),  # the last second of the 2nd
        requeued(t3, at(3, 0), Usage(10, 1, 0.25)),  # the first second of the 3rd
        ended(t3, at(4), ExecutionStatus.SUCCEEDED, Usage(20, 2, 2.0)),
        ended(t4, at(3), ExecutionStatus.SUCCEEDED, Usage(1000, 100, 10.0)),
        start(t5, at=at(3)),  # running: counts once it ends
        ended(t6, at(0), ExecutionStatus.SUCCEEDED, Usage(7, 7, 7.0)),  # February: outside the window
        ended(t7, at(4), ExecutionStatus.CANCELLED, Usage(3, 3, 0.125)),
    ]
    async with storage.scope() as p:
        for t in (t1, t2, t3, t4, t5, t6, t7):
            await p.tasks.add(t)
        await p.uow.commit()
        for execution in executions:
            await p.executions.add(execution)
        await p.uow.commit()


def totals(executions: int, succeeded: int, failed: int, tokens_in: int, tokens_out: int, cost: float) -> UsageTotals:
    return UsageTotals(executions, succeeded, failed, tokens_in, tokens_out, cost)


# Worked out by hand from store_fixture, March 2026 (t6 ran in February, t5 is still running).
BY_PROJECT = {  # project P: t1, t2, t3 (twice), t7; the other: t4
    PROJECT: totals(5, 2, 2, 183, 21, 3.875),
    OTHER_PROJECT: totals(1, 1, 0, 1000, 100, 10.0),
}
BY_USER = {OWNER: totals(3, 1, 1, 153, 18, 1.625), OTHER: totals(3, 2, 1, 1030, 103, 12.25)}
BY_MODEL = {"": totals(1, 0, 1, 50, 5, 0.5), "opus": totals(5, 3, 1, 1133, 116, 13.375)}
BY_DAY = {
    date(2026, 3, 2): totals(2, 1, 1, 150, 15, 1.5),
    date(2026, 3, 3): totals(2, 1, 1, 1010, 101, 10.25),
    date(2026, 3, 4): totals(2, 1, 0, 23, 5, 2.125),
}


def as_dict(rows: list[UsageRow]) -> dict[object, UsageTotals]:
    return {row.key: row.totals for row in rows}


async def report(
    storage: Storage, scope: UsageScope, group_by: UsageGroup, window: tuple[date, date] = MARCH
) -> list[UsageRow]:
    async with storage.scope() as p:
        rows: list[UsageRow] = await p.reports.usage(scope, group_by, *window)
        return rows


async def test_each_grouping_of_the_fixture_gives_the_figures_worked_out_by_hand(storage: Storage) -> None:
    await store_fixture(storage)
    for group_by, expected in (
        (UsageGroup.PROJECT, BY_PROJECT),
        (UsageGroup.USER, BY_USER),
        (UsageGroup.MODEL, BY_MODEL),
        (UsageGroup.DAY, BY_DAY),
    ):
        rows = await report(storage, EVERYTHING, group_by)
        assert as_dict(rows) == expected, group_by
        assert [str(row.key) for row in rows] == sorted(str(key) for key in expected), "rows in key order"
    assert BY_PROJECT[PROJECT].success_rate == 0.5


async def test_the_window_takes_both_of_its_days_and_nothing_outside(storage: Storage) -> None:
    await store_fixture(storage)
    one_day = await report(storage, EVERYTHING, UsageGroup.DAY, (date(2026, 3, 3), date(2026, 3, 3)))
    assert as_dict(one_day) == {date(2026, 3, 3): BY_DAY[date(2026, 3, 3)]}
    february = await report(storage, EVERYTHING, UsageGroup.PROJECT, (date(2026, 2, 1), date(2026, 2, 28)))
    assert as_dict(february) == {PROJECT: totals(1, 1, 0, 7, 7, 7.0)}
    assert await report(storage, EVERYTHING, UsageGroup.PROJECT, (date(2026, 4, 1), date(2026, 4, 30))) == []


async def test_a_maintainer_of_one_project_sees_nothing_of_another(storage: Storage) -> None:
    await store_fixture(storage)
    maintainer = UsageScope(project_ids=frozenset({PROJECT}), user_id=uuid4())
    for group_by in UsageGroup:
        rows = await report(storage, maintainer, group_by)
        assert sum((row.totals for row in rows), UsageTotals()) == BY_PROJECT[PROJECT], group_by
    by_user = as_dict(await report(storage, maintainer, UsageGroup.USER))
    assert by_user[OTHER] == totals(2, 1, 1, 30, 3, 2.25), "OTHER's run in the other project is left out"
    assert OTHER_PROJECT not in as_dict(await report(storage, maintainer, UsageGroup.PROJECT))


async def test_one_s_own_usage_is_that_of_the_tasks_one_submitted_in_any_project(storage: Storage) -> None:
    await store_fixture(storage)
    own = UsageScope(user_id=OTHER)
    assert as_dict(await report(storage, own, UsageGroup.PROJECT)) == {
        PROJECT: totals(2, 1, 1, 30, 3, 2.25),
        OTHER_PROJECT: BY_PROJECT[OTHER_PROJECT],
    }
    assert await report(storage, UsageScope(), UsageGroup.PROJECT) == [], "an empty scope sees nothing"


async def test_the_monthly_roll_up_holds_the_same_spend_as_the_days(storage: Storage) -> None:
    await store_fixture(storage)
    async with storage.scope() as p:
        assert await p.usage.spent_in_month(PROJECT, date(2026, 3, 1)) == BY_PROJECT[PROJECT].cost_usd
        assert await p.usage.spent_in_month(PROJECT, date(2026, 2, 1)) == 7.0
        assert await p.usage.spent_in_month(OTHER_PROJECT, date(2026, 3, 1)) == 10.0


# --- any sequence of endings ---------------------------------------------------------------------

ENDINGS = ("succeed", "fail", "time_out", "cancel", "requeue", "lose", "undelivered")


async def end_one(storage: Storage, task_id: UUID, how: str, usage: Usage, day: int, commit: bool) -> None:
    """Start the task's next execution on March `day` and end it `how`, in one unit of work."""
    now = at(day)
    async with storage.scope() as p:
        t = await p.tasks.get(task_id, for_update=True)
        if how == "undelivered":
            await p.executions.add(t.fail_undelivered(t.execution_count + 1, uuid4(), "relay", LOST, now))
        else:
            execution = start(t, at=now)
            await p.executions.add(execution)
            later = now + timedelta(minutes=3)
            match how:
                case "succeed":
                    t.end_execution(execution, ExecutionStatus.SUCCEEDED, later, usage=usage)
                case "fail":
                    t.end_execution(execution, ExecutionStatus.FAILED, later, usage=usage)
                case "time_out":
                    t.end_execution(execution, ExecutionStatus.TIMED_OUT, later, usage=usage)
                case "cancel":
                    t.cancel(later)
                    t.end_execution(execution, ExecutionStatus.CANCELLED, later, usage=usage)
                case "requeue" if t.can_requeue():
                    t.requeue(execution, ExecutionError("overloaded", "again"), later, usage=usage)
                case "requeue":  # no attempt left: the retryable failure ends the task, as the worker does
                    t.end_execution(execution, ExecutionStatus.FAILED, later, usage=usage)
                case "lose":
                    await p.uow.commit()  # the run started; its worker dies; the recovery ends it later
                    t = await p.tasks.get(task_id, for_update=True)
                    (execution,) = await p.executions.for_task(task_id, after_number=t.execution_count - 1)
                    t.recover_lost(execution, LOST, later)
        if commit:
            await p.uow.commit()
        else:
            await p.uow.rollback()


def recount(executions: list[TaskExecution], tasks: dict[UUID, AgentTask]) -> dict[UsageKey, UsageTotals]:
    sums: dict[UsageKey, UsageTotals] = {}
    for execution in executions:
        t = tasks[execution.task_id]
        key = UsageKey.of(t.project_id, t.owner_id, t.options.model, execution)
        sums[key] = sums.get(key, UsageTotals()) + UsageTotals.of(execution)
    return {k: v for k, v in sums.items() if v.executions}


steps = st.lists(
    st.tuples(
        st.integers(0, 2),  # which task
        st.sampled_from(ENDINGS),
        st.builds(Usage, st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from([0.0, 0.125, 1.5, 3.0])),
        st.integers(1, 31),  # the day of March it runs
        st.booleans(),  # committed (or rolled back)
    ),
    max_size=8,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
async def test_for_any_sequence_of_endings_the_roll_ups_equal_a_recount(storage: Storage, sequence: list) -> None:  # type: ignore[type-arg]
    chosen = [task(PROJECT, OWNER, "opus"), task(PROJECT, OTHER, None), task(OTHER_PROJECT, OTHER, "sonnet")]
    async with storage.scope() as p:
        for t in chosen:
            await p.tasks.add(t)
        await p.uow.commit()
    for index, how, usage, day, commit in sequence:
        async with storage.scope() as p:
            t = await p.tasks.get(chosen[index].id)
        if t.status.value != "queued":
            continue  # ended for good: no further execution
        await end_one(storage, t.id, how, usage, day, commit)
    async with storage.scope() as p:  # everything stored so far, earlier examples' too
        tasks: dict[UUID, AgentTask] = {}
        executions: list[TaskExecution] = []
        for project in (PROJECT, OTHER_PROJECT):
            for owner in (OWNER, OTHER):
                for t in await all_tasks(p, project, owner):
                    tasks[t.id] = t
                    executions += await p.executions.for_task(t.id, limit=1000)
        expected = recount(executions, tasks)
        by_day = as_dict(await p.reports.usage(EVERYTHING, UsageGroup.DAY, *MARCH))
        assert by_day == merge(expected, lambda k: k.day)
        by_project = as_dict(await p.reports.usage(EVERYTHING, UsageGroup.PROJECT, *MARCH))
        assert by_project == merge(expected, lambda k: k.project_id)
        by_model = as_dict(await p.reports.usage(EVERYTHING, UsageGroup.MODEL, *MARCH))
        assert by_model == merge(expected, lambda k: k.model)
        for project in (PROJECT, OTHER_PROJECT):
            spent = await p.usage.spent_in_month(project, date(2026, 3, 1))
            assert spent == sum(v.cost_usd for k, v in expected.items() if k.project_id == project)


def merge(sums: dict[UsageKey, UsageTotals], group: object) -> dict[object, UsageTotals]:
    merged: dict[object, UsageTotals] = {}
    for key, value in sums.items():
        g = group(key)  # type: ignore[operator]
        merged[g] = merged.get(g, UsageTotals()) + value
    return merged


async def all_tasks(p: object, project: UUID, owner: UUID) -> list[AgentTask]:
    from agentry.application.ports.access_policy import ProjectScope
    from agentry.application.tasks.ports.task_repository import TaskFilter, TaskQuery

    query = TaskQuery(
        ProjectScope.all(),
        TaskFilter(project_ids=frozenset({project}), owner_ids=frozenset({owner})),
        limit=1000,
    )
    found: list[AgentTask] = await p.tasks.page(query)  # type: ignore[attr-defined]
    return found
