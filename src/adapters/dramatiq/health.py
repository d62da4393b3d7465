from __future__ import annotations

import asyncio

from dramatiq import Broker


async def ping_broker(broker: Broker, timeout_s: float) -> None:
    """Raises unless the broker answers within the time-out; the in-process broker always does."""
    client = getattr(broker, "client", None)  # RedisBroker
    if client is not None:
        await asyncio.wait_for(asyncio.to_thread(client.ping), timeout_s)
        return
    connection = getattr(broker, "connection", None)  # RabbitmqBroker opens one per thread
    if connection is not None:
        await asyncio.wait_for(asyncio.to_thread(lambda: broker.connection.process_data_events(0)), timeout_s)  # type: ignore[attr-defined]
