"""Opaque secrets (refresh tokens, API tokens) from the operating system's CSPRNG."""

from __future__ import annotations

import secrets

SECRET_BYTES = 32  # 256 bits of entropy, 43 URL-safe characters


class UrlSafeSecrets:
    def new_secret(self) -> str:
        return secrets.token_urlsafe(SECRET_BYTES)
