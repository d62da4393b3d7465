"""Sends execution orders as Dramatiq messages; only ids travel."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dramatiq import Broker, Message
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.dramatiq.brokers import EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR
from agentry.application.tasks.ports.message_broker import BrokerUnavailable
from agentry.domain.tasks.orders import ExecutionOrder


def order_message(order: ExecutionOrder) -> Message[None]:
    return Message(
        queue_name=EXECUTIONS_QUEUE,
        actor_name=RUN_EXECUTION_ACTOR,
        args=(str(order.task_id), order.number),
        kwargs={},
        options={},
    )


class DramatiqPublisher:
    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def send(self, orders: Sequence[ExecutionOrder]) -> None:
        if isinstance(self._broker, StubBroker):
            self._enqueue(orders)  # in memory: nothing to wait for
        else:
            await asyncio.to_thread(self._enqueue, orders)

    def _enqueue(self, orders: Sequence[ExecutionOrder]) -> None:
        try:
            for order in orders:
                self._broker.enqueue(order_message(order))
        except Exception as error:  # redis, pika and socket errors alike: the outbox keeps the work
            raise BrokerUnavailable(f"{type(error).__name__}: {error}") from error
