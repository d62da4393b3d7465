"""Opaque credentials (refresh and API tokens): a recognisable prefix, a random secret, and only a digest kept."""

from __future__ import annotations

import hashlib

REFRESH_TOKEN_PREFIX = "agr_"
API_TOKEN_PREFIX = "agt_"
SHOWN_PREFIX_LENGTH = 12  # how much of an API token its owner sees again, to tell tokens apart


def digest(secret: str) -> str:
    """A secret with 256 random bits needs no slow hash: SHA-256 is enough to keep it unusable if leaked."""
    return hashlib.sha256(secret.encode()).hexdigest()
