"""Identity: accounts, login sessions and API tokens in the database, the credentials that prove who
is asking, and the use cases of registering, logging in and out."""

from __future__ import annotations

from collections.abc import Iterator

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.argon2.password_hasher import Argon2PasswordHasher
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
from agentry.application.identity.ports.sessions import ApiTokenRepository, SessionRepository
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.refresh_session import RefreshSession
from agentry.application.identity.register_user import RegisterUser
from agentry.application.identity.settings import IdentitySettings
from agentry.application.identity.tokens import TokenMinter
from agentry.entrypoints.config import Settings
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

    use_cases = provide_all(Authenticate, RegisterUser, TokenMinter, LogIn, RefreshSession, LogOut, GetMe)
