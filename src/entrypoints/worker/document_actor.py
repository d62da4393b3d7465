"""The actor that runs a leased ingestion job's steps (on the documents queue, beside the runs).

Each step commits with its results; a message that raises (the database away) is retried by Dramatiq
with back-off, and a job whose worker died is handed out again by the relay once its lease lapses.
Step failures themselves are counted and backed off on the job (StepRetries), which dead-letters it."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import dramatiq
from dishka import FromDishka

from agentry.adapters.dramatiq.brokers import DOCUMENTS_QUEUE, INGEST_DOCUMENT_ACTOR
from agentry.application.documents.run_ingestion import RunIngestion
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware

log = logging.getLogger("agentry.documents")
ACTOR_TIME_LIMIT_MS = 15 * 60 * 1000
ACTOR_MAX_RETRIES = 5


def declare_document_actor(broker: dramatiq.Broker, dishka: DishkaMiddleware) -> dramatiq.Actor[Any, Any]:
    @dishka.inject
    async def ingest_document(job_id: str, token: str, *, run: FromDishka[RunIngestion]) -> None:
        ended = await run(SYSTEM_PRINCIPAL, UUID(job_id), UUID(token))
        if ended is None:
            log.info("ingestion job %s not run: its lease is gone (a duplicate or late message)", job_id)
        else:
            log.info("ingestion job %s: %s", job_id, ended.value)

    declare = dramatiq.actor(
        broker=broker,
        actor_name=INGEST_DOCUMENT_ACTOR,
        queue_name=DOCUMENTS_QUEUE,
        time_limit=ACTOR_TIME_LIMIT_MS,
        max_retries=ACTOR_MAX_RETRIES,
        min_backoff=1_000,
        max_backoff=30_000,
    )
    return declare(ingest_document)
