"""The actor that runs one execution of a task."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import dramatiq
from dishka import FromDishka

from agentry.adapters.dramatiq.brokers import EXECUTIONS_QUEUE, RUN_EXECUTION_ACTOR
from agentry.application.ports.work_context import EXECUTION_NUMBER, TASK_ID, Attributes, WorkContext
from agentry.application.tasks.run.run_execution import RunExecution
from agentry.domain.tasks.orders import ExecutionOrder
from agentry.entrypoints.system_principal import SYSTEM_PRINCIPAL
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware

log = logging.getLogger("agentry.worker")
# The task's own time limit and watchdogs end a run; Dramatiq's limit is only a backstop.
ACTOR_TIME_LIMIT_MS = 26 * 3600 * 1000
# A message that raises (the database was down, say) is retried; the claim makes that safe.
ACTOR_MAX_RETRIES = 10


def declare_actors(broker: dramatiq.Broker, dishka: DishkaMiddleware) -> dramatiq.Actor[Any, Any]:
    @dishka.inject
    async def run_execution(
        task_id: str,
        number: int,
        context: dict[str, str] | None = None,
        *,
        use_case: FromDishka[RunExecution],
        work: FromDishka[WorkContext],
    ) -> None:
        # The message's step of the task's trace, under the relay's; the correlation id of the request
        # that submitted the task is in this step's log lines.
        attributes: Attributes = {TASK_ID: task_id, EXECUTION_NUMBER: number}
        with work.span("execution message", attributes, parent=context or {}):
            ended = await use_case(SYSTEM_PRINCIPAL, ExecutionOrder(UUID(task_id), number))
            if ended is None:  # (how a run ended is logged by the use case, with the execution's id)
                log.info("execution #%d not run: a duplicate or outdated order, or held back by a limit", number)

    declare = dramatiq.actor(
        broker=broker,
        actor_name=RUN_EXECUTION_ACTOR,
        queue_name=EXECUTIONS_QUEUE,
        time_limit=ACTOR_TIME_LIMIT_MS,
        max_retries=ACTOR_MAX_RETRIES,
        min_backoff=1_000,
        max_backoff=60_000,
    )
    return declare(run_execution)
