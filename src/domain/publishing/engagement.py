"""How readers engage with a published publication: views, and reactions of a few fixed kinds, each
counted at most once per visitor, kind and day (UTC). Counts are kept per publication, day and kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from agentry.domain.errors import InvalidValue

VIEW = "view"
RANGE_MAX_DAYS = 366


class ReactionKind(StrEnum):
    LIKE = "like"
    INSIGHTFUL = "insightful"
    CELEBRATE = "celebrate"


def checked_reaction(kind: str) -> ReactionKind:
    try:
        return ReactionKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in ReactionKind)
        raise InvalidValue("kind", f"{kind!r} is not a reaction; one of: {known}") from None


def checked_range(first: date, last: date) -> None:
    if last < first:
        raise InvalidValue("to", "must not be before from")
    if (last - first).days + 1 > RANGE_MAX_DAYS:
        raise InvalidValue("to", f"at most {RANGE_MAX_DAYS} days from from")


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    kind: str  # VIEW or a ReactionKind's value
    count: int


@dataclass(slots=True)
class EngagementTally:
    """Views and reactions per day (only the days with any), and their totals."""

    views: int = 0
    reactions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ReactionKind, 0))

    def add(self, kind: str, count: int) -> None:
        if kind == VIEW:
            self.views += count
        else:
            self.reactions[kind] = self.reactions.get(kind, 0) + count


def tallied(counts: list[DayCount]) -> tuple[dict[date, EngagementTally], EngagementTally]:
    days: dict[date, EngagementTally] = {}
    total = EngagementTally()
    for entry in sorted(counts, key=lambda c: c.day):
        days.setdefault(entry.day, EngagementTally()).add(entry.kind, entry.count)
        total.add(entry.kind, entry.count)
    return days, total
