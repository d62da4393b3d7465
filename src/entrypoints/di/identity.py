"""Identity: accounts, login sessions and API tokens in the database, the credentials that prove who
is asking, and the use cases of registering, logging in and out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher
from agentry.adapters.redis.principal_cache import CachedPrincipalStore, PrincipalCache, PrincipalChanges
from agentry.adapters.sqlalchemy.identity.principal_store import SqlAlchemyPrincipalStore
from agentry.adapters.sqlalchemy.identity.session_repository import (
    SqlAlchemyApiTokenRepository,
    SqlAlchemySessionRepository,
)
from agentry.adapters.sqlalchemy.identity.user_repository import SqlAlchemyUserRepository
from agentry.adapters.system.secrets import UrlSafeSecrets
from agentry.application.identity.authenticate import Authenticate
from agentry.application.identity.get_me import GetMe
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.log_out import LogOut
from agentry.application.identity.ports.credentials import AccessTokens, PasswordHasher, SecretGenerator
from agentry.application.identity.ports.sessions import ApiTokenRepository, PrincipalStore, SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.refresh_session import RefreshSession
from agentry.application.identity.register_user import RegisterUser
from agentry.application.identity.settings import IdentitySettings
from agentry.application.identity.tokens import TokenMinter
from agentry.entrypoints.config import Settings
from agentry.entrypoints.pubsub import pubsub_redis
from agentry.entrypoints.signing_keys import SigningKeys


class IdentityProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def identity_settings(self, settings: Settings) -> IdentitySettings:
        return IdentitySettings(
            open_registration=settings.open_registration,
            password_min_length=settings.password_min_length,
            refresh_token_ttl_s=settings.refresh_token_ttl_s,
        )

    @provide(scope=Scope.APP)
    def password_hasher(self, settings: Settings) -> Iterator[PasswordHasher]:
        hasher = Argon2PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost_kib=settings.argon2_memory_kib,
            max_threads=settings.argon2_threads,
        )
        yield hasher
        hasher.close()

    @provide(scope=Scope.APP)
    def access_tokens(self, keys: SigningKeys) -> AccessTokens:
        return keys.tokens

    secrets = provide(UrlSafeSecrets, provides=SecretGenerator, scope=Scope.APP)

    users = provide(SqlAlchemyUserRepository, provides=UserRepository)
    sessions = provide(SqlAlchemySessionRepository, provides=SessionRepository)
    api_tokens = provide(SqlAlchemyApiTokenRepository, provides=ApiTokenRepository)

    @provide(scope=Scope.APP)
    def principal_cache(self, settings: Settings) -> PrincipalCache:
        return PrincipalCache(ttl_s=settings.principal_cache_ttl_s)

    @provide(scope=Scope.APP)
    async def principal_changes(self, settings: Settings, cache: PrincipalCache) -> AsyncIterator[PrincipalChanges]:
        """Production: changes cross processes on Redis pub/sub (the API processes listen, see
        runtime.py); embedded: no cache is used (the CLI may change principals from another process)."""
        redis = pubsub_redis(settings)
        yield PrincipalChanges(cache, redis, f"{settings.redis_namespace}:principals-changed")
        if redis is not None:
            await redis.aclose()  # type: ignore[attr-defined]  # the stubs predate redis 5

    @provide
    def principals(self, session: AsyncSession, settings: Settings, cache: PrincipalCache) -> PrincipalStore:
        store = SqlAlchemyPrincipalStore(session)
        return store if settings.principal_cache_ttl_s == 0 else CachedPrincipalStore(store, cache)

    use_cases = provide_all(Authenticate, RegisterUser, TokenMinter, LogIn, RefreshSession, LogOut, GetMe)
