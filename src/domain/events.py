"""Domain events: what happened to an aggregate, recorded by the aggregate itself as it changes.

An aggregate records an event in each transition; the unit of work takes the recorded events at
commit and stores them in the outbox in the same transaction as the change, and the relay hands
them to every subscriber (live channels, webhooks, metrics, ...). So a change cannot happen without
its event, nor an event be told of a change that was rolled back.

An event is a plain value: its type (`task.queued`, `project.member_added`, ...), the aggregate it
belongs to, when it happened and a payload of JSON values. Its id is given when it is stored.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]
# Numbers events in the order they are recorded in this process, so a unit of work that collects the
# events of several aggregates stores them in that order.
_RECORDED = itertools.count()


@dataclass(frozen=True, slots=True)
class DomainEvent:
    type: str
    aggregate_type: str
    aggregate_id: UUID
    occurred_at: datetime
    data: Mapping[str, JsonValue] = field(default_factory=dict)


class Aggregate:
    """Records domain events until the unit of work takes them. Mapped classes are built without
    their __init__ when loaded, so the list is made on first use."""

    def record(self, event: DomainEvent) -> None:
        self._recorded().append((next(_RECORDED), event))

    def pull_events(self) -> list[DomainEvent]:
        """The events recorded since the last pull, oldest first; they are forgotten here."""
        return [event for _, event in self.pull_numbered()]

    def pull_numbered(self) -> list[tuple[int, DomainEvent]]:
        """As `pull_events`, each with its place in the order of recording across aggregates."""
        recorded = self._recorded()
        pulled = list(recorded)
        recorded.clear()
        return pulled

    def _recorded(self) -> list[tuple[int, DomainEvent]]:
        recorded: list[tuple[int, DomainEvent]] | None = self.__dict__.get("_domain_events")
        if recorded is None:
            recorded = []
            self.__dict__["_domain_events"] = recorded
        return recorded


def in_recorded_order(numbered: list[tuple[int, DomainEvent]]) -> list[DomainEvent]:
    return [event for _, event in sorted(numbered, key=lambda pair: pair[0])]
