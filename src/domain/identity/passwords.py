"""The password rule: long enough, not absurdly long, not a well-known password, not the account's own name."""

from __future__ import annotations

from itertools import pairwise

from agentry.domain.errors import InvalidValue
from agentry.domain.identity.common_passwords import COMMON_PASSWORDS

PASSWORD_MAX = 256  # long passphrases are welcome; this only bounds the hashing work a request can ask for


def check_password(password: str, *, min_length: int, email: str = "", display_name: str = "") -> None:
    if len(password) < min_length:
        raise InvalidValue("password", f"must be at least {min_length} characters")
    if len(password) > PASSWORD_MAX:
        raise InvalidValue("password", f"must be at most {PASSWORD_MAX} characters")
    folded = password.casefold()
    if folded in COMMON_PASSWORDS or _repetitive(folded):
        raise InvalidValue("password", "is too common; choose a less guessable one (a few random words work well)")
    personal = {email.casefold(), email.casefold().partition("@")[0], display_name.casefold()} - {""}
    if any(part == folded or (len(part) >= 4 and part in folded and len(folded) - len(part) < 4) for part in personal):
        raise InvalidValue("password", "must not be your email address or name")


def _repetitive(password: str) -> bool:
    """One character repeated, or a run up or down the alphabet or the digits (aaaa…, 1234…, abcd…)."""
    if len(set(password)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in pairwise(password)}
    return steps <= {1} or steps <= {-1}
