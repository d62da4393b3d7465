"""Identity's imperative mapping: users, login sessions, refresh tokens and API tokens."""

from __future__ import annotations

from sqlalchemy.orm import registry

from agentry.adapters.sqlalchemy.identity.tables import api_tokens, login_sessions, refresh_tokens, users
from agentry.domain.identity.sessions import ApiToken, LoginSession, RefreshToken
from agentry.domain.identity.users import User


def map_identity(mappers: registry) -> None:
    mappers.map_imperatively(User, users)
    mappers.map_imperatively(LoginSession, login_sessions)
    mappers.map_imperatively(RefreshToken, refresh_tokens)
    mappers.map_imperatively(ApiToken, api_tokens)
