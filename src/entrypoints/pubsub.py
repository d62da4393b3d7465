"""Redis pub/sub between processes: live events (workers → every API process) and stop requests
(any API process → every worker process) travel on it in production."""

from __future__ import annotations

from redis.asyncio import Redis

from agentry.entrypoints.config import Settings


def pubsub_redis(settings: Settings) -> Redis[bytes] | None:
    """A client for Redis pub/sub in production, or None: in the embedded profile everything happens in
    one process, and with a RabbitMQ broker alone (no AGENTRY_REDIS_URL) nothing crosses processes.

    No socket time-out: each of its users bounds its own waits (`asyncio.timeout` around a publish, the
    subscriptions' reads their own time-outs or none, as they wait for messages). redis-py's default
    of 5 s sent every command through `asyncio.wait_for`, which on Python 3.11 makes a task of its own
    for each send: about 13 us of a worker's CPU a PUBLISH (45 against 32), four or five a task."""
    if settings.embedded or not settings.redis_url:
        return None
    return Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=None)
