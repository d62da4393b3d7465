"""Rate limits: kept in Redis when there is one to share between processes (production), else in this
process (the embedded profile); the log-in and password-change use cases behind their back-off."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide, provide_all
from redis.asyncio import Redis

from agentry.adapters.redis.rate_limiter import RedisRateLimiter
from agentry.adapters.system.rate_limiter import MemoryRateLimiter
from agentry.application.account.throttled_change_password import PasswordBackoff, ThrottledChangePassword
from agentry.application.identity.throttled_log_in import LoginBackoff, ThrottledLogIn
from agentry.application.ports.rate_limits import RateLimiter
from agentry.entrypoints.config import Settings

log = logging.getLogger("agentry")


class RateLimitsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    async def limiter(self, settings: Settings) -> AsyncIterator[RateLimiter]:
        if settings.embedded or not settings.redis_url:
            if not settings.embedded and settings.rate_limiting:
                log.warning("AGENTRY_REDIS_URL is not set: each API process counts rate limits on its own")
            yield MemoryRateLimiter()
            return
        redis: Redis[bytes] = Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=1)
        yield RedisRateLimiter(redis, f"{settings.redis_namespace}:ratelimit:")
        await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5

    @provide(scope=Scope.APP)
    def login_backoff(self, settings: Settings) -> LoginBackoff:
        return LoginBackoff(enabled=settings.rate_limiting)

    @provide(scope=Scope.APP)
    def password_backoff(self, settings: Settings) -> PasswordBackoff:
        return PasswordBackoff(enabled=settings.rate_limiting)

    use_cases = provide_all(ThrottledLogIn, ThrottledChangePassword)
