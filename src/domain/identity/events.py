"""The events user accounts record: `user.registered`, `user.updated`, `user.password_changed`,
`user.role_changed`, `user.deactivated`, `user.reactivated`, `user.deleted`. They carry ids, role
and state, never a credential."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from agentry.domain.events import DomainEvent

if TYPE_CHECKING:
    from agentry.domain.identity.users import User

AGGREGATE = "user"


def user_event(user: User, kind: str, at: datetime, **extra: Any) -> DomainEvent:
    data: dict[str, Any] = {"user_id": str(user.id), "role": user.role.value, "active": user.active, **extra}
    return DomainEvent(f"user.{kind}", AGGREGATE, user.id, at, data)
