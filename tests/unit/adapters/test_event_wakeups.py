import asyncio

from agentry.adapters.channels.event_wakeups import EventWakeupPublisher


class CountingRedis:
    def __init__(self) -> None:
        self.published: list[tuple[str, bytes]] = []

    async def publish(self, channel: str, message: bytes) -> int:
        self.published.append((channel, message))
        return 1


async def test_the_first_announcement_after_a_quiet_spell_goes_out_at_once() -> None:
    redis = CountingRedis()
    wakeups = EventWakeupPublisher(redis, "ns:events-written", hold_s=0.05)  # type: ignore[arg-type]

    wakeups.notify()
    await asyncio.sleep(0)  # one turn of the loop: no waiting for the hold

    assert redis.published == [("ns:events-written", b"")]


async def test_announcements_within_the_hold_fold_into_one_at_its_end() -> None:
    redis = CountingRedis()
    wakeups = EventWakeupPublisher(redis, "c", hold_s=0.05)  # type: ignore[arg-type]

    wakeups.notify()
    await asyncio.sleep(0)
    for _ in range(10):
        wakeups.notify()
        await asyncio.sleep(0.001)
    assert len(redis.published) == 1  # still holding
    await asyncio.sleep(0.06)

    assert len(redis.published) == 2


async def test_after_the_hold_with_nothing_new_the_next_announcement_goes_out_at_once() -> None:
    redis = CountingRedis()
    wakeups = EventWakeupPublisher(redis, "c", hold_s=0.01)  # type: ignore[arg-type]

    wakeups.notify()
    await asyncio.sleep(0.03)
    wakeups.notify()
    await asyncio.sleep(0)

    assert len(redis.published) == 2
