"""Hands leased ingestion jobs to the workers as Dramatiq messages on their own queue (only ids travel)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dramatiq import Broker, Message
from dramatiq.brokers.stub import StubBroker

from agentry.adapters.dramatiq.brokers import DOCUMENTS_QUEUE, INGEST_DOCUMENT_ACTOR
from agentry.application.documents.ports import TakenJob
from agentry.application.tasks.ports.message_broker import BrokerUnavailable


def ingestion_message(taken: TakenJob) -> Message[None]:
    return Message(
        queue_name=DOCUMENTS_QUEUE,
        actor_name=INGEST_DOCUMENT_ACTOR,
        args=(str(taken.job_id), str(taken.token)),
        kwargs={},
        options={},
    )


class DramatiqIngestionQueue:
    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def send(self, taken: Sequence[TakenJob]) -> None:
        if isinstance(self._broker, StubBroker):
            self._enqueue(taken)
        else:
            await asyncio.to_thread(self._enqueue, taken)

    def _enqueue(self, taken: Sequence[TakenJob]) -> None:
        try:
            for one in taken:
                self._broker.enqueue(ingestion_message(one))
        except Exception as error:  # the leases lapse and the jobs are handed out again
            raise BrokerUnavailable(f"{type(error).__name__}: {error}") from error
