"""Whoever runs the `agentry` command on the server acts as an admin: they hold the database anyway."""

from __future__ import annotations

from uuid import UUID

from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole

CONSOLE_PRINCIPAL = Principal(UUID(int=0xC0501E), "console", role=GlobalRole.ADMIN)
