"""Signing keys at rest: sealed with AES-256-GCM under a key derived from the operator's secret.

Whoever reads the database (a backup, a stolen SQLite file, a read-only SQL injection) gets no key
that signs tokens without the operator's secret too. The key id is the associated data, so a sealed
key moved to another row does not open. A stored value is `aesgcm1:` and base64 of the 12-byte
nonce followed by the ciphertext; anything else is a PEM from before sealing, which `opened`
returns as it is (the caller seals it at once).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED_PREFIX = "aesgcm1:"
NONCE_BYTES = 12
SECRET_MIN_LENGTH = 32
_PURPOSE = b"agentry access-token signing keys at rest, v1"


class WrongSecretKey(Exception):
    """A sealed key that does not open: another secret sealed it (or the value was altered)."""

    def __init__(self, kid: str) -> None:
        super().__init__(f"signing key {kid!r} does not open with this secret key")
        self.kid = kid


class KeySealer:
    def __init__(self, secret: bytes, purpose: bytes = _PURPOSE) -> None:
        """`purpose` names what is sealed, so each kind of secret is sealed under a key of its own."""
        if len(secret) < SECRET_MIN_LENGTH:
            raise ValueError(f"the secret key must be at least {SECRET_MIN_LENGTH} characters long")
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)
        self._aead = AESGCM(derived)
        self._secret = secret

    def for_purpose(self, purpose: bytes) -> KeySealer:
        """A sealer of the same secret for another kind of secret (under a key derived for it)."""
        return KeySealer(self._secret, purpose)

    @staticmethod
    def is_sealed(stored: str) -> bool:
        return stored.startswith(SEALED_PREFIX)

    def sealed(self, kid: str, pem: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._aead.encrypt(nonce, pem.encode("ascii"), kid.encode())
        return SEALED_PREFIX + base64.b64encode(nonce + ciphertext).decode("ascii")

    def opened(self, kid: str, stored: str) -> str:
        """The PEM of a stored key; a PEM stored before sealing is returned as it is."""
        if not self.is_sealed(stored):
            return stored
        try:
            raw = base64.b64decode(stored[len(SEALED_PREFIX) :], validate=True)
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], kid.encode()).decode("ascii")
        except (InvalidTag, ValueError):
            raise WrongSecretKey(kid) from None

    def __repr__(self) -> str:  # never print key material
        return "KeySealer(AES-256-GCM)"
