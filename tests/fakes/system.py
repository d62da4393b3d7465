from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from agentry.application.tasks.ports.message_broker import BrokerUnavailable
from agentry.domain.tasks.orders import ExecutionOrder

EPOCH = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = EPOCH, tick: timedelta = timedelta(milliseconds=1)) -> None:
        self.current = start
        self.tick = tick

    def now(self) -> datetime:
        self.current += self.tick
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class SequentialIds:
    def __init__(self) -> None:
        self.count = 0

    def new_id(self) -> UUID:
        self.count += 1
        return UUID(int=self.count)


class RecordingBroker:
    """Keeps what it was sent; can be told to refuse, like a broker that is down."""

    def __init__(self) -> None:
        self.sent: list[ExecutionOrder] = []
        self.down = False

    async def send(self, orders: Sequence[ExecutionOrder]) -> None:
        if self.down:
            raise BrokerUnavailable("connection refused")
        self.sent.extend(orders)
