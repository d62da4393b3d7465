"""Re-confirming who is at the keyboard before a credential changes."""

from __future__ import annotations

from agentry.application.errors import WrongPassword
from agentry.application.identity.ports.credentials import PasswordHasher
from agentry.domain.identity.users import User


async def confirm_password(hasher: PasswordHasher, user: User, password: str) -> None:
    """Raise WrongPassword (a 403, never a 401: the session is fine) unless `password` is the user's."""
    if not await hasher.verify(user.password_hash, password):
        raise WrongPassword()
