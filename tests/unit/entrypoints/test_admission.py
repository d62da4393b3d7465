"""Admission control: at most `limit` holders, the rest served in arrival order (a freed slot goes to the
longest waiter, never to a newcomer), a full queue refused at once, a long wait refused in time, and no
slot lost whatever happens to a waiter."""

from __future__ import annotations

import asyncio
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.entrypoints.http.kit.admission import Admission, Overloaded, exempt


async def hold(admission: Admission, name: str, order: list[str], release: asyncio.Event) -> None:
    await admission.enter()
    order.append(name)
    try:
        await release.wait()
    finally:
        admission.leave()


async def test_at_most_limit_hold_a_slot_and_waiters_get_theirs_in_arrival_order() -> None:
    admission = Admission(limit=2, queue=10, max_wait_s=5)
    order: list[str] = []
    gates = {name: asyncio.Event() for name in "abcdef"}
    tasks = []
    for name in "abcdef":
        tasks.append(asyncio.create_task(hold(admission, name, order, gates[name])))
        await asyncio.sleep(0)  # arrive one after another
    await asyncio.sleep(0.01)
    assert order == ["a", "b"] and admission.active == 2 and admission.waiting == 4
    for name in "abcdef":
        gates[name].set()
        await asyncio.sleep(0.01)
    await asyncio.gather(*tasks)
    assert order == list("abcdef")
    assert admission.active == 0 and admission.waiting == 0


async def test_a_newcomer_cannot_take_a_slot_freed_for_a_waiter() -> None:
    """SQLAlchemy's asyncio pool lets a newcomer take a connection returned for a woken waiter; the
    waiter goes to the back of the line (the 10 s waits this replaces)."""
    admission = Admission(limit=1, queue=10, max_wait_s=5)
    await admission.enter()
    waiter = asyncio.create_task(admission.enter())
    await asyncio.sleep(0)
    admission.leave()  # the slot goes to the waiter, although it has not run yet
    newcomer = asyncio.create_task(admission.enter())
    await asyncio.sleep(0.01)
    assert waiter.done() and not newcomer.done()
    admission.leave()
    await asyncio.wait_for(newcomer, 1)
    admission.leave()
    assert admission.active == 0


async def test_a_full_queue_is_refused_at_once_with_a_retry_after() -> None:
    admission = Admission(limit=1, queue=1, max_wait_s=5)
    await admission.enter()
    queued = asyncio.create_task(admission.enter())
    await asyncio.sleep(0)
    started = time.monotonic()
    with pytest.raises(Overloaded) as refused:
        await admission.enter()
    assert time.monotonic() - started < 0.05
    assert refused.value.retry_after_s == 5
    assert admission.refused == 1
    admission.leave()
    await queued
    admission.leave()


async def test_a_wait_longer_than_the_limit_is_refused_in_time_and_leaves_the_queue() -> None:
    admission = Admission(limit=1, queue=5, max_wait_s=0.05)
    await admission.enter()
    started = time.monotonic()
    with pytest.raises(Overloaded):
        await admission.enter()
    assert 0.04 < time.monotonic() - started < 0.5
    assert admission.waiting == 0 and admission.retry_after_s == 1
    admission.leave()
    assert admission.active == 0
    await admission.enter()  # the slot is free again
    admission.leave()


async def test_a_cancelled_waiter_gives_back_a_slot_it_was_handed() -> None:
    admission = Admission(limit=1, queue=5, max_wait_s=5)
    await admission.enter()
    waiter = asyncio.create_task(admission.enter())
    await asyncio.sleep(0)
    admission.leave()  # handed to the waiter...
    waiter.cancel()  # ...whose client went away before it ran
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert admission.active == 0 and admission.waiting == 0


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 4),
    queue=st.integers(0, 6),
    plan=st.lists(st.tuples(st.floats(0, 0.004), st.booleans()), min_size=1, max_size=25),
)
def test_whatever_happens_no_slot_is_lost_or_made_up(limit: int, queue: int, plan: list[tuple[float, bool]]) -> None:
    async def scenario() -> None:
        admission = Admission(limit=limit, queue=queue, max_wait_s=0.003)
        peak = 0

        async def request(work_s: float) -> None:
            nonlocal peak
            try:
                await admission.enter()
            except Overloaded:
                return
            peak = max(peak, admission.active)
            try:
                await asyncio.sleep(work_s)
            finally:
                admission.leave()

        tasks = [asyncio.create_task(request(work)) for work, _ in plan]
        await asyncio.sleep(0.001)
        for task, (_, cancel) in zip(tasks, plan, strict=True):
            if cancel:
                task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert peak <= limit
        assert admission.active == 0 and admission.waiting == 0

    asyncio.run(scenario())


def test_health_and_the_live_channels_are_not_counted() -> None:
    assert exempt({"type": "http", "path": "/health/ready"})  # type: ignore[typeddict-item]
    assert exempt({"type": "http", "path": "/api/v1/tasks/0190/events"})  # type: ignore[typeddict-item]
    assert exempt({"type": "websocket", "path": "/api/v1/ws"})  # type: ignore[typeddict-item]
    assert not exempt({"type": "http", "path": "/api/v1/tasks/0190"})  # type: ignore[typeddict-item]
    assert not exempt({"type": "http", "path": "/api/v1/tasks"})  # type: ignore[typeddict-item]
