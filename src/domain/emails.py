"""Email addresses: the one form every account, login, look-up and invitation compares them in.
Shared by identity (accounts) and projects (invitations)."""

from __future__ import annotations

import re
import unicodedata

from agentry.domain.errors import InvalidValue
from agentry.domain.lookalikes import refuse_lookalikes

EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


def normalize_email(email: str) -> str:
    """The one form an address is stored, looked up and invited by: NFKC, without surrounding spaces,
    and lower-cased whole. The local part too: RFC 5321 lets it be case-sensitive, but the providers
    people use are not, so Ada@Example.com and ada@example.com are one account. Invisible and
    bidirectional-control characters, and a word mixing look-alike scripts, are refused."""
    value = fold_email(email)
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        raise InvalidValue("email", "must be an email address such as ada@example.com")
    return refuse_lookalikes("email", value)


def fold_email(email: str) -> str:
    """The form `normalize_email` compares in, for any text, refusing nothing: what counts attempts at
    one address (the look-alikes of an address that has an account fold into its own form)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).strip().lower())
