from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from agentry.domain.tasks.orders import ExecutionOrder


class BrokerUnavailable(Exception):
    """The broker could not take the messages; nothing was lost, the outbox keeps them."""


class MessageBroker(Protocol):
    async def send(self, orders: Sequence[ExecutionOrder]) -> None:
        """Hand execution orders to the workers; raises BrokerUnavailable."""
        ...
