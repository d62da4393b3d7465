"""Signing keys sealed at rest: what is stored is neither the PEM nor anything that signs without the
operator's secret; another secret, another key id or an altered value does not open."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given
from hypothesis import strategies as st

from agentry.adapters.jwt.keys import generate_signing_key
from agentry.adapters.jwt.sealed_keys import SEALED_PREFIX, KeySealer, WrongSecretKey

SECRET = b"an operator secret of 32 or more characters"
PEM = generate_signing_key("kid-1", datetime(2026, 1, 1, tzinfo=UTC)).to_pem()


def test_a_sealed_key_opens_with_its_secret_and_kid_and_shows_nothing_of_the_pem() -> None:
    sealer = KeySealer(SECRET)
    sealed = sealer.sealed("kid-1", PEM)
    assert sealed.startswith(SEALED_PREFIX) and "PRIVATE KEY" not in sealed
    body = PEM.splitlines()[1]
    assert body not in sealed and body.encode() not in base64.b64decode(sealed[len(SEALED_PREFIX) :])
    with pytest.raises(ValueError, match="Unable to load PEM"):
        serialization.load_pem_private_key(sealed.encode(), password=None)
    assert sealer.opened("kid-1", sealed) == PEM
    assert KeySealer(SECRET).opened("kid-1", sealed) == PEM, "another process with the same secret opens it"
    assert sealer.sealed("kid-1", PEM) != sealed, "a fresh nonce each time"


@pytest.mark.parametrize(
    ("secret", "kid", "tamper"),
    [
        pytest.param(b"another operator secret of 32 or more chars", "kid-1", False, id="another secret"),
        pytest.param(SECRET, "kid-2", False, id="moved to another key id"),
        pytest.param(SECRET, "kid-1", True, id="altered"),
    ],
)
def test_a_sealed_key_does_not_open_otherwise(secret: bytes, kid: str, tamper: bool) -> None:
    sealed = KeySealer(SECRET).sealed("kid-1", PEM)
    if tamper:
        raw = bytearray(base64.b64decode(sealed[len(SEALED_PREFIX) :]))
        raw[-1] ^= 1
        sealed = SEALED_PREFIX + base64.b64encode(bytes(raw)).decode()
    with pytest.raises(WrongSecretKey, match=kid):
        KeySealer(secret).opened(kid, sealed)


@given(st.text(min_size=1, max_size=40).filter(lambda s: not s.startswith(SEALED_PREFIX)))
def test_a_key_stored_in_the_clear_by_an_older_version_is_returned_as_it_is(stored: str) -> None:
    assert KeySealer(SECRET).opened("kid-1", stored) == stored


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        KeySealer(b"too short")
