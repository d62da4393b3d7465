"""Webhook signing secrets (`whsec_` + base64 of 32 random bytes) and the jitter of retries, from the
operating system's CSPRNG."""

from __future__ import annotations

import secrets

from agentry.domain.webhooks.signing import SECRET_BYTES, secret_from


class RandomWebhookSecrets:
    def new_secret(self) -> str:
        return secret_from(secrets.token_bytes(SECRET_BYTES))


class RandomSpread:
    def __call__(self) -> float:
        return secrets.randbelow(1 << 30) / (1 << 30)
