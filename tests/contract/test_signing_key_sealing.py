"""Signing keys at rest, on SQLite and PostgreSQL: an older install's keys, stored in the clear, are
sealed in place the first time a process with the operator's secret opens them, and the tokens they
signed keep verifying; what the database then holds signs nothing; a wrong secret is found at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives import serialization

from agentry.adapters.jwt.access_tokens import JwtAccessTokens
from agentry.adapters.jwt.keys import KeySet, generate_signing_key
from agentry.adapters.jwt.sealed_keys import KeySealer, WrongSecretKey
from agentry.adapters.sqlalchemy.identity.signing_keys import (
    StoredSigningKey,
    add_signing_key,
    load_signing_keys,
    retire_signing_key,
)
from agentry.application.identity.ports.credentials import AccessClaims
from agentry.entrypoints.config import Settings
from agentry.entrypoints.signing_keys import SigningKeys, ensure_signing_key, seal_stored_keys

SECRET = "the operator's secret, 32 characters or more"
NOW = datetime.now(UTC)


async def stored_in_the_clear(engine: Any) -> JwtAccessTokens:
    """Two keys as an older version stored them (one retired); the tokens the live one signs."""
    retired = generate_signing_key("old-0", NOW - timedelta(days=60))
    live = generate_signing_key("old-1", NOW - timedelta(days=30))
    for key in (retired, live):
        await add_signing_key(engine, StoredSigningKey(key.kid, key.algorithm, key.to_pem(), key.created_at))
    await retire_signing_key(engine, "old-0", NOW - timedelta(days=1))
    return JwtAccessTokens(KeySet([live]), issuer="agentry", audience="agentry-api", ttl_s=600)


async def test_keys_stored_in_the_clear_are_sealed_in_place_and_their_tokens_keep_verifying(storage: Any) -> None:
    if storage.name == "memory":
        return  # signing keys are kept by the SQL adapter only
    before = await stored_in_the_clear(storage.engine)
    claims = AccessClaims(uuid4(), uuid4())
    token = before.issue(claims, NOW).token

    sealer = KeySealer(SECRET.encode())
    assert await seal_stored_keys(storage.engine, sealer) == 2, "the retired key too"
    assert await seal_stored_keys(storage.engine, sealer) == 0, "once"
    assert await ensure_signing_key(storage.engine, sealer) is False, "a key exists: none is added"
    for key in await load_signing_keys(storage.engine, retired=True):
        assert "PRIVATE KEY" not in key.private_key_pem
        # what a stolen copy of the database holds signs nothing
        with pytest.raises(ValueError, match="Unable to load PEM"):
            serialization.load_pem_private_key(key.private_key_pem.encode(), password=None)

    keys = SigningKeys(Settings(secret_key=SECRET))
    await keys.load(storage.engine)
    assert keys.tokens.verify(token, NOW) == claims
    assert keys.tokens.verify(keys.tokens.issue(claims, NOW).token, NOW) == claims


async def test_a_new_key_is_stored_sealed_and_another_secret_does_not_open_it(storage: Any) -> None:
    if storage.name == "memory":
        return
    assert await ensure_signing_key(storage.engine, KeySealer(SECRET.encode())) is True
    [key] = await load_signing_keys(storage.engine)
    assert "PRIVATE KEY" not in key.private_key_pem
    other = KeySealer(b"somebody else's secret of 32 characters")
    with pytest.raises(WrongSecretKey):
        await seal_stored_keys(storage.engine, other)
    with pytest.raises(WrongSecretKey):
        await SigningKeys(Settings(secret_key="somebody else's secret of 32 characters")).load(storage.engine)
