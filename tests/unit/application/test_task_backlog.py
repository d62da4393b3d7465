"""GetTaskStats' backlog with fakes: each visible project's waiting tasks now, and how long the longest-waiting
queued one has waited by the clock; the creation window narrows the counts, never the backlog."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentry.application.tasks.task_stats import GetTaskStats
from tests.fakes.app import ADMIN, ALICE, BOB, OTHERS, TEAM, FakeApp


async def test_the_backlog_says_how_long_the_oldest_queued_task_has_waited() -> None:
    app = FakeApp()
    app.clock.tick = timedelta(0)
    first = await app.submit(ALICE)
    app.clock.advance(seconds=30)
    await app.submit(ALICE)
    await app.submit(ALICE, scheduled_at=app.clock.now() + timedelta(hours=1))
    await app.submit(BOB)
    app.clock.advance(seconds=90)
    stats = await app.use(GetTaskStats)(ALICE)
    (team,) = stats.backlog  # Bob's project is not Alice's to see
    assert (team.project_id, team.pending, team.queued) == (TEAM, 1, 2)
    assert team.oldest_queued_at == first.queued_at
    assert team.oldest_wait_s == pytest.approx(120.0)
    everything = await app.use(GetTaskStats)(ADMIN)
    assert {b.project_id: b.queued for b in everything.backlog} == {TEAM: 2, OTHERS: 1}


async def test_work_that_started_leaves_the_backlog_and_the_window_does_not_narrow_it() -> None:
    app = FakeApp()
    await app.submit(ALICE)
    await app.submit(ALICE)
    await app.relay()
    await app.run_next()
    stats = await app.use(GetTaskStats)(ALICE, created_after=app.clock.now() + timedelta(days=1))
    assert stats.total == 0, "nothing created in the window"
    assert [(b.project_id, b.queued) for b in stats.backlog] == [(TEAM, 1)]
