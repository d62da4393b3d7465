"""Sends execution orders as Dramatiq messages; only ids travel, with the context of the work that
asked for them (trace context, correlation id) when it has one."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from dramatiq import Broker, Message
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.dramatiq.brokers import EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR, PromptRedisBroker
from agentry.application.ports.work_context import EXECUTION_NUMBER, TASK_ID, Attributes, WorkContext
from agentry.application.tasks.ports.message_broker import BrokerUnavailable
from agentry.domain.tasks.orders import ExecutionOrder

CONTEXT_KWARG = "context"


def order_message(order: ExecutionOrder, context: Mapping[str, str] | None = None) -> Message[None]:
    return Message(
        queue_name=EXECUTIONS_QUEUE,
        actor_name=RUN_EXECUTION_ACTOR,
        args=(str(order.task_id), order.number),
        kwargs={CONTEXT_KWARG: dict(context)} if context else {},
        options={},
    )


class DramatiqPublisher:
    def __init__(self, broker: Broker, work: WorkContext) -> None:
        self._broker = broker
        self._work = work

    async def send(self, orders: Sequence[ExecutionOrder]) -> None:
        if isinstance(self._broker, StubBroker):
            self._enqueue(orders)  # in memory: nothing to wait for
        else:
            await asyncio.to_thread(self._enqueue, orders)

    def _enqueue(self, orders: Sequence[ExecutionOrder]) -> None:
        """On Redis the workers are woken once for the batch, after its last message."""
        prompt = self._broker if isinstance(self._broker, PromptRedisBroker) else None
        try:
            for order in orders:
                # The relay's step of the order's trace: it continues the context stored with the job,
                # and the message carries this step's context on to the worker.
                attributes: Attributes = {TASK_ID: str(order.task_id), EXECUTION_NUMBER: order.number}
                with self._work.span("relay publish", attributes, parent=order.context):
                    message = order_message(order, self._work.carrier())
                    if prompt is None:
                        self._broker.enqueue(message)
                    else:
                        prompt.enqueue(message, wake=False)
            if prompt is not None:
                prompt.wake(len(orders))
        except Exception as error:  # redis, pika and socket errors alike: the outbox keeps the work
            raise BrokerUnavailable(f"{type(error).__name__}: {error}") from error
