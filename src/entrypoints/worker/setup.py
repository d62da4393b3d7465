"""Turns a broker into a worker of ours: an event loop, the dishka middleware, the actors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import dramatiq
from dishka import AsyncContainer
from dramatiq.middleware import AsyncIO

from agentry.entrypoints.worker.actors import declare_actors
from agentry.entrypoints.worker.dead_letters import DeadLetters
from agentry.entrypoints.worker.dishka_dramatiq import DishkaMiddleware
from agentry.entrypoints.worker.document_actor import declare_document_actor
from agentry.entrypoints.worker.graceful import GracefulShutdown
from agentry.entrypoints.worker.shared_loop import SharedEventLoop
from agentry.entrypoints.worker.webhook_actor import declare_webhook_actor


def equip_worker(
    broker: dramatiq.Broker,
    container: Callable[[], AsyncContainer],
    *,
    owns_container: bool,
    loop: asyncio.AbstractEventLoop | None = None,
    background: Callable[[AsyncContainer], Coroutine[Any, Any, None]] | None = None,
    stop_background: Callable[[], None] | None = None,
    shutdown: GracefulShutdown | None = None,
) -> None:
    """Async actors run on `loop` if given (the embedded profile shares the API's), else on a
    loop of the worker's own; `background` (the outbox relay) runs there while the worker runs;
    `shutdown` lets running executions finish, or interrupts them, when the worker stops."""
    broker.add_middleware(SharedEventLoop(loop) if loop is not None else AsyncIO())
    dishka = DishkaMiddleware(
        container, owns_container=owns_container, background=background, stop_background=stop_background
    )
    broker.add_middleware(dishka)
    broker.add_middleware(DeadLetters(dishka))
    if shutdown is not None:
        broker.add_middleware(shutdown)
    declare_actors(broker, dishka)
    declare_webhook_actor(broker, dishka)
    declare_document_actor(broker, dishka)
