"""Until accounts exist (the identity issue), every HTTP request acts as this one local user.

This shortcut lives here, in the entrypoints (HTTP and `agentry seed`), and nowhere else: use cases still receive the
principal explicitly and ask the access policy, exactly as they will with real accounts.
"""

from __future__ import annotations

from uuid import UUID

from domain.principal import Principal

LOCAL_PRINCIPAL = Principal(UUID("00000000-0000-0000-0000-000000000001"), "local")


async def current_principal() -> Principal:
    return LOCAL_PRINCIPAL
