from __future__ import annotations

from dataclasses import dataclass

from agentry.application.account.change_password import ChangePassword
from agentry.application.backoff import BackoffSchedule, FailureBackoff, key_of
from agentry.application.ports.clock import Clock
from agentry.application.ports.rate_limits import RateLimiter
from agentry.domain.principal import Principal

WRONG_PASSWORDS = BackoffSchedule(free=5)


@dataclass(frozen=True, slots=True)
class PasswordBackoff:
    enabled: bool = True
    schedule: BackoffSchedule = WRONG_PASSWORDS


@dataclass(frozen=True, slots=True)
class ThrottledChangePassword:
    """ChangePassword behind back-off on wrong current passwords, per account: whoever holds a stolen
    session cannot use the form to guess the password (past 5 wrong ones, the waits double, at most
    15 min). Every attempt counts until one succeeds, also one refused for its new password, so such
    refusals cannot be used to reset the count. Only an account's own sessions can reach it, so no one
    else can make its owner wait."""

    change_password: ChangePassword
    limiter: RateLimiter
    clock: Clock
    settings: PasswordBackoff

    async def __call__(self, actor: Principal, current_password: str, new_password: str) -> None:
        if not self.settings.enabled:
            await self.change_password(actor, current_password, new_password)
            return
        backoff = FailureBackoff(self.limiter, self.settings.schedule, "password-failures", "too many wrong passwords")
        key = key_of("password", str(actor.id))
        now = self.clock.now().timestamp()
        await backoff.admit(key, now)
        await self.change_password(actor, current_password, new_password)
        await backoff.succeeded(key)
