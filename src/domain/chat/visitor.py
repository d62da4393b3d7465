"""A visitor: a browser without an account chatting in a project that opened its chat to the public.

Its id is both the session its cookie names and the owner of its chat sessions and their turns'
tasks; it expires a fixed time after it arrived, and the clean-up then deletes it with everything it
owns. A user who signs up (or logs in) while holding it may adopt its chat sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from agentry.domain.errors import InvalidValue


@dataclass(eq=False)
class ChatVisitor:
    id: UUID
    project_id: UUID
    created_at: datetime
    expires_at: datetime

    @classmethod
    def arrive(cls, visitor_id: UUID, project_id: UUID, now: datetime, ttl_s: int) -> ChatVisitor:
        if ttl_s < 1:
            raise InvalidValue("ttl_s", "must be at least a second")
        return cls(visitor_id, project_id, now, now + timedelta(seconds=ttl_s))

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at
