"""The principal the worker and the outbox relay act as."""

from __future__ import annotations

from uuid import UUID

from agentry.domain.principal import Principal, PrincipalKind

SYSTEM_PRINCIPAL = Principal(UUID(int=0), "agentry-system", PrincipalKind.SYSTEM)
