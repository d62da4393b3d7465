"""User accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from agentry.domain.emails import normalize_email
from agentry.domain.errors import IllegalTransition
from agentry.domain.events import Aggregate
from agentry.domain.identity.events import user_event
from agentry.domain.names import clean_person_name
from agentry.domain.roles import GlobalRole

DISPLAY_NAME_MAX = 100


def clean_display_name(name: str) -> str:
    return clean_person_name("display_name", name, DISPLAY_NAME_MAX)


@dataclass(eq=False)
class User(Aggregate):
    id: UUID
    email: str
    display_name: str
    password_hash: str
    role: GlobalRole
    created_at: datetime
    updated_at: datetime
    active: bool = True
    password_changed_at: datetime | None = None

    @classmethod
    def register(
        cls, user_id: UUID, email: str, display_name: str, password_hash: str, now: datetime, role: GlobalRole
    ) -> User:
        user = cls(
            id=user_id,
            email=normalize_email(email),
            display_name=clean_display_name(display_name),
            password_hash=password_hash,
            role=role,
            created_at=now,
            updated_at=now,
            password_changed_at=now,
        )
        user.record(user_event(user, "registered", now))
        return user

    @property
    def is_admin(self) -> bool:
        return self.role is GlobalRole.ADMIN

    def update_profile(self, now: datetime, *, display_name: str | None = None, email: str | None = None) -> None:
        if display_name is not None:
            self.display_name = clean_display_name(display_name)
        if email is not None:
            self.email = normalize_email(email)
        self.updated_at = now
        changed = [field for field, value in (("display_name", display_name), ("email", email)) if value is not None]
        self.record(user_event(self, "updated", now, changed=changed))

    def set_password_hash(self, password_hash: str, now: datetime, *, changed: bool = True) -> None:
        """A new hash: `changed` for a new password, not for the same password rehashed."""
        self.password_hash = password_hash
        self.updated_at = now
        if changed:
            self.password_changed_at = now
            self.record(user_event(self, "password_changed", now))

    def change_role(self, role: GlobalRole, now: datetime) -> None:
        previous = self.role
        self.role = role
        self.updated_at = now
        self.record(user_event(self, "role_changed", now, previous_role=previous.value))

    def deactivate(self, now: datetime) -> None:
        if not self.active:
            raise IllegalTransition("user", self.id, "inactive", "inactive")
        self.active = False
        self.updated_at = now
        self.record(user_event(self, "deactivated", now))

    def reactivate(self, now: datetime) -> None:
        if self.active:
            raise IllegalTransition("user", self.id, "active", "active")
        self.active = True
        self.updated_at = now
        self.record(user_event(self, "reactivated", now))

    def delete(self, now: datetime) -> None:
        """The account goes (its memberships, sessions and tokens with it)."""
        self.record(user_event(self, "deleted", now))
