"""Back-off after failed logins and wrong current passwords (OWASP Authentication Cheat Sheet): waits
that double past the free failures, never forever, and an owner an attacker cannot keep out."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentry.application.account.throttled_change_password import ThrottledChangePassword
from agentry.application.backoff import BackoffSchedule
from agentry.application.errors import RateLimited, Unauthenticated, WrongPassword
from agentry.application.identity.register_user import RegisterUser, Registration
from agentry.application.identity.throttled_log_in import ThrottledLogIn
from agentry.domain.principal import Principal
from tests.fakes.app import FakeApp

ANONYMOUS = Principal.anonymous()
PASSWORD = "tulip-harbour-engine-42"
WRONG = "not-the-password-at-all"
HOME, ATTACKER = "192.0.2.10", "203.0.113.66"


async def ada(app: FakeApp) -> None:
    await app.use(RegisterUser)(ANONYMOUS, Registration("ada@example.com", PASSWORD, "Ada Lovelace"))


async def attempt(app: FakeApp, password: str, client: str = HOME, email: str = "ada@example.com") -> str:
    """'ok', 'wrong', or the wait in whole seconds a refusal asked for."""
    try:
        await app.use(ThrottledLogIn)(ANONYMOUS, email, password, client)
    except Unauthenticated:
        return "wrong"
    except RateLimited as refused:
        assert refused.policy in ("login-failures", "account-login-failures")
        return f"wait {round(refused.retry_after_s)}"
    return "ok"


@given(st.integers(min_value=0, max_value=200))
def test_the_wait_doubles_past_the_free_failures_up_to_its_ceiling(failures: int) -> None:
    schedule = BackoffSchedule(free=5, base_s=1.0, max_s=900.0)
    delay = schedule.delay_s(failures)
    assert 0 <= delay <= 900
    if failures < 5:
        assert delay == 0
    else:
        assert delay == min(900.0, 2.0 ** (failures - 5))
        assert schedule.delay_s(failures + 1) >= delay


async def test_past_five_failures_even_the_right_password_waits_then_works() -> None:
    app = FakeApp()
    await ada(app)
    assert [await attempt(app, WRONG) for _ in range(5)] == ["wrong"] * 5
    assert await attempt(app, PASSWORD) == "wait 1", "refused before the password is looked at"
    app.clock.advance(seconds=1)
    assert await attempt(app, PASSWORD) == "ok"
    assert [await attempt(app, WRONG) for _ in range(5)] == ["wrong"] * 5, "the success cleared the count"


async def test_each_further_failure_doubles_the_wait_and_every_wait_ends() -> None:
    app = FakeApp()
    await ada(app)
    for _ in range(5):
        await attempt(app, WRONG)
    waits = []
    for _ in range(14):
        refusal = await attempt(app, WRONG)
        waits.append(int(refusal.split()[1]))
        app.clock.advance(seconds=waits[-1])
        assert await attempt(app, WRONG) == "wrong", "after the wait an attempt is looked at again"
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]
    app.clock.advance(seconds=900)
    assert await attempt(app, PASSWORD) == "ok"


async def test_attempts_made_at_once_get_no_further_than_one_at_a_time() -> None:
    app = FakeApp()
    await ada(app)
    answers = await asyncio.gather(*(attempt(app, WRONG) for _ in range(12)))
    assert sorted(answers).count("wrong") == 5 and all(a in ("wrong", "wait 1") for a in answers)


async def test_an_attacker_from_many_addresses_cannot_keep_the_owner_out() -> None:
    app = FakeApp()
    await ada(app)
    assert await attempt(app, PASSWORD, HOME) == "ok"  # the owner's usual address is now known
    for n in range(20):  # one failure each from twenty addresses: no address waits on its own
        assert await attempt(app, WRONG, f"198.51.100.{n}") == "wrong"
    assert await attempt(app, PASSWORD, ATTACKER) == "wait 1", "a new address waits: the account is under attack"
    assert await attempt(app, PASSWORD, HOME) == "ok", "its owner, at home, gets in"
    app.clock.advance(seconds=1)
    assert await attempt(app, PASSWORD, ATTACKER) == "ok", "and the wait ends"


async def test_failures_count_by_email_whether_or_not_the_account_exists() -> None:
    app = FakeApp()
    ghost = [await attempt(app, WRONG, email="nobody@example.com") for _ in range(6)]
    assert ghost == ["wrong"] * 5 + ["wait 1"]
    assert await attempt(app, WRONG, ATTACKER, email="nobody@example.com") == "wrong", "per address"


async def test_wrong_current_passwords_back_off_too() -> None:
    app = FakeApp()
    await ada(app)
    from agentry.application.identity.authenticate import Authenticate
    from agentry.application.identity.log_in import LogIn

    pair = await app.use(LogIn)(ANONYMOUS, "ada@example.com", PASSWORD)
    actor = await app.use(Authenticate)(pair.access_token)
    change = app.use(ThrottledChangePassword)
    for _ in range(5):
        with pytest.raises(WrongPassword):
            await change(actor, WRONG, "a-brand-new-passphrase-7")
    with pytest.raises(RateLimited) as refused:
        await change(actor, PASSWORD, "a-brand-new-passphrase-7")
    assert refused.value.policy == "password-failures"
    app.clock.advance(seconds=1)
    await change(actor, PASSWORD, "a-brand-new-passphrase-7")


async def test_look_alike_forms_of_an_address_count_as_that_address() -> None:
    app = FakeApp()
    await ada(app)
    forms = ["ADA@Example.com", " ada@example.com ", "ａｄａ@example.com", "Ada@EXAMPLE.COM", "ada@example.com"]
    assert [await attempt(app, WRONG, email=form) for form in forms] == ["wrong"] * 5
    assert await attempt(app, PASSWORD, email="ＡＤＡ@example.com") == "wait 1"


class UnreachableAccounts:
    """The password hasher while the accounts cannot be read: the attempt is never judged."""

    async def verify(self, password_hash: str | None, password: str) -> bool:
        raise ConnectionError("the database went away")


async def test_attempts_that_were_never_judged_are_not_failures() -> None:
    app = FakeApp()
    await ada(app)
    hasher, app.hasher = app.hasher, UnreachableAccounts()  # type: ignore[assignment]
    for _ in range(8):
        with pytest.raises(ConnectionError):
            await app.use(ThrottledLogIn)(ANONYMOUS, "ada@example.com", PASSWORD, HOME)
    app.hasher = hasher
    assert [await attempt(app, WRONG) for _ in range(5)] == ["wrong"] * 5, "the outage's attempts did not count"
    assert await attempt(app, PASSWORD) == "wait 1"
