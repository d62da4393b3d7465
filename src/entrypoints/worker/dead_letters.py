"""Reconciles what Dramatiq dead-letters: a run_execution message that failed for good (the actor
raised on every delivery until Retries gave up, or the message was failed otherwise) has its task
failed with a clear error (see application.tasks.reconcile_dead_letter), never left `queued`.

The broker rejects such a message after processing it (`nack`, into its dead-letter queue); this
middleware hears that and runs the use case on the worker's event loop without blocking the
consumer. If the write fails (the database is down: the usual reason messages die), the task stays
queued and the redispatch of lost messages sends its order again once `redispatch_after_s` passed.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from typing import Any
from uuid import UUID

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.broker import MessageProxy

from agentry.adapters.dramatiq.brokers import RUN_EXECUTION_ACTOR
from agentry.application.tasks.run.reconcile_dead_letter import DeadLetter, ReconcileDeadLetter
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware

log = logging.getLogger("agentry.worker")


class DeadLetters(dramatiq.Middleware):
    def __init__(self, dishka: DishkaMiddleware) -> None:
        self._dishka = dishka

    def after_nack(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        if message.actor_name != RUN_EXECUTION_ACTOR:
            return
        letter = dead_letter(message)
        thread = get_event_loop_thread()
        if letter is None or thread is None:
            log.error("dead-lettered message %s could not be reconciled: %r", message.message_id, message.args)
            return
        running = asyncio.run_coroutine_threadsafe(self._reconcile(letter), thread.loop)
        running.add_done_callback(lambda done: _report(letter, done))

    async def _reconcile(self, letter: DeadLetter) -> bool:
        async with self._dishka.container() as request:
            reconcile = await request.get(ReconcileDeadLetter)
            return await reconcile(SYSTEM_PRINCIPAL, letter)


def dead_letter(message: MessageProxy | dramatiq.Message[Any]) -> DeadLetter | None:
    """What the message says: its order, how often it was delivered, and the last error's last line."""
    try:
        task_id, number = message.args
        order = ExecutionOrder(UUID(str(task_id)), int(number))
    except (TypeError, ValueError):
        return None
    trace = str(message.options.get("traceback") or "").strip()
    last_error = trace.splitlines()[-1][:500] if trace else None
    # Retries counts each failed delivery, the last one too; a message failed without it was delivered once.
    return DeadLetter(order, deliveries=max(int(message.options.get("retries", 0)), 1), last_error=last_error)


def _report(letter: DeadLetter, done: Future[bool]) -> None:
    order = letter.order
    try:
        failed = done.result()
    except BaseException as error:
        log.warning(
            "dead-lettered order %s #%d not reconciled (%s: %s); it will be sent again later",
            order.task_id,
            order.number,
            type(error).__name__,
            error,
        )
        return
    if failed:
        log.warning(
            "task %s failed: its order #%d was dead-lettered after %d deliveries",
            order.task_id,
            order.number,
            letter.deliveries,
        )
