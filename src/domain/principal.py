"""Who acts: every use case takes the acting principal explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID


class PrincipalKind(StrEnum):
    USER = "user"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Principal:
    id: UUID
    name: str
    kind: PrincipalKind = PrincipalKind.USER
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_system(self) -> bool:
        return self.kind is PrincipalKind.SYSTEM

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles
