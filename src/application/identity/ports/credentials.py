"""Password hashing, access tokens and opaque secrets: the cryptography the identity use cases need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether the password matches; with no hash (an unknown user) spends the same time and says no."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than the current ones."""
        ...


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_in: int  # seconds


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID


class InvalidToken(Exception):
    """The access token is not one we issued, or no longer valid; `reason` is safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AccessTokens(Protocol):
    def issue(self, claims: AccessClaims, now: datetime) -> IssuedToken: ...

    def verify(self, token: str, now: datetime) -> AccessClaims:
        """The claims of a valid token; raises InvalidToken otherwise."""
        ...


class SecretGenerator(Protocol):
    def new_secret(self) -> str:
        """A new random secret, URL-safe, with at least 256 bits of entropy."""
        ...
