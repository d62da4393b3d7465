"""The in-process rate limiter: exact sliding windows, and one lock for threads."""

from __future__ import annotations

import asyncio
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.adapters.system.rate_limiter import MemoryRateLimiter
from agentry.application.ports.rate_limits import Quota


@settings(max_examples=200, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=8),
    window=st.sampled_from([0.5, 1.0, 3.0]),
    gaps=st.lists(st.sampled_from([0.0, 0.01, 0.1, 0.25, 0.5, 1.0, 2.0]), min_size=1, max_size=60),
)
def test_never_more_than_the_limit_in_any_window_and_never_refused_with_room(
    limit: int, window: float, gaps: list[float]
) -> None:
    limiter, quota = MemoryRateLimiter(), Quota(limit, window)
    now, allowed = 1000.0, []
    for gap in gaps:
        now += gap
        in_window = sum(1 for t in allowed if t > now - window)
        usage = asyncio.run(limiter.hit("k", quota, now))
        assert usage.allowed == (in_window < limit), "allowed exactly when the window ending now has room"
        if usage.allowed:
            allowed.append(now)
        assert usage.count == min(limit, in_window + usage.allowed)
    for t in allowed:
        assert sum(1 for u in allowed if t - window < u <= t) <= limit


def test_threads_hitting_one_key_at_once_get_exactly_the_limit_through() -> None:
    limiter, quota = MemoryRateLimiter(), Quota(100, 60.0)
    through: list[bool] = []
    start = threading.Barrier(8)

    def client() -> None:
        start.wait()

        async def hits() -> list[bool]:
            return [(await limiter.hit("k", quota, 1000.0)).allowed for _ in range(50)]

        through.extend(asyncio.run(hits()))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(through) == 400 and sum(through) == 100


def test_keys_whose_window_has_emptied_are_forgotten() -> None:
    limiter = MemoryRateLimiter()

    async def scene() -> None:
        for n in range(5000):  # past one sweep: each key's only hit has left its one-second window
            await limiter.hit(f"k{n}", Quota(1, 1.0), 1000.0 + n)
        await limiter.peek("k4999", Quota(1, 1.0), 5999.0)

    asyncio.run(scene())
    assert len(limiter._logs) < 1000
