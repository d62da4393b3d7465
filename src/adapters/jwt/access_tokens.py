"""Short-lived access tokens: JWTs signed with Ed25519, checked against `now`, never the wall clock.

Verification trusts nothing in the token before the signature is checked: the header's ``alg``
must be in the allow-list (EdDSA only) and match the key its ``kid`` names, and PyJWT is told to
accept only that key's algorithm. PyJWT's own time, issuer and audience checks are switched off;
this module compares every claim itself, so tests and callers control the clock and every refusal
has a short reason that is safe to show (it never echoes the token).

A client sends the same token with every request for its whole lifetime, and checking an Ed25519
signature is most of what verification costs, so the payload of a token whose signature checked
out is remembered (a bounded number of them, forgotten when the keys change). The claims are still
compared with `now` on every call: a remembered token expires like any other.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import jwt

from agentry.adapters.jwt.keys import ALLOWED_ALGORITHMS, KeySet
from agentry.application.identity.ports.credentials import AccessClaims, InvalidToken, IssuedToken

if TYPE_CHECKING:
    from jwt.types import Options

REQUIRED_CLAIMS = ("iss", "aud", "sub", "sid", "iat", "nbf", "exp", "jti")
MAX_TOKEN_LENGTH = 4096  # ours are ~400 characters; refuse anything absurd before parsing it
SIGNATURES_REMEMBERED = 4096  # tokens in use at once by one API process; beyond, the memory starts over
DEFAULT_ACTIVATION_DELAY_S = 300

_DECODE_OPTIONS: Options = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
    "require": [],
}


class JwtAccessTokens:
    def __init__(
        self,
        keys: KeySet,
        issuer: str,
        audience: str,
        ttl_s: int,
        leeway_s: int = 5,
        activation_delay_s: int = DEFAULT_ACTIVATION_DELAY_S,
    ) -> None:
        if not issuer or not audience:
            raise ValueError("issuer and audience must not be empty")
        if ttl_s <= 0:
            raise ValueError("ttl_s must be positive")
        if leeway_s < 0 or activation_delay_s < 0:
            raise ValueError("leeway_s and activation_delay_s must not be negative")
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._ttl_s = ttl_s
        self._leeway_s = leeway_s
        self._activation_delay = timedelta(seconds=activation_delay_s)
        self._signed: dict[str, dict[str, Any]] = {}  # token -> its payload, signature checked

    def replace_keys(self, keys: KeySet) -> None:
        """Swap in a reloaded key set (after a rotation); tokens in flight keep verifying by kid.
        Remembered signatures are forgotten: a retired key's tokens must be refused from now on."""
        self._keys = keys
        self._signed = {}

    def issue(self, claims: AccessClaims, now: datetime) -> IssuedToken:
        issued_at = _seconds(now)
        key = self._keys.signing_key(now, self._activation_delay)
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(claims.user_id),
            "sid": str(claims.session_id),
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self._ttl_s,
            "jti": secrets.token_urlsafe(16),
        }
        token = jwt.encode(payload, key.private_key, algorithm=key.algorithm, headers={"kid": key.kid, "typ": "JWT"})
        return IssuedToken(token=token, expires_in=self._ttl_s)

    def verify(self, token: str, now: datetime) -> AccessClaims:
        at = _seconds_exact(now)
        payload = self._signed.get(token)
        if payload is None:
            payload = self._signed_payload(token)
            if len(self._signed) >= SIGNATURES_REMEMBERED:
                self._signed = {}
            self._signed[token] = payload
        return self._claims(payload, at)

    def _signed_payload(self, token: str) -> dict[str, Any]:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise InvalidToken("malformed token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("malformed token") from None

        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in ALLOWED_ALGORITHMS:
            raise InvalidToken("algorithm not allowed")
        if header.get("typ", "JWT") != "JWT":
            raise InvalidToken("unexpected token type")
        kid = header.get("kid")
        key = self._keys.verification_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise InvalidToken("unknown signing key")
        if algorithm != key.algorithm:
            raise InvalidToken("algorithm does not match the key")

        try:
            payload: dict[str, Any] = jwt.decode(
                token, key.public_key, algorithms=[key.algorithm], options=_DECODE_OPTIONS
            )
        except jwt.InvalidSignatureError:
            raise InvalidToken("bad signature") from None
        except jwt.PyJWTError:
            raise InvalidToken("malformed token") from None
        return payload

    def _claims(self, payload: dict[str, Any], now: float) -> AccessClaims:
        for name in REQUIRED_CLAIMS:
            if name not in payload:
                raise InvalidToken(f"missing claim: {name}")

        issued_at, not_before, expires = (_numeric_date(payload, name) for name in ("iat", "nbf", "exp"))
        if expires <= now - self._leeway_s:
            raise InvalidToken("token expired")
        if not_before > now + self._leeway_s or issued_at > now + self._leeway_s:
            raise InvalidToken("token not yet valid")

        if payload["iss"] != self._issuer:
            raise InvalidToken("wrong issuer")
        audience = payload["aud"]
        audiences = audience if isinstance(audience, list) else [audience]
        if self._audience not in audiences:
            raise InvalidToken("wrong audience")
        jti = payload["jti"]
        if not isinstance(jti, str) or not jti:
            raise InvalidToken("invalid claim: jti")

        return AccessClaims(user_id=_uuid(payload, "sub"), session_id=_uuid(payload, "sid"))


def _seconds(now: datetime) -> int:
    return int(_seconds_exact(now))


def _seconds_exact(now: datetime) -> float:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.timestamp()


def _numeric_date(payload: dict[str, Any], name: str) -> float:
    value = payload[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidToken(f"invalid claim: {name}")
    return float(value)


def _uuid(payload: dict[str, Any], name: str) -> UUID:
    value = payload[name]
    try:
        parsed = UUID(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or str(parsed) != value:  # only the canonical form we issue
        raise InvalidToken(f"invalid claim: {name}")
    return parsed
