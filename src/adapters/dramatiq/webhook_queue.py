"""Hands webhook deliveries to the workers as Dramatiq messages on their own queue (only ids travel),
so deliveries never wait behind task runs in the broker."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dramatiq import Broker, Message
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.dramatiq.brokers import DELIVER_WEBHOOK_ACTOR, WEBHOOKS_QUEUE
from agentry.application.tasks.ports.message_broker import BrokerUnavailable
from agentry.application.webhooks.ports import Taken


def delivery_message(taken: Taken) -> Message[None]:
    return Message(
        queue_name=WEBHOOKS_QUEUE,
        actor_name=DELIVER_WEBHOOK_ACTOR,
        args=(str(taken.delivery_id), str(taken.token)),
        kwargs={},
        options={},
    )


class DramatiqDeliveryQueue:
    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def send(self, taken: Sequence[Taken]) -> None:
        if isinstance(self._broker, StubBroker):
            self._enqueue(taken)
        else:
            await asyncio.to_thread(self._enqueue, taken)

    def _enqueue(self, taken: Sequence[Taken]) -> None:
        try:
            for one in taken:
                self._broker.enqueue(delivery_message(one))
        except Exception as error:  # the leases run out and the deliveries are offered again
            raise BrokerUnavailable(f"{type(error).__name__}: {error}") from error
