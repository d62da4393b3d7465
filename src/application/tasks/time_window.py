"""Time filters from outside must say which time zone they mean."""

from __future__ import annotations

from datetime import datetime

from agentry.domain.errors import InvalidValue


def require_aware(**moments: datetime | None) -> None:
    for name, moment in moments.items():
        if moment is not None and moment.tzinfo is None:
            raise InvalidValue(name, "must include a time zone, e.g. 2026-01-31T09:00:00Z")
