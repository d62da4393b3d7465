"""GetUsageReport with in-memory fakes: who sees which usage (decided in the use case, by the policy), the
window it reports on, and figures that follow from the runs the workers made."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentry.application.errors import Forbidden
from agentry.application.reports.get_usage_report import MAX_DAYS, GetUsageReport, UsageQuery
from agentry.application.reports.ports import UsageGroup
from agentry.domain.errors import InvalidValue
from agentry.domain.principal import Principal
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.script import Fail, Say, Spend
from agentry.domain.tasks.spec import TaskOptions
from agentry.domain.tasks.usage_totals import UsageTotals
from tests.fakes.app import ADMIN, ALICE, BOB, OTHERS, SYSTEM, TEAM, FakeApp

CAROL = Principal(UUID(int=0xCA201), "carol", memberships={TEAM: ProjectRole.MAINTAINER})
DAN = Principal(UUID(int=0xDA2), "dan", memberships={TEAM: ProjectRole.VIEWER, OTHERS: ProjectRole.MEMBER})


async def run_all(app: FakeApp) -> None:
    await app.relay()
    while app.broker.sent:
        await app.run_next()
        await app.relay()


async def scene(app: FakeApp) -> None:
    """Alice spends 1.5 and fails once (0.25) in TEAM; Carol spends 2.0 in TEAM; Bob 4.0 in OTHERS and
    Dan 0.5 in OTHERS."""
    await app.submit(ALICE, script=(Spend(1.5), Say("done")))
    await app.submit(ALICE, script=(Spend(0.25), Fail("broken")))
    await app.submit(CAROL, project_id=TEAM, script=(Spend(2.0), Say("done")))
    await app.submit(BOB, script=(Spend(4.0), Say("done")))
    await app.submit(DAN, project_id=OTHERS, script=(Spend(0.5), Say("done")))
    await run_all(app)


def costs(report: object) -> dict[object, float]:
    return {row.key: row.totals.cost_usd for row in report.rows}  # type: ignore[attr-defined]


async def test_an_admin_sees_every_project_s_usage() -> None:
    app = FakeApp()
    await scene(app)
    report = await app.use(GetUsageReport)(ADMIN, UsageQuery(UsageGroup.PROJECT))
    assert costs(report) == {TEAM: 3.75, OTHERS: 4.5}
    assert report.total == UsageTotals(5, 4, 1, report.total.input_tokens, report.total.output_tokens, 8.25)


async def test_a_maintainer_sees_all_of_their_project_and_nothing_of_another() -> None:
    app = FakeApp()
    await scene(app)
    by_user = await app.use(GetUsageReport)(CAROL, UsageQuery(UsageGroup.USER))
    assert costs(by_user) == {ALICE.id: 1.75, CAROL.id: 2.0}
    by_project = await app.use(GetUsageReport)(CAROL, UsageQuery(UsageGroup.PROJECT))
    assert costs(by_project) == {TEAM: 3.75}


async def test_a_member_or_viewer_sees_only_the_usage_of_the_tasks_they_submitted() -> None:
    app = FakeApp()
    await scene(app)
    alice = await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.USER))
    assert costs(alice) == {ALICE.id: 1.75}
    assert alice.total.succeeded == 1 and alice.total.failed == 1 and alice.total.success_rate == 0.5
    dan = await app.use(GetUsageReport)(DAN, UsageQuery(UsageGroup.PROJECT))  # viewer of TEAM: not enough
    assert costs(dan) == {OTHERS: 0.5}


async def test_an_owner_sees_their_project_and_their_own_usage_elsewhere() -> None:
    app = FakeApp()
    await app.submit(BOB, script=(Spend(4.0), Say("done")))
    await app.submit(DAN, project_id=OTHERS, script=(Spend(0.5), Say("done")))
    await run_all(app)
    report = await app.use(GetUsageReport)(BOB, UsageQuery(UsageGroup.USER))
    assert costs(report) == {BOB.id: 4.0, DAN.id: 0.5}


async def test_the_system_principal_has_no_usage_to_see() -> None:
    with pytest.raises(Forbidden):
        await FakeApp().use(GetUsageReport)(SYSTEM, UsageQuery())


async def test_by_default_the_report_covers_this_month_up_to_today() -> None:
    app = FakeApp()
    today = app.clock.now().date()
    report = await app.use(GetUsageReport)(ALICE, UsageQuery())
    assert (report.first_day, report.last_day) == (today.replace(day=1), today)
    only_from = await app.use(GetUsageReport)(ALICE, UsageQuery(first_day=date(2020, 5, 7)))
    assert (only_from.first_day, only_from.last_day) == (date(2020, 5, 7), today)
    only_to = await app.use(GetUsageReport)(ALICE, UsageQuery(last_day=date(2020, 5, 7)))
    assert (only_to.first_day, only_to.last_day) == (date(2020, 5, 1), date(2020, 5, 7))


async def test_a_window_that_ends_before_it_starts_or_spans_too_long_is_refused() -> None:
    use = FakeApp().use(GetUsageReport)
    with pytest.raises(InvalidValue) as refused:
        await use(ALICE, UsageQuery(first_day=date(2026, 3, 2), last_day=date(2026, 3, 1)))
    assert refused.value.field == "from"
    with pytest.raises(InvalidValue):
        await use(ALICE, UsageQuery(first_day=date(2000, 1, 1), last_day=date(2000, 1, 1) + timedelta(days=MAX_DAYS)))
    await use(ALICE, UsageQuery(first_day=date(2000, 1, 1), last_day=date(2000, 1, 1) + timedelta(days=MAX_DAYS - 1)))


async def test_runs_on_a_day_outside_the_window_are_left_out() -> None:
    app = FakeApp()
    await app.submit(ALICE, script=(Spend(1.0), Say("done")))
    await run_all(app)
    today = app.clock.now().date()
    by_day = await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.DAY, today, today))
    assert costs(by_day) == {today: 1.0}
    tomorrow = today + timedelta(days=1)
    assert (await app.use(GetUsageReport)(ALICE, UsageQuery(UsageGroup.DAY, tomorrow, tomorrow))).rows == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    runs=st.lists(
        st.tuples(
            st.sampled_from([ALICE, CAROL, BOB, DAN]),
            st.sampled_from([0.0, 0.25, 1.0, 2.5]),
            st.booleans(),  # fails
            st.sampled_from([None, "opus", "sonnet"]),
        ),
        max_size=8,
    )
)
async def test_every_grouping_adds_up_to_the_same_total_as_the_runs(runs: list) -> None:  # type: ignore[type-arg]
    app = FakeApp()
    for actor, usd, fails, model in runs:
        project = OTHERS if actor in (BOB, DAN) else TEAM
        script = (Spend(usd), Fail("broken") if fails else Say("done"))
        await app.submit(actor, project_id=project, options=TaskOptions(script=script, model=model))
    await run_all(app)
    expected_cost = sum(usd for _, usd, _, _ in runs)
    expected_failed = sum(1 for *_, fails, _ in runs if fails)
    for group_by in UsageGroup:
        report = await app.use(GetUsageReport)(ADMIN, UsageQuery(group_by))
        assert report.total.executions == len(runs)
        assert report.total.failed == expected_failed
        assert report.total.cost_usd == pytest.approx(expected_cost)
    by_model = await app.use(GetUsageReport)(ADMIN, UsageQuery(UsageGroup.MODEL))
    assert {row.key for row in by_model.rows} == {model or "" for *_, model in runs}
