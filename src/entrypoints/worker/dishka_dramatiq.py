"""dishka for Dramatiq (there is no official integration).

`DishkaMiddleware` builds the container when the worker process boots (or borrows one that the
process already has), starts background jobs on the worker's event loop (the outbox relay), and
closes what it owns at shutdown. `inject` opens a
request scope for each message and hands the actor what it asks for with `FromDishka[...]`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from typing import Any, ParamSpec, TypeVar

import dramatiq
from dishka import AsyncContainer
from dishka.integrations.base import wrap_injection
from dramatiq.asyncio import get_event_loop_thread

P = ParamSpec("P")
T = TypeVar("T")
BACKGROUND_STOP_TIMEOUT_S = 10


class DishkaMiddleware(dramatiq.Middleware):
    def __init__(
        self,
        make_container: Callable[[], AsyncContainer],
        *,
        owns_container: bool = True,
        background: Callable[[AsyncContainer], Coroutine[Any, Any, None]] | None = None,
        stop_background: Callable[[], None] | None = None,
    ) -> None:
        self._make_container = make_container
        self._owns_container = owns_container
        self._background = background
        self._stop_background = stop_background
        self._container: AsyncContainer | None = None
        self._running: Future[None] | None = None

    @property
    def container(self) -> AsyncContainer:
        if self._container is None:
            raise RuntimeError("the worker has not booted: no container yet")
        return self._container

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._container = self._make_container()

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if self._background is not None:
            self._running = asyncio.run_coroutine_threadsafe(self._background(self.container), _loop())

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        loop = _loop()
        if self._running is not None:
            if self._stop_background is not None:
                self._stop_background()
            try:
                self._running.result(timeout=BACKGROUND_STOP_TIMEOUT_S)
            except BaseException:  # it failed, was cancelled, or is too slow: make sure it ends
                self._running.cancel()
        if self._container is not None and self._owns_container:
            asyncio.run_coroutine_threadsafe(self._container.close(), loop).result(timeout=30)
        self._container = None

    def inject(self, func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        return wrap_injection(
            func=func,
            is_async=True,
            container_getter=lambda _args, _kwargs: self.container,
            manage_scope=True,
        )


def _loop() -> asyncio.AbstractEventLoop:
    thread = get_event_loop_thread()
    if thread is None:
        raise RuntimeError("the AsyncIO middleware must come before the dishka middleware")
    return thread.loop
