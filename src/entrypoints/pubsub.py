"""Redis pub/sub between processes: live events (workers → every API process) and stop requests
(any API process → every worker process) travel on it in production."""

from __future__ import annotations

from redis.asyncio import Redis

from agentry.entrypoints.config import Settings


def pubsub_redis(settings: Settings) -> Redis[bytes] | None:
    """A client for Redis pub/sub in production, or None: in the embedded profile everything happens in
    one process, and with a RabbitMQ broker alone (no AGENTRY_REDIS_URL) nothing crosses processes."""
    if settings.embedded or not settings.redis_url:
        return None
    return Redis.from_url(settings.redis_url, socket_connect_timeout=2)
