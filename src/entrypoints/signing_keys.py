"""The access-token keys of an API process: loaded from the database at start, reloaded on a timer
so a key added by `agentry keys rotate` is known everywhere before it starts signing.

The database holds each key sealed under the operator's secret (see secret_key.py); a key stored
in the clear by an older version is sealed in place the first time a process that has the secret
opens the keys (start, `agentry migrate upgrade`, `agentry keys rotate`)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from agentry.adapters.jwt.access_tokens import JwtAccessTokens
from agentry.adapters.jwt.keys import KeySet, SigningKey, generate_signing_key
from agentry.adapters.jwt.sealed_keys import KeySealer
from agentry.adapters.sqlalchemy.identity.signing_keys import (
    StoredSigningKey,
    add_signing_key,
    load_signing_keys,
    replace_private_key,
)
from agentry.application.identity.ports.credentials import AccessTokens
from agentry.entrypoints.config import Settings
from agentry.entrypoints.secret_key import load_sealer

log = logging.getLogger("agentry.keys")


class NoSigningKey(Exception):
    """The database holds no signing key: `agentry migrate upgrade` creates the first."""


class SigningKeys:
    def __init__(self, settings: Settings | None) -> None:
        self._settings = settings
        self._sealer: KeySealer | None = None
        self._tokens: JwtAccessTokens | None = None

    @classmethod
    def absent(cls) -> SigningKeys:
        """For processes that never see an access token (workers, CLI commands)."""
        return cls(None)

    @property
    def sealer(self) -> KeySealer:
        """The operator's secret, read when first needed (as the service starts, not as the app is made)."""
        assert self._settings is not None, "a process without keys has no secret for them"
        if self._sealer is None:
            self._sealer = load_sealer(self._settings)
        return self._sealer

    @property
    def activation_delay_s(self) -> float:
        assert self._settings is not None
        return 2 * self._settings.signing_key_reload_s

    @property
    def tokens(self) -> AccessTokens:
        if self._tokens is None:
            raise RuntimeError("this process has not loaded the access-token keys")
        return self._tokens

    async def load(self, engine: AsyncEngine) -> None:
        settings, sealer = self._settings, self.sealer
        assert settings is not None
        if self._tokens is None:
            await seal_stored_keys(engine, sealer)
        keys = await _key_set(engine, sealer)
        if self._tokens is None:
            self._tokens = JwtAccessTokens(
                keys,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                ttl_s=settings.access_token_ttl_s,
                activation_delay_s=int(self.activation_delay_s),
            )
        else:
            self._tokens.replace_keys(keys)

    async def keep_loaded(self, engine: AsyncEngine, stop: asyncio.Event) -> None:
        assert self._settings is not None
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), self._settings.signing_key_reload_s)
            except TimeoutError:
                try:
                    await self.load(engine)
                except Exception as error:  # keep the keys we have; the next pass tries again
                    log.warning("could not reload the signing keys: %s", error)


async def _key_set(engine: AsyncEngine, sealer: KeySealer) -> KeySet:
    stored = await load_signing_keys(engine)
    if not stored:
        raise NoSigningKey("the database holds no access-token signing key: run `agentry migrate upgrade`")
    return KeySet(
        SigningKey.from_pem(k.kid, k.algorithm, sealer.opened(k.kid, k.private_key_pem), k.created_at) for k in stored
    )


async def seal_stored_keys(engine: AsyncEngine, sealer: KeySealer) -> int:
    """Seal the keys stored in the clear (by an older version), retired ones too; open every key in
    use, so a wrong secret is found now (WrongSecretKey). Returns how many were sealed."""
    sealed = 0
    for key in await load_signing_keys(engine, retired=True):
        if sealer.is_sealed(key.private_key_pem):
            if key.retired_at is None:
                sealer.opened(key.kid, key.private_key_pem)
        elif await replace_private_key(
            engine, key.kid, key.private_key_pem, sealer.sealed(key.kid, key.private_key_pem)
        ):
            sealed += 1
    if sealed:
        log.warning(
            "sealed %d access-token signing key(s) stored in the clear by an older version; copies of the "
            "database made before (backups) still hold them in the clear: run `agentry keys rotate`, and "
            "`agentry keys retire` the old key once the access tokens it signed have expired",
            sealed,
        )
    return sealed


async def ensure_signing_key(engine: AsyncEngine, sealer: KeySealer) -> bool:
    """Seal the stored keys and create the first if there is none; True if one was created."""
    await seal_stored_keys(engine, sealer)
    if await load_signing_keys(engine):
        return False
    await add_new_key(engine, sealer)
    return True


async def add_new_key(engine: AsyncEngine, sealer: KeySealer) -> StoredSigningKey:
    now = datetime.now(UTC)
    key = generate_signing_key(f"{now:%Y%m%d}-{uuid.uuid4().hex[:8]}", now)
    stored = StoredSigningKey(key.kid, key.algorithm, sealer.sealed(key.kid, key.to_pem()), now)
    await add_signing_key(engine, stored)
    return stored
