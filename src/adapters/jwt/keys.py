"""Signing keys for access tokens, and the set a process verifies against and signs with.

Only Ed25519 ("EdDSA") is allowed: one algorithm, no parameters to get wrong, and no way for a
token to talk the verifier into HMAC with the public key as the secret.

Rotation, step by step:

1. generate a key with a new ``kid`` and add it to every process's key set; it does not sign yet;
2. after the activation delay (longer than the time every process takes to reload its keys) the
   newest key old enough signs new tokens; tokens signed by the previous key still verify;
3. once the previous key has stopped signing for longer than the access-token lifetime, remove it:
   tokens that still carry its ``kid`` are refused as unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

EDDSA = "EdDSA"
ALLOWED_ALGORITHMS: frozenset[str] = frozenset({EDDSA})


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    algorithm: str
    private_key: Ed25519PrivateKey
    public_key: Ed25519PublicKey
    created_at: datetime

    def __post_init__(self) -> None:
        if not self.kid:
            raise ValueError("a signing key needs a non-empty kid")
        if self.algorithm not in ALLOWED_ALGORITHMS:
            raise ValueError(f"algorithm {self.algorithm!r} is not allowed; use {EDDSA}")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    @classmethod
    def from_pem(cls, kid: str, algorithm: str, pem: str | bytes, created_at: datetime) -> SigningKey:
        """The key in an unencrypted PKCS#8 PEM (what `to_pem` writes)."""
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        private_key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError(f"key {kid!r} is not an Ed25519 private key")
        return cls(kid, algorithm, private_key, private_key.public_key(), created_at)

    def to_pem(self) -> str:
        return self.private_key.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        ).decode("ascii")

    def __repr__(self) -> str:  # never print key material
        return f"SigningKey(kid={self.kid!r}, algorithm={self.algorithm!r}, created_at={self.created_at.isoformat()})"


def generate_signing_key(kid: str, now: datetime) -> SigningKey:
    private_key = Ed25519PrivateKey.generate()
    return SigningKey(kid, EDDSA, private_key, private_key.public_key(), now)


class KeySet:
    """Every given key verifies (by kid); the newest key old enough signs."""

    def __init__(self, keys: Iterable[SigningKey]) -> None:
        by_kid: dict[str, SigningKey] = {}
        for key in keys:
            if key.kid in by_kid:
                raise ValueError(f"duplicate kid {key.kid!r}")
            by_kid[key.kid] = key
        if not by_kid:
            raise ValueError("a key set needs at least one key")
        self._by_kid = by_kid
        self._by_age = sorted(by_kid.values(), key=lambda key: (key.created_at, key.kid))

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._by_kid)

    def verification_key(self, kid: str) -> SigningKey | None:
        return self._by_kid.get(kid)

    def signing_key(self, now: datetime, activation_delay: timedelta) -> SigningKey:
        """The newest key created at least `activation_delay` before `now`; the oldest if none is."""
        cutoff = now - activation_delay
        active = [key for key in self._by_age if key.created_at <= cutoff]
        return active[-1] if active else self._by_age[0]
