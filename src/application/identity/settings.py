from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IdentitySettings:
    open_registration: bool = True
    password_min_length: int = 12
    refresh_token_ttl_s: int = 30 * 24 * 3600
