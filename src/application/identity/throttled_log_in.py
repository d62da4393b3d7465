from __future__ import annotations

from dataclasses import dataclass

from agentry.application.backoff import BackoffSchedule, FailureBackoff, key_of
from agentry.application.errors import Unauthenticated
from agentry.application.identity.log_in import LogIn
from agentry.application.identity.tokens import TokenPair
from agentry.application.ports.clock import Clock
from agentry.application.ports.rate_limits import Quota, RateLimiter
from agentry.domain.emails import fold_email
from agentry.domain.principal import Principal

KNOWN_CLIENT = Quota(1, 30 * 86_400.0)  # a client that logged in to an account is known to it for 30 days
TOO_MANY = "too many failed logins"


PER_CLIENT = BackoffSchedule(free=5)
PER_ACCOUNT = BackoffSchedule(free=20)


@dataclass(frozen=True, slots=True)
class LoginBackoff:
    """Free failures and waits: per account and client (strict), per account from any client (loose)."""

    enabled: bool = True
    per_client: BackoffSchedule = PER_CLIENT
    per_account: BackoffSchedule = PER_ACCOUNT


@dataclass(frozen=True, slots=True)
class ThrottledLogIn:
    """LogIn behind back-off after failures (OWASP Authentication Cheat Sheet), by email address whether
    or not an account has it, so the waits say nothing about which accounts exist.

    - Per (account, client): past 5 failures, each one doubles the wait before that client's next
      attempt at that account (1 s, 2 s, 4 s ... at most 15 min). Attempts are counted as they start,
      so a burst at once gets no more through than one at a time. A success clears the count.
    - Per account, from any client: the same past 20 failures, against guessing spread over many
      addresses; clients that logged in to the account in the last 30 days are exempt, so an attacker
      cannot keep its owner out. Waits always end (the next failure may start another).
    `client`: the caller's address as the HTTP layer established it.
    """

    log_in: LogIn
    limiter: RateLimiter
    clock: Clock
    settings: LoginBackoff

    async def __call__(self, actor: Principal, email: str, password: str, client: str) -> TokenPair:
        if not self.settings.enabled:
            return await self.log_in(actor, email, password)
        account = fold_email(email)
        pair = FailureBackoff(self.limiter, self.settings.per_client, "login-failures", TOO_MANY)
        anywhere = FailureBackoff(self.limiter, self.settings.per_account, "account-login-failures", TOO_MANY)
        pair_key, account_key = key_of("login", account, client), key_of("login-account", account)
        known_key = key_of("login-known", account, client)
        now = self.clock.now().timestamp()
        known = (await self.limiter.peek(known_key, KNOWN_CLIENT, now)).count > 0
        if not known:
            await anywhere.check(account_key, now)
        await pair.admit(pair_key, now)
        try:
            tokens = await self.log_in(actor, email, password)
        except Unauthenticated:
            await anywhere.failed(account_key, now)
            raise
        except Exception:
            await pair.not_judged(pair_key, now)
            raise
        await pair.succeeded(pair_key)
        if not known:
            await self.limiter.hit(known_key, KNOWN_CLIENT, now)
        return tokens
