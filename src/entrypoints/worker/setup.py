"""Turns a broker into a worker of ours: the dishka middleware, the relay, the actors."""

from __future__ import annotations

import dramatiq
from dishka import AsyncContainer

from entrypoints.config import Settings
from entrypoints.container import make_container
from entrypoints.relay import run_relay
from entrypoints.relay_wakeup import RelayWakeup
from entrypoints.worker.actors import declare_actors
from entrypoints.worker.dishka_dramatiq import DishkaMiddleware


def equip_worker(
    broker: dramatiq.Broker, settings: Settings, wakeup: RelayWakeup, *, with_relay: bool
) -> DishkaMiddleware:
    """Add our middleware and actors to `broker`. With the relay, this process also dispatches
    work from the outbox (each `agentry worker` process does; in `serve` the API process does)."""

    async def relay(container: AsyncContainer) -> None:
        await run_relay(container, wakeup, settings.relay_poll_interval_s)

    dishka = DishkaMiddleware(
        lambda: make_container(settings, broker, wakeup),
        background=relay if with_relay else None,
    )
    broker.add_middleware(dishka)
    declare_actors(broker, dishka)
    return dishka
